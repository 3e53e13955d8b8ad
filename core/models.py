from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task: proof that tasks are being consumed."""

    hostname = models.CharField(_("worker"), max_length=255, unique=True)
    last_seen = models.DateTimeField(_("last seen"))
    last_source = models.CharField(_("sent by"), max_length=32)
    beats = models.PositiveBigIntegerField(_("heartbeats"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.hostname


class ActionRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ActionRecord.AppendOnly("the action record is append-only")

    def delete(self):
        raise ActionRecord.AppendOnly("the action record is append-only")


class ActionRecord(models.Model):
    """One administrative act that is not a dossier's step: a round created, a rule overridden, a council
    recorded, a member appointed or invited, an account changed. Who, what, on which object, why, when.
    Append-only like the dossiers' audit log: the application cannot edit or delete a row, and on
    PostgreSQL a trigger refuses UPDATE and DELETE (migration core 0002)."""

    APPEND_ONLY = True  # the application role may only read and insert (core.db_roles)

    class AppendOnly(Exception):
        pass

    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("kind of object"), max_length=64)
    object_id = models.CharField(_("object"), max_length=64)
    summary = models.TextField(_("what was done"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ActionRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("action record")
        verbose_name_plural = _("action records")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise self.AppendOnly("the action record is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.AppendOnly("the action record is append-only")


class RateCounter(models.Model):
    """How many times one limited action was taken in one fixed time window, by one subject (a client
    address, a dossier). Kept in the database so that every process and every worker shares one count,
    whatever the cache. The key is a keyed hash: the table never holds an address."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_once")]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.count}"
