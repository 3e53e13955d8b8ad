from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .flows import DossierProcess  # noqa: F401  (viewflow process proxy, with the role permissions)
from .transitions import DossierFlow  # noqa: F401  (the proxy model with the transitions)


class AppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the audit log is append-only")

    def delete(self):
        raise AppendOnly("the audit log is append-only")


class AuditEntry(models.Model):
    """One state change of one dossier: who, from, to, why, when (UTC), from which request or job.
    Append-only: the application cannot edit or delete a row, and on PostgreSQL a trigger refuses
    UPDATE and DELETE (migration workflows 0002)."""

    APPEND_ONLY = True  # the application role may only read and insert (core.db_roles)

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="audit_entries")
    transition = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32)
    to_state = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    request_id = models.CharField(_("request or job"), max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the audit log is append-only")


class PendingBatchDocument(models.Model):
    """A dossier a batch step was taken for whose batch document (the list, the result notice) is not
    requested yet. Written in the dossier's own transaction, removed in the transaction that requests
    the document: a batch cut short (a lost connection, a killed process) leaves these rows, and the
    next batch of the same step, or the sweep, requests their documents. So every dossier that took the
    step is in one of the step's batch documents, exactly once."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "step"], name="pending_batch_document_once"),
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.dossier_id}"
