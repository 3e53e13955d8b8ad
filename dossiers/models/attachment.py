from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier


class Attachment(models.Model):
    """A file of a dossier. Its type is what its content is (sniffed), not what its name says; it is
    stored once under MEDIA_ROOT (outside the web root) and served only through a checked view."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("achievement declaration (Form 01 or 02)")
        SKILLS_MEDIA = "skills_media", _("photos or video of the skills held")
        CERTIFIED_COPY = "certified_copy", _("certified copy of a certificate or decision")
        TRAINEE_EVIDENCE = "trainee_evidence", _("evidence of trainees taught")
        IDENTITY_CARD = "identity_card", _("image of the identity card")
        OTHER = "other", _("other document")

    # Kinds that carry, or may carry, identity data (the declaration form holds the CCCD; trainees' lists
    # hold other people's; "other" can be anything): seen only by the receiving officers and the ministry
    # clerks, each read logged. The council judges from the photos and videos of the skills and the
    # certified copies of the awards and decisions, which it may open.
    SENSITIVE_KINDS = frozenset({Kind.DECLARATION, Kind.IDENTITY_CARD, Kind.TRAINEE_EVIDENCE, Kind.OTHER})

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "sha256"], name="attachment_unique_content_per_dossier"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_sensitive(self) -> bool:
        return self.kind in self.SENSITIVE_KINDS
