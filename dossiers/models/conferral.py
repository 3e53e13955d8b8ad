import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import NFCCharField, SortKeyField
from core.text import fold_for_search

from .artisan import Artisan, Craft, Title

# Lower-case letters and digits without the look-alikes (0/o, 1/l/i): easy to read out and type.
_PUBLIC_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PUBLIC_ID_LENGTH = 10


def new_public_id() -> str:
    """A random identifier for an artisan's page in the public registry: not derived from any internal
    id and not guessable from its neighbours."""
    return "".join(secrets.choice(_PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class Conferral(models.Model):
    """A title conferred on an artisan by the President's decision: one row of the national registry of
    conferred artisans (`/nghe-nhan/`), and what a later nomination counts as a title already held.

    Written by the step `record_conferral` in its own transaction (dossiers.services.conferrals), or
    entered for a round older than this system (`source_dossier` empty, and `artisan` empty too when it
    comes from the Ministry's list of an earlier round). What the registry shows is
    copied here as the decision states it (name, craft, province at the time), so the public pages never
    read the artisan's own row, which holds personal data. `public_id` is shared by all of one artisan's
    conferrals: it is their stable page."""

    # Empty for a title of an earlier round entered from the Ministry's list, which names the artisan
    # but holds none of the identification an `Artisan` row needs (birth date, CCCD, residence).
    artisan = models.ForeignKey(
        Artisan,
        verbose_name=_("artisan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferrals",
    )
    public_id = models.CharField(_("public identifier"), max_length=16, db_index=True, editable=False)
    full_name = NFCCharField(_("full name"), max_length=255)
    sort_key = SortKeyField(source="full_name", kind="person")
    title = models.CharField(_("title"), max_length=16, choices=Title.choices)
    round_number = models.PositiveSmallIntegerField(_("round number"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    decision_number = models.CharField(_("President's decision number"), max_length=64)
    decision_date = models.DateField(_("President's decision date"))
    province = models.ForeignKey(
        "accounts.AdministrativeUnit",
        verbose_name=_("province at conferral"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The province in force today: the same as `province`, or its successor when provinces were merged.
    current_province = models.ForeignKey(
        "accounts.AdministrativeUnit",
        verbose_name=_("province today"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    craft = models.ForeignKey(
        Craft, verbose_name=_("craft"), on_delete=models.PROTECT, related_name="conferrals"
    )
    posthumous = models.BooleanField(_("posthumous"), default=False)
    source_dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferral",
    )
    # Name, craft, decision number and the provinces, folded (core.text.fold_for_search), as
    # Dossier.search_text: the registry's search finds its words in it with a LIKE (a trigram index on
    # PostgreSQL).
    search_text = models.CharField(_("search text"), max_length=1024, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conferred title")
        verbose_name_plural = _("conferred titles")
        ordering = ["-decision_date", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["artisan", "title"], name="conferral_one_per_artisan_and_title"),
            # Without an artisan, the same name, title and decision is the same conferral entered twice.
            models.UniqueConstraint(
                fields=["full_name", "title", "decision_number"],
                condition=models.Q(artisan__isnull=True),
                name="conferral_unlinked_once",
            ),
        ]
        indexes = [
            models.Index(fields=["-decision_date", "sort_key", "id"], name="conferral_registry_order"),
            models.Index(fields=["current_province", "year"], name="conferral_by_province"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.get_title_display()} ({self.decision_number})"

    def save(self, *args, **kwargs):
        if not self.public_id:
            self.public_id = new_public_id()
        self.search_text = self.searchable_text()
        super().save(*args, **kwargs)

    def searchable_text(self) -> str:
        parts = (
            self.full_name,
            self.craft.name,
            self.decision_number,
            self.province.name,
            self.current_province.name if self.current_province_id != self.province_id else "",
        )
        return " ".join(fold_for_search(part) for part in parts if part)[:1024]
