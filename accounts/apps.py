from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and reference data")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .admin_labels import translate_model_labels
        from .auth import on_login
        from .roles import sync_role_permissions

        translate_model_labels()  # the Django admin in Vietnamese (accounts/admin_labels.py)
        user_logged_in.connect(on_login, dispatch_uid="accounts.on_login")

        # After every app: the permissions of apps migrated after this one must exist first.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
