from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SensitiveDataAccess(models.Model):
    """One read of sensitive personal data (CCCD, ethnicity, identity-card images): who, which artisan,
    which field, when and why. The value itself is never stored here. Append-only."""

    APPEND_ONLY = True  # the application role may only read and insert (core.db_roles)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    artisan = models.ForeignKey("dossiers.Artisan", on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("field"), max_length=32)
    purpose = models.CharField(_("purpose"), max_length=64)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.field} {self.at:%d/%m/%Y %H:%M}"
