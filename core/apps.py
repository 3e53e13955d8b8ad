from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("System")

    def ready(self) -> None:
        from . import security_log, signals  # noqa: F401

        security_log.connect()
