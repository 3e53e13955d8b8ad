"""The event log (activity feed), in-app notifications, e-mail deliveries and preferences.

All times are stored in UTC. Nothing here holds a CCCD number, an ethnicity, or how anyone voted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .events import EventType


class EventRecord(models.Model):
    """One thing that happened: the activity feed of a dossier, of a session and (through its
    notifications) of a user. Written by notify(), in the caller's transaction."""

    type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    session = models.ForeignKey(
        "councils.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    data = models.JSONField(default=dict, blank=True)
    # The message in each language, rendered once when the event is dispatched ({"vi": [subject, body]}),
    # so that a list of notifications does not render a template per row; empty for events not yet
    # dispatched (and those dispatched before it existed), which are rendered when shown.
    texts = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # When it was last handed to the worker (queued on the broker): set after the commit that recorded it,
    # or by the hand-over sweep; NULL while nobody has queued it (a process died, or the broker was down).
    handed_over_at = models.DateTimeField(_("handed to the worker at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dossier", "created_at"]), models.Index(fields=["dispatched_at"])]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class Notification(models.Model):
    """The in-app channel: one event for one recipient."""

    event = models.ForeignKey(EventRecord, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="notification_once_per_recipient")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # a user's list, newest first, read 50 at a time without sorting all of them
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"


class EmailDelivery(models.Model):
    """The e-mail channel: one event for one recipient, sent once (the key is unique)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        DIGEST = "digest", _("waiting for the daily digest")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted while sending (may have been sent)")

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="email")
    key = models.CharField(max_length=100, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    digest = models.ForeignKey(
        "DigestDelivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.key


class DigestDelivery(models.Model):
    """One user's daily digest for one day (Vietnam time), sent once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=16, choices=EmailDelivery.Status.choices, default=EmailDelivery.Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.day:%d/%m/%Y}"


class Preference(models.Model):
    """How a user wants one kind of event; without a row: `Preference.default_for` the event."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("e-mail immediately")
        DIGEST = "digest", _("e-mail in a daily digest")
        IN_APP = "in_app", _("in the application only")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event_type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    mode = models.CharField(_("delivery"), max_length=16, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event_type"], name="preference_once_per_event_type")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event_type}: {self.mode}"

    @classmethod
    def default_for(cls, event_type: str) -> str:
        """The mode of a user who chose none: news that asks nothing of the reader (a dossier moved on, a
        document is ready, a posting started) waits for the daily digest; what asks for action (a task,
        a deadline, a ballot, a session, a comment or complaint to handle, a failed document) is mailed
        at once."""
        return cls.Mode.DIGEST if event_type in ROUTINE_EVENTS else cls.Mode.IMMEDIATE


# Events that ask nothing of their reader: in the daily digest unless the reader chose otherwise.
ROUTINE_EVENTS = frozenset(
    {EventType.DOSSIER_STATE_CHANGED, EventType.DOCUMENT_READY, EventType.POSTING_STARTED}
)
