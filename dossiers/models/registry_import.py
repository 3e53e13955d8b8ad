from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryImport(models.Model):
    """A list of artisans of earlier rounds uploaded from Excel by a ministry clerk (or an administrator),
    between its preview and its confirmation: the rows as read from the file, each with the errors found
    when it was checked, kept here (not in the page) so that what is confirmed is what was previewed.
    The rows hold only what the registry publishes (name, title, decision, province, craft), so they are
    not encrypted; they are emptied once confirmed (the registry then holds them) and the whole row is
    deleted once expired. Only its owner ever reads it."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # [{"line": 2, "values": {column: text}, "errors": {column: [message]}, "row_errors": [message]}]
    rows = models.JSONField(_("rows"), default=list)
    valid_count = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid_count = models.PositiveIntegerField(_("invalid rows"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    conferral_ids = models.JSONField(_("conferred titles entered"), default=list, blank=True)

    class Meta:
        verbose_name = _("import of earlier conferrals")
        verbose_name_plural = _("imports of earlier conferrals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"
