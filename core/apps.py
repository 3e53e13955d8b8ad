from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("System")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import db_roles, lookups, security_log, signals  # noqa: F401

        lookups.register()
        security_log.connect()
        # Once per migrate (sent for every app; this one's is enough: all migrations have run by then).
        post_migrate.connect(db_roles.grant_after_migrate, sender=self, dispatch_uid="core.grant_app_role")
