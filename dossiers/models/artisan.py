from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import (
    BlindIndexField,
    EncryptedNFCTextField,
    EncryptedTextField,
    NFCCharField,
    SortKeyField,
)
from core.validators import normalise_cccd


class Title(models.TextChoices):
    """The two state titles of Decree 43/2024/NĐ-CP."""

    EXCELLENT = "excellent", _("Excellent Artisan")  # Nghệ nhân ưu tú
    PEOPLES = "peoples", _("People's Artisan")  # Nghệ nhân nhân dân


class Craft(models.Model):
    """A handicraft craft (nghề thủ công mỹ nghệ). `is_special` marks a special craft (nghề thủ công mỹ nghệ
    đặc thù, Decree 43/2024 Art. 3: at risk of being lost, few learners, hard to teach, long training),
    which has a lower trainee requirement."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = NFCCharField(_("name"), max_length=255, unique=True)
    is_special = models.BooleanField(_("special craft"), default=False)
    special_basis = models.CharField(
        _("basis for the special-craft designation"),
        max_length=255,
        blank=True,
        help_text=_("The decision or document that designates the craft as special."),
    )

    class Meta:
        verbose_name = _("craft")
        verbose_name_plural = _("crafts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArtisanQuerySet(models.QuerySet):
    def with_cccd(self, number: str) -> models.QuerySet:
        """The artisan with this CCCD number (spaces ignored), found through its blind index: the number
        itself is encrypted and cannot be searched."""
        return self.filter(cccd_index=Artisan._meta.get_field("cccd_index").index_of(number))


def sealed_fields(path: str = "artisan") -> list[str]:
    """The encrypted fields of the artisan reached by `path` (a lookup from the queried model: "artisan",
    "dossier__artisan"), for QuerySet.defer: a list joining the artisan then never decrypts a CCCD number
    or an ethnicity (about 50 decryptions a page of 25 dossiers, and clear numbers in the process's
    memory for nothing)."""
    return [f"{path}__{name}" if path else name for name in Artisan.SEALED]


class Artisan(models.Model):
    """The person nominated (nghệ nhân). CCCD is basic personal data; ethnicity is sensitive personal data
    (Decree 356/2025): both are encrypted at rest (core.fields) and read only through dossiers.sensitive,
    which logs every read. ``cccd_index`` (a keyed HMAC of the number) carries the uniqueness and lookups;
    ``cccd_is_legacy`` stays plain: it says only whether the number is an old 9-digit CMND."""

    # The encrypted fields: read only by dossiers.sensitive. Lists that join the artisan leave them out
    # (sealed_fields), so that no page decrypts numbers it does not show.
    SEALED = ("cccd", "ethnicity")

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    full_name = NFCCharField(_("full name"), max_length=255)
    # Given name, middle names, surname, in Vietnamese order (core.collation): what lists sort by.
    sort_key = SortKeyField(source="full_name", kind="person")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"))
    ethnicity = EncryptedNFCTextField(_("ethnicity"), max_length=64)
    cccd = EncryptedTextField(_("CCCD number"), max_length=12)
    # NULL when no number is given (a deceased artisan, where the rulebook allows): NULLs never clash
    cccd_index = BlindIndexField(source="cccd", purpose="artisan.cccd", normalise=normalise_cccd, null=True)
    cccd_is_legacy = models.BooleanField(_("legacy 9-digit ID (CMND)"), default=False)
    province = models.ForeignKey(
        "accounts.AdministrativeUnit",
        verbose_name=_("province of permanent residence"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "accounts.AdministrativeUnit",
        verbose_name=_("commune of permanent residence"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address_detail = NFCCharField(_("house number, street, hamlet"), max_length=255, blank=True)
    craft = models.ForeignKey(
        Craft, verbose_name=_("craft"), on_delete=models.PROTECT, related_name="artisans"
    )
    is_deceased = models.BooleanField(_("deceased"), default=False)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArtisanQuerySet.as_manager()

    class Meta:
        verbose_name = _("artisan")
        verbose_name_plural = _("artisans")
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cccd_index"], name="artisan_unique_cccd"),
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True) | Q(is_deceased=True),
                name="artisan_death_date_means_deceased",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    # The dossiers' search_text holds the artisan's name and craft: a change of either refreshes it.
    _SEARCHED = ("full_name", "craft_id")

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if adding or (fields is not None and not {"full_name", "craft", "craft_id"} & set(fields)):
            self._searched_as = self._searched_values()
            return
        now = self._searched_values()
        if now != getattr(self, "_searched_as", None):
            from .dossier import refresh_search_text

            refresh_search_text(self.dossiers.all())
        self._searched_as = now

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._searched_as = instance._searched_values()
        return instance

    def _searched_values(self) -> tuple | None:
        if any(name not in self.__dict__ for name in self._SEARCHED):
            return None  # a deferred field: unknown, compared on save only if it was set since
        return tuple(self.__dict__[name] for name in self._SEARCHED)


class PriorTitle(models.Model):
    """A title the artisan already holds. People's Artisan needs Excellent Artisan in handicrafts first
    (Decree 43/2024 Art. 6); the intangible-cultural-heritage titles (Decree 93/2023) do not count."""

    class Field(models.TextChoices):
        HANDICRAFT = "handicraft", _("handicrafts (Decree 43/2024 or 123/2014)")
        HERITAGE = "heritage", _("intangible cultural heritage (Decree 93/2023)")

    artisan = models.ForeignKey(Artisan, on_delete=models.CASCADE, related_name="prior_titles")
    title = models.CharField(_("title"), max_length=16, choices=Title.choices)
    field = models.CharField(_("field"), max_length=16, choices=Field.choices, default=Field.HANDICRAFT)
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    # Set when the title was conferred through this system (or entered in the registry): the row is
    # kept by the registry, not by the officer's evidence form, which neither shows nor replaces it.
    conferral = models.OneToOneField(
        "dossiers.Conferral",
        verbose_name=_("conferred title"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="prior_title",
    )

    class Meta:
        verbose_name = _("title already held")
        verbose_name_plural = _("titles already held")
        ordering = ["decision_date"]

    def __str__(self) -> str:
        return f"{self.get_title_display()} ({self.decision_number})"
