"""Councils (Hội đồng xét tặng), their sessions, conflicts of interest and the secret ballot.

Secrecy by construction: `BallotParticipation` records that a member voted on a dossier in a session
and carries no choice; `Ballot` carries the choice and nothing that names a member: no user, no
membership, no time, and a random UUID key, so no ordering or join of the application can link the two.

Secrecy in storage too: while the ballot is open, a ballot is a `SealedBallot` (the dossier and the choice
encrypted under a key derived from the application's key and the session's `BallotBoxKey`); the
`Ballot` rows are only written when the ballot closes, all in one transaction and in a random order, and
the sealed box and its key are then deleted. So neither the database's transaction ids (PostgreSQL's
`xmin`) nor the rows' physical order pair a ballot with the participation written with it
(docs/security.md, "Ballot secrecy in storage").
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import NFCCharField


class Council(models.Model):
    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("provincial council")
        MINISTERIAL = "ministerial", _("ministerial council")
        STATE = "state", _("State council")

    round = models.ForeignKey(
        "dossiers.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="councils"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    province = models.ForeignKey(
        "accounts.AdministrativeUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = NFCCharField(_("name"), max_length=255)
    # Decree 30/2020 lets a body with a long name use a shortened form in a document's header; empty: the
    # level's short form (documents.wording.COUNCIL_SHORT_NAME).
    short_name = NFCCharField(
        _("short name for document headers"),
        max_length=255,
        blank=True,
        help_text=_(
            "Shown in document headers when the full name is too long; leave empty for the usual short form"
            " of the level."
        ),
    )
    decision_number = models.CharField(_("establishing decision number"), max_length=64)
    decision_date = models.DateField(_("establishing decision date"))
    decision_signer = models.CharField(_("signed by"), max_length=255)
    secretariat = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("secretariat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["round", "level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="provincial", province__isnull=False)
                | (~Q(level="provincial") & Q(province__isnull=True)),
                name="council_province_iff_provincial",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CouncilDecision(models.Model):
    """A decision about a council, as its issuing body signed it: the establishing decision, then each
    later decision changing its members. Kept for ever (the council page shows them all)."""

    class Kind(models.TextChoices):
        ESTABLISHING = "establishing", _("establishing decision")
        MEMBERSHIP_CHANGE = "membership_change", _("change of membership")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    number = models.CharField(_("decision number"), max_length=64)
    date = models.DateField(_("decision date"))
    signer = NFCCharField(_("signed by"), max_length=255)
    size_reason = models.TextField(_("reason for the council's size"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"], condition=Q(kind="establishing"), name="council_one_establishing_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """The memberships no later decision has ended: only these count (quorum, votes, scope)."""
        return self.filter(ended_by__isnull=True)


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice-chair")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("secretary")

    VOTING_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER)

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = NFCCharField(_("position"), max_length=255, blank=True)
    agency_name = NFCCharField(_("agency"), max_length=255, blank=True)
    authorised_to_preside = models.BooleanField(
        _("authorised by the chair to preside"),
        default=False,
        help_text=_(
            "A vice-chair the chair authorised: their presence stands for the chair's in the quorum."
        ),
    )
    appointed_by = models.ForeignKey(
        CouncilDecision,
        verbose_name=_("appointed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointed",
    )
    ended_by = models.ForeignKey(
        CouncilDecision,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ended",
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"],
                condition=Q(ended_by__isnull=True),
                name="membership_unique_current_user",
            ),
            models.CheckConstraint(
                condition=Q(ended_by__isnull=True, ended_on__isnull=True)
                | Q(ended_by__isnull=False, ended_on__isnull=False),
                name="membership_ended_by_iff_ended_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def votes(self) -> bool:
        """Chair, vice-chairs and members vote; the secretary keeps the minutes [I]."""
        return self.role in self.VOTING_ROLES

    @property
    def is_current(self) -> bool:
        return self.ended_by_id is None


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        BALLOT_OPEN = "ballot_open", _("ballot open")
        BALLOT_CLOSED = "ballot_closed", _("ballot closed")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    agenda = models.ManyToManyField("dossiers.Dossier", through="AgendaItem", related_name="council_sessions")
    present = models.ManyToManyField(Membership, blank=True, related_name="sessions_attended")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    ballot_closes_at = models.DateTimeField(_("ballot closes at"), null=True, blank=True)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.council} — {self.held_on:%d/%m/%Y}"


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "dossier"], name="agenda_unique_dossier")]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.dossier_id}"


class AppendOnly(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the conflict-of-interest history is append-only")

    def delete(self):
        raise AppendOnly("the conflict-of-interest history is append-only")


class ConflictDeclaration(models.Model):
    """One entry of a member's conflict-of-interest history on one dossier: a declaration, a request to
    withdraw a declared conflict, or the council secretary's decision on that request. Append-only: the
    application never edits or deletes an entry, and on PostgreSQL a trigger refuses UPDATE and DELETE
    (migration councils 0010). The member's current declaration is their latest entry on the dossier; no
    entry: not declared yet (and no vote until they declare). See councils/conflicts.py."""

    APPEND_ONLY = True
    AppendOnly = AppendOnly

    class Status(models.TextChoices):
        NONE = "none", _("declared no conflict")
        DECLARED = "declared", _("declared a conflict")

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("declared by the member")
        WITHDRAWAL_REQUEST = "withdrawal_request", _("request to withdraw a declared conflict")
        WITHDRAWAL_ACCEPTED = "withdrawal_accepted", _("withdrawal accepted by the secretary")
        WITHDRAWAL_REFUSED = "withdrawal_refused", _("withdrawal refused by the secretary")

    class Relation(models.TextChoices):
        RELATIVE = "relative", _("relative of the artisan")
        TEACHER = "teacher", _("teacher of the artisan")
        TRAINEE = "trainee", _("trainee of the artisan")
        WORKSHOP = "workshop", _("same workshop")
        OTHER = "other", _("other")

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="conflicts")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.DECLARATION)
    # The status this entry leaves the member in: a pending or refused withdrawal leaves them "declared".
    status = models.CharField(_("declaration"), max_length=16, choices=Status.choices)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The member's reason to withdraw (a request), or the secretary's note (a decision).
    reason = models.TextField(_("reason"), blank=True)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="conflict_entries"
    )
    request = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        indexes = [models.Index(fields=["membership", "dossier"], name="conflict_member_dossier")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declared") | ~Q(relation=""), name="conflict_has_relation"
            ),
            models.CheckConstraint(
                condition=~Q(kind="withdrawal_request") | (Q(status="declared") & ~Q(reason="")),
                name="conflict_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["withdrawal_accepted", "withdrawal_refused"])
                | Q(request__isnull=False, recorded_by__isnull=False),
                name="conflict_decision_has_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} / {self.dossier_id}: {self.kind} {self.status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("the conflict-of-interest history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the conflict-of-interest history is append-only")

    @property
    def recuses(self) -> bool:
        """Whether this entry, as the current one, keeps the member from voting and reading notes."""
        return self.status == self.Status.DECLARED

    @property
    def pending(self) -> bool:
        return self.kind == self.Kind.WITHDRAWAL_REQUEST


class BallotParticipation(models.Model):
    """That a member voted on a dossier in a session. Never the choice."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="participations")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="participations")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dossier", "membership"], name="one_ballot_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} voted on {self.dossier_id}"


class Ballot(models.Model):
    """The content of one ballot. Nothing here names who cast it."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("agree")
        DISAGREE = "disagree", _("disagree")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)

    def __str__(self) -> str:
        return "ballot"  # deliberately says nothing


class BallotBoxKey(models.Model):
    """The random salt of one session's sealed ballot box, from ballot opening to closing. With the
    application's key (FIELD_ENCRYPTION_KEYS) it opens the box; it is deleted when the ballot closes, so no
    copy of the box taken earlier opens afterwards. A table of its own: deleting the row (and rewriting
    this small table) leaves no old version of it in the sessions' table."""

    TRUNCATE_ALLOWED = True  # emptied with TRUNCATE after a close (core.db_roles)
    session = models.OneToOneField(Session, primary_key=True, on_delete=models.PROTECT, related_name="+")
    salt = models.BinaryField()

    def __str__(self) -> str:
        return "ballot box key"  # deliberately says nothing


class SealedBallot(models.Model):
    """One ballot while the ballot is open: the dossier and the choice, encrypted (fixed length, no time).
    Nothing in clear but the session; opened, shuffled and turned into `Ballot` rows at the close."""

    TRUNCATE_ALLOWED = True  # emptied with TRUNCATE after a close (core.db_roles)
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="+")
    box = models.BinaryField()

    def __str__(self) -> str:
        return "sealed ballot"  # deliberately says nothing


class Tally(models.Model):
    """The count of one dossier's ballots in one session, computed when the ballot closes; never changed."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="tallies")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="tallies")
    agree = models.PositiveSmallIntegerField()
    disagree = models.PositiveSmallIntegerField()
    members_on_list = models.PositiveSmallIntegerField()
    present = models.PositiveSmallIntegerField()
    recused = models.PositiveSmallIntegerField()
    base = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "dossier"], name="tally_once")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.agree}/{self.base}"


class PublicComment(models.Model):
    """A written comment from the public on a posted nominee (Decree 43/2024 Art. 16(1)(c): signed, with
    full name, phone and address). Never published; a clerk may turn it into a complaint."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        COMPLAINT = "complaint", _("handled as a complaint")
        NOTED = "noted", _("noted, no action")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="public_comments")
    full_name = NFCCharField(_("full name"), max_length=255)
    phone = models.CharField(_("phone number"), max_length=20)
    address = NFCCharField(_("address"), max_length=500)
    email = models.EmailField(_("e-mail"), blank=True)
    text = models.TextField(_("comment"), max_length=5000)
    posted_state = models.CharField(_("list it was posted on"), max_length=32)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handling_note = models.TextField(_("handling note"), blank=True)

    class Meta:
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.full_name} → {self.dossier_id}"


class AdvisoryNote(models.Model):
    """A member's note on one criterion of a dossier before voting. Advisory: only the ballot decides.
    Other members' notes are shown, without names, only to a member who has cast their own ballot."""

    class Assessment(models.TextChoices):
        MET = "met", _("met")
        NOT_MET = "not_met", _("not met")
        COMMENT = "comment", _("comment only")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="advisory_notes")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="advisory_notes")
    criterion = models.CharField(_("criterion"), max_length=64)
    assessment = models.CharField(_("assessment"), max_length=16, choices=Assessment.choices)
    text = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("advisory note")
        verbose_name_plural = _("advisory notes")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "dossier", "membership", "criterion"], name="note_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.assessment}"


class FieldVisit(models.Model):
    """A working group's visit to the artisan's workshop (đoàn công tác đi thực tế), with its report."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="field_visits")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="field_visits")
    visited_on = models.DateField(_("visited on"))
    place = NFCCharField(_("place"), max_length=255, blank=True)
    members = models.ManyToManyField(
        Membership, related_name="field_visits", verbose_name=_("members of the group")
    )
    report = models.TextField(_("report"))
    report_file = models.ForeignKey(
        "dossiers.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed report"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.visited_on:%d/%m/%Y}"
