from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Procedure")

    def ready(self) -> None:
        from notifications.reminders import register_reminder_source

        from . import notifying, reminders
        from .events import dossier_state_changed

        dossier_state_changed.connect(notifying.on_dossier_state_changed, dispatch_uid="notify-dossier-state")
        register_reminder_source(reminders.deadline_reminders)
        register_reminder_source(reminders.posting_reminders)
