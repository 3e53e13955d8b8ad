from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from dossiers.scope import register_scope

        from .selectors import agenda_scope

        register_scope(agenda_scope)
