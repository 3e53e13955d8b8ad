from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentRecord(models.Model):
    """The artisan's consent to the processing of their personal data, as confirmed by the receiving
    officer at intake: which text (version and SHA-256, dossiers.consent), when and by whom. Append-only."""

    APPEND_ONLY = True  # the application role may only read and insert (core.db_roles)

    artisan = models.ForeignKey("dossiers.Artisan", on_delete=models.PROTECT, related_name="consents")
    version = models.CharField(_("version of the consent text"), max_length=32)
    text_sha256 = models.CharField(_("SHA-256 of the consent text"), max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent to personal data processing")
        verbose_name_plural = _("consents to personal data processing")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.version} {self.recorded_at:%d/%m/%Y %H:%M}"
