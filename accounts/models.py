from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.fields import NFCCharField, SortKeyField

from .roles import Role


class AdministrativeUnit(models.Model):
    """A province or commune of Viet Nam, in one edition of the administrative map.

    Two editions are kept: the 34 provinces and 3,321 communes in force since 01/07/2025
    (Resolution 202/2025/QH15 and the resolutions on communes), and the 63 former provinces in force
    from 01/08/2008 to 30/06/2025, each with its successor, because old decisions and CCCD numbers
    refer to them. Source and date of the data: accounts/data/README.md.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        COMMUNE = "commune", _("commune")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    code = models.CharField(_("code"), max_length=8, help_text=_("Official code of the statistics office."))
    name = NFCCharField(_("name"), max_length=128)
    # The name without "Thành phố", "Tỉnh"… in front, in Vietnamese order (core.collation).
    sort_key = SortKeyField(source="name", kind="place")
    division_type = models.CharField(_("type"), max_length=32)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    cccd_code = models.CharField(
        _("CCCD birth-registration code"),
        max_length=3,
        blank=True,
        help_text=_("First three digits of a CCCD number for people registered at birth here."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="adminunit_code_per_edition"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="adminunit_valid_period",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Agency(models.Model):
    """An issuing or working body: a provincial Department of Industry and Trade (Sở Công Thương),
    a unit of the Ministry of Industry and Trade, or a council secretariat (Tổ Thư ký)."""

    class Kind(models.TextChoices):
        PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial Department of Industry and Trade")
        MINISTRY_UNIT = "ministry_unit", _("Ministry of Industry and Trade unit")
        COUNCIL_SECRETARIAT = "council_secretariat", _("Council secretariat")
        OTHER = "other", _("Other body")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = NFCCharField(_("name"), max_length=255)
    short_name = models.CharField(
        _("abbreviation"), max_length=32, help_text=_("Used in document symbols, e.g. SCT, BCT.")
    )
    parent_name = NFCCharField(
        _("parent body"),
        max_length=255,
        blank=True,
        help_text=_("Shown above the body's name in document headers, e.g. UBND TỈNH ..."),
    )
    address = NFCCharField(
        _("address"),
        max_length=255,
        blank=True,
        help_text=_("Where the body receives mail, e.g. the written comments on a posted list."),
    )
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        limit_choices_to={"level": "province", "valid_to__isnull": True},
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="agency_unique_name"),
            models.CheckConstraint(
                condition=~Q(kind="provincial_department") | Q(province__isnull=False),
                name="agency_provincial_has_province",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Roles are Groups (accounts.roles.Role); the agency gives the scope."""

    full_name = NFCCharField(_("full name"), max_length=255, blank=True)
    first_name = NFCCharField(_("first name"), max_length=150, blank=True)  # AbstractUser's, kept NFC
    last_name = NFCCharField(_("last name"), max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=[("vi", "Tiếng Việt"), ("en", "English")]
    )
    # People are listed in Vietnamese order: given name first (core.collation), by the name shown.
    sort_key = SortKeyField(source="display_name", kind="person")
    session_generation = models.PositiveIntegerField(
        _("session generation"),
        default=0,
        editable=False,
        help_text=_("Raised by “Log out of every device”: every session made before it ends."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret=None):
        """Django stores this hash in the session at login and compares it on every request
        (AuthenticationMiddleware); a mismatch ends the session. It covers the password, as Django's
        does (a new password ends the other sessions), and the session generation (logout everywhere).
        Generation 0 gives Django's own hash, so sessions made before this field existed stay valid."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_generation}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def has_role(self, role: Role) -> bool:
        return self.groups.filter(name=role.value).exists()

    @property
    def province(self) -> AdministrativeUnit | None:
        return self.agency.province if self.agency_id else None


class Invitation(models.Model):
    """A one-time link to set a password and enrol the second factor, e-mailed to a new account.

    Only the SHA-256 of the token is stored: the token itself exists only in the e-mail, so neither a
    database administrator nor a backup can use an invitation. A newer invitation voids the older unused
    ones of the same user (accounts.services.invitation_send)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%d/%m/%Y}"


class SavedFilter(models.Model):
    """A search of a list that a user named to come back to: the list's query string, its filters only
    (never a CCCD number: web.dossier_views strips one before saving)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="saved_filters")
    page = models.CharField(_("page"), max_length=32, default="dossier_list")
    name = NFCCharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "name"], name="saved_filter_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
