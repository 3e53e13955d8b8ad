from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The apps below this one send signals; each is turned into one call of notify().
        from councils import events as council_events
        from documents import events as document_events

        from . import receivers

        council_events.ballot_opened.connect(receivers.on_ballot_opened, dispatch_uid="notify-ballot-opened")
        council_events.public_comment_received.connect(
            receivers.on_public_comment_received, dispatch_uid="notify-public-comment"
        )
        document_events.document_status_changed.connect(
            receivers.on_document_status_changed, dispatch_uid="notify-document"
        )
