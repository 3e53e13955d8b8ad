import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import EncryptedJSONField

from .kinds import Kind


class NumberRegister(models.Model):
    """The number series (sổ đăng ký văn bản) of one issuing body in one year: numbers run from 01 on
    1 January, with no gap and no repeat (Decree 30/2020, Art. 15). A council that uses its agency's seal
    keeps its own series, so its key is the council's, not the agency's."""

    key = models.CharField(_("issuing body"), max_length=64)
    issuer_name = models.CharField(_("name of the issuing body"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("number register")
        verbose_name_plural = _("number registers")
        ordering = ["-year", "key"]
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="register_one_per_body_per_year")]

    def __str__(self) -> str:
        return f"{self.issuer_name} ({self.year})"


class GeneratedDocument(models.Model):
    """One official document: requested in the transaction of the step that needs it (with its number),
    built afterwards by a Celery task, stored once and never overwritten. A correction is a new document
    that references the one it replaces."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        GENERATING = "generating", _("generating")
        DONE = "done", _("ready")
        FAILED = "failed", pgettext_lazy("document status", "failed")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("The one dossier of a per-dossier document (declaration, summary, letter)."),
    )
    dossiers = models.ManyToManyField(
        "dossiers.Dossier", verbose_name=_("dossiers covered"), blank=True, related_name="listed_in_documents"
    )
    province = models.ForeignKey(
        "accounts.AdministrativeUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a national document."),
    )
    council_ref = models.PositiveIntegerField(_("council"), null=True, blank=True, db_index=True)
    session_ref = models.PositiveIntegerField(_("council session"), null=True, blank=True, db_index=True)
    register = models.ForeignKey(
        NumberRegister, verbose_name=_("register"), null=True, blank=True, on_delete=models.PROTECT
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_text = models.CharField(_("number and symbol"), max_length=64, blank=True)
    issued_on = models.DateField(_("date"))
    # Encrypted for every kind, not only the declarations that hold a CCCD: the others hold names, dates of
    # birth and council members' names too, one rule is simpler to keep right than a flag, and nothing
    # queries inside the data (docs/security.md, "Personal data").
    source_data = EncryptedJSONField(_("data it was built from"))
    sensitive = models.BooleanField(_("holds identification data"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    # The stored names under MEDIA_ROOT this row points to (a backup archives exactly these).
    MEDIA_NAME_FIELDS = ("file_name", "pdf_file_name")
    file_name = models.CharField(_("stored file"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    pdf_file_name = models.CharField(_("stored PDF"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_note = models.CharField(_("why there is no PDF"), max_length=255, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # When it was last handed to the worker; NULL while nobody has queued it (see documents_handover).
    handed_over_at = models.DateTimeField(_("handed to the worker at"), null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="document_number_unique_in_register"),
            models.CheckConstraint(
                condition=models.Q(register__isnull=True) | models.Q(number__isnull=False),
                name="document_registered_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["-requested_at", "-id"], name="document_newest_first"),  # the list's order
        ]

    def __str__(self) -> str:
        return f"{self.number_text} {self.title}".strip()

    @property
    def is_current(self) -> bool:
        """False once a correction has replaced it."""
        return not hasattr(self, "replaced_by")
