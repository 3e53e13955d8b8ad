"""Council sessions and the secret ballot. Every write checks who may do it, takes the session's row
lock, and re-checks the session's status after the lock; a ballot takes it shared (members do not wait for
each other), the other writes exclusively (docs/councils.md, "Casting a ballot")."""

import logging
import secrets
import struct
import time
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.crypto import DecryptionError, seal, unseal
from core.permissions import Decision, allow, deny, require
from dossiers.models import Dossier, DossierState
from dossiers.rulebook.selectors import rules_for_round

from .conflicts import conflict_decision, recused_counts
from .conflicts import conflict_declare as conflict_declare  # the member's declaration: councils.conflicts
from .conflicts import conflicts_declare_none as conflicts_declare_none
from .events import ballot_opened
from .models import (
    AdvisoryNote,
    AgendaItem,
    Ballot,
    BallotBoxKey,
    BallotParticipation,
    ConflictDeclaration,
    FieldVisit,
    Membership,
    SealedBallot,
    Session,
    Tally,
)
from .permissions import is_council_secretary

logger = logging.getLogger(__name__)
Conflict = ConflictDeclaration.Status

REVIEW_STATE = {
    "provincial": DossierState.PROVINCIAL_REVIEW,
    "ministerial": DossierState.MINISTERIAL_REVIEW,
    "state": DossierState.STATE_REVIEW,
}


def _membership(session: Session, user) -> Membership | None:
    return Membership.objects.current().filter(council_id=session.council_id, user=user).first()


@transaction.atomic
def session_schedule(*, council, held_on, place: str, by, starts_at=None) -> Session:
    """The council's secretary schedules a session, its place and (optionally) its start time (planned;
    the agenda, attendance and ballot follow)."""
    from core.text import to_nfc

    require(is_council_secretary(council.pk, by))
    locked = type(council).objects.select_for_update().get(pk=council.pk)
    errors = {}
    place = to_nfc(place or "")
    if not place:
        errors["place"] = [_("Give the place of the session.")]
    if locked.dissolved_on is not None:
        errors["held_on"] = [_("This council has been dissolved.")]
    elif held_on < locked.decision_date:
        errors["held_on"] = [_("The session cannot be before the decision establishing the council.")]
    if errors:
        raise ValidationError(errors)
    return Session.objects.create(council=locked, held_on=held_on, starts_at=starts_at, place=place)


def _locked(session: Session, *expected: str) -> Session:
    locked = Session.objects.select_for_update().select_related("council__round").get(pk=session.pk)
    if locked.status not in expected:
        raise ValidationError(
            _("The session has already changed (its ballot is “%(status)s”).")
            % {"status": locked.get_status_display()},
            code="stale",
        )
    return locked


def voting_members(session: Session) -> list[Membership]:
    return list(
        Membership.objects.current().filter(council_id=session.council_id, role__in=Membership.VOTING_ROLES)
    )


def quorum(session: Session) -> Decision:
    """Valid with the rulebook's share of all voting members present, and (if the rulebook says so) the
    chair or a vice-chair the chair authorised. The refusal says what is missing."""
    rules = rules_for_round(session.council.round)
    members = voting_members(session)
    present = [m for m in session.present.all() if m.votes]
    ratio = Fraction(str(rules.value("council.quorum_ratio")))
    if not members or Fraction(len(present), len(members)) < ratio:
        return deny(
            _("No quorum: %(present)d of %(members)d members present; at least %(percent)s%% needed.")
            % {"present": len(present), "members": len(members), "percent": f"{float(ratio) * 100:g}"}
        )
    if rules.value("council.quorum_requires_chair") and not any(
        m.role == Membership.Role.CHAIR or (m.role == Membership.Role.VICE_CHAIR and m.authorised_to_preside)
        for m in present
    ):
        return deny(_("No quorum: neither the chair nor a vice-chair the chair authorised is present."))
    return allow()


@transaction.atomic
def session_attendance_record(*, session: Session, present: list[Membership], by) -> Session:
    require(is_council_secretary(session.council_id, by))
    locked = _locked(session, Session.Status.PLANNED)
    if any(m.council_id != locked.council_id or not m.is_current for m in present):
        raise ValidationError(_("Only members of this council can be recorded as present."))
    locked.present.set(present)
    return locked


@transaction.atomic
def session_agenda_add(*, session: Session, dossiers: list[Dossier], by) -> Session:
    """Put dossiers on the agenda: those waiting for this council (its level's review state, and for a
    provincial council, its province)."""
    require(is_council_secretary(session.council_id, by))
    locked = _locked(session, Session.Status.PLANNED)
    council = locked.council
    for dossier in dossiers:
        wrong_place = council.level == "provincial" and dossier.province_id != council.province_id
        if (
            wrong_place
            or dossier.state != REVIEW_STATE[council.level]
            or dossier.round_id != council.round_id
        ):
            raise ValidationError(
                _("“%(name)s” is not waiting for this council.") % {"name": dossier.artisan}
            )
    locked.agenda.add(*dossiers)
    return locked


@transaction.atomic
def ballot_open(*, session: Session, by, closes_at=None) -> Session:
    """Open the secret ballot; `closes_at` (optional, an aware datetime) is when the secretary plans to
    close it, for the reminder to the members who have not voted yet."""
    require(is_council_secretary(session.council_id, by))
    locked = _locked(session, Session.Status.PLANNED)
    decision = quorum(locked)
    if not decision:
        raise ValidationError(decision.reason, code="quorum")
    if not locked.agenda.exists():
        raise ValidationError(_("The agenda is empty."), code="agenda")
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError(_("The ballot's closing time must be in the future."), code="closes_at")
    locked.status, locked.opened_at = Session.Status.BALLOT_OPEN, timezone.now()
    locked.ballot_closes_at = closes_at
    locked.save(update_fields=["status", "opened_at", "ballot_closes_at"])
    BallotBoxKey.objects.create(session=locked, salt=secrets.token_bytes(32))
    ballot_opened.send(sender=Session, session_id=locked.pk, actor_id=getattr(by, "pk", None))
    return locked


# The sealed box: a ballot while the ballot is open is (dossier id, choice) packed into a fixed length (so
# that the sealed value's length does not tell agree from disagree), sealed under the session's key.
_BALLOT = struct.Struct(">QB")
_CHOICE_CODES = {Ballot.Choice.AGREE: 1, Ballot.Choice.DISAGREE: 2}
_CHOICES = {code: choice for choice, code in _CHOICE_CODES.items()}


def _box_context(session_id: int) -> bytes:
    return f"councils.session:{session_id}".encode()


def _sealed(session_id: int, salt: bytes, dossier_id: int, choice: str) -> bytes:
    plain = _BALLOT.pack(dossier_id, _CHOICE_CODES[choice])
    return seal(plain, salt=bytes(salt), context=_box_context(session_id))


def _opened(session_id: int, salt: bytes, box: bytes) -> tuple[int, str]:
    dossier_id, code = _BALLOT.unpack(unseal(box, salt=bytes(salt), context=_box_context(session_id)))
    return dossier_id, _CHOICES[code]


def _ballot_check_sql() -> str:
    """One statement: the session's status, the user's current membership of its council (id, role),
    whether it was recorded present, whether the dossier is on the agenda, and the box's salt. On
    PostgreSQL it takes a SHARE lock on the session and the membership rows: members casting at once do
    not wait for each other, but the close (FOR UPDATE on the session) waits for the casts in flight, and
    a declaration of conflict (FOR UPDATE on the membership) for this member's. SQLite serialises writes
    and refuses a write over a stale read (WAL), so it needs no row lock."""
    q = connection.ops.quote_name
    present = Session.present.through
    sql = (
        f"SELECT s.status, m.id, m.role,"  # noqa: S608 (table names from the models, values as parameters)
        f" EXISTS (SELECT 1 FROM {q(present._meta.db_table)} p"
        f" WHERE p.session_id = s.id AND p.membership_id = m.id),"
        f" EXISTS (SELECT 1 FROM {q(AgendaItem._meta.db_table)} a"
        f" WHERE a.session_id = s.id AND a.dossier_id = %s),"
        f" (SELECT k.salt FROM {q(BallotBoxKey._meta.db_table)} k WHERE k.session_id = s.id)"
        f" FROM {q(Session._meta.db_table)} s"
        f" INNER JOIN {q(Membership._meta.db_table)} m ON m.council_id = s.council_id"
        f" WHERE s.id = %s AND m.user_id = %s AND m.ended_by_id IS NULL"
    )
    if connection.vendor == "postgresql":
        sql += " FOR SHARE OF s, m"
    return sql


def _participation_sql() -> str:
    """The participation, written only when the member's current declaration on the dossier (their
    latest entry) is "no conflict": read after the membership's lock is held, so that no declaration
    slips in between (a declaration of conflict waits for the ballot, then finds it cast)."""
    q = connection.ops.quote_name
    return (
        f"INSERT INTO {q(BallotParticipation._meta.db_table)} (session_id, dossier_id, membership_id)"  # noqa: S608
        f" SELECT %s, %s, %s WHERE ("
        f"SELECT c.status FROM {q(ConflictDeclaration._meta.db_table)} c"
        f" WHERE c.membership_id = %s AND c.dossier_id = %s ORDER BY c.id DESC LIMIT 1) = %s"
    )


def _voter_checked(session: Session, dossier_id: int, by) -> tuple[int, bool, bytes | None]:
    """The ballot's check (`_ballot_check_sql`), refused as the member would be told: a stale session,
    not a voting member, absent. Returns the membership, whether the dossier is on the agenda, the salt."""
    with connection.cursor() as cursor:
        cursor.execute(_ballot_check_sql(), [dossier_id, session.pk, getattr(by, "pk", None)])
        row = cursor.fetchone()
    if row is None:  # not a current member of the council (or the session is gone)
        _refuse_stale(Session.objects.filter(pk=session.pk).first())
        raise PermissionDenied(_("Only the council's voting members vote."))
    status, membership_id, role, present, on_agenda, salt = row
    if status != Session.Status.BALLOT_OPEN:
        _refuse_stale(Session(status=status))
    if role not in Membership.VOTING_ROLES:
        raise PermissionDenied(_("Only the council's voting members vote."))
    if not present:
        raise PermissionDenied(_("Only members present at the session vote."))
    return membership_id, bool(on_agenda), salt


def ballot_cast(*, session: Session, dossier: Dossier, choice: str, by) -> None:
    """One secret ballot: the participation (who) and the sealed ballot (what, encrypted) are two unlinked
    rows written in one transaction, so neither is ever stored without the other. The choice is stored in
    clear only when the ballot closes (`ballot_close`). Three statements: the check (ballot open, a
    present voting member, the dossier on the agenda) under shared row locks, the participation (only
    over a current declaration of no conflict), the sealed ballot. A second ballot by the same member on
    the same dossier is refused by the participation's unique constraint."""
    if choice not in Ballot.Choice.values:
        raise ValidationError(_("Choose agree or disagree."), code="choice")
    try:
        with transaction.atomic():
            membership_id, on_agenda, salt = _voter_checked(session, dossier.pk, by)
            if not on_agenda:
                raise ValidationError(_("This dossier is not on the session's agenda."), code="agenda")
            if salt is None:
                raise BallotBoxKey.DoesNotExist("the open ballot has no sealed box")
            with connection.cursor() as cursor:
                cursor.execute(
                    _participation_sql(),
                    [session.pk, dossier.pk, membership_id, membership_id, dossier.pk, Conflict.NONE],
                )
                written = cursor.rowcount
            if written != 1:
                # no vote without a current declaration of no conflict (councils.conflicts): say why
                require(conflict_decision(membership=Membership(pk=membership_id), dossier=dossier))
                raise PermissionDenied(
                    _("Declare first whether you have a conflict of interest with this dossier.")
                )
            SealedBallot.objects.create(
                session_id=session.pk, box=_sealed(session.pk, salt, dossier.pk, choice)
            )
    except IntegrityError:
        raise ValidationError(_("You have already voted on this dossier."), code="already_voted") from None


def _paper_participation_sql(count: int) -> str:
    """The participations of a ballot paper, in one statement: one per dossier given that is on the
    session's agenda and on which the member's current declaration is "no conflict" (as for one ballot)."""
    q = connection.ops.quote_name
    marks = ", ".join(["%s"] * count)
    return (
        f"INSERT INTO {q(BallotParticipation._meta.db_table)} (session_id, dossier_id, membership_id)"  # noqa: S608
        f" SELECT a.session_id, a.dossier_id, %s FROM {q(AgendaItem._meta.db_table)} a"
        f" WHERE a.session_id = %s AND a.dossier_id IN ({marks}) AND ("
        f"SELECT c.status FROM {q(ConflictDeclaration._meta.db_table)} c"
        f" WHERE c.membership_id = %s AND c.dossier_id = a.dossier_id ORDER BY c.id DESC LIMIT 1) = %s"
    )


def ballot_paper_cast(*, session: Session, choices: dict[int, str], by) -> int:
    """A member's whole ballot paper (every dossier they vote on in the session: agree or disagree each)
    cast at once, all or nothing: the same checks as `ballot_cast`, in three statements whatever the
    number of dossiers (the check under shared row locks, the participations, the sealed ballots, written
    in a random order so that nothing pairs a sealed ballot with its participation). A dossier off the
    agenda, without a declaration of no conflict, or voted on already refuses the paper, with the reason;
    nothing of it is kept. Returns the number of ballots cast."""
    if not choices:
        raise ValidationError(_("There is nothing left for you to vote on."), code="empty")
    if any(c not in Ballot.Choice.values for c in choices.values()):
        raise ValidationError(_("Choose agree or disagree for every dossier."), code="choice")
    ids = list(choices)
    try:
        with transaction.atomic():
            membership_id, _first_on_agenda, salt = _voter_checked(session, ids[0], by)
            if salt is None:
                raise BallotBoxKey.DoesNotExist("the open ballot has no sealed box")
            with connection.cursor() as cursor:
                cursor.execute(
                    _paper_participation_sql(len(ids)),
                    [membership_id, session.pk, *ids, membership_id, Conflict.NONE],
                )
                written = cursor.rowcount
            if written != len(ids):
                _refuse_paper(session, ids, membership_id)
            sealed = [
                SealedBallot(session_id=session.pk, box=_sealed(session.pk, salt, pk, choices[pk]))
                for pk in ids
            ]
            secrets.SystemRandom().shuffle(sealed)
            SealedBallot.objects.bulk_create(sealed)
    except IntegrityError:
        raise ValidationError(_("You have already voted on this dossier."), code="already_voted") from None
    return len(ids)


def _refuse_paper(session: Session, ids: list[int], membership_id: int) -> None:
    """Say why a ballot paper could not be cast whole (its transaction is rolled back by the raise)."""
    on_agenda = set(
        AgendaItem.objects.filter(session=session, dossier_id__in=ids).values_list("dossier_id", flat=True)
    )
    if len(on_agenda) != len(ids):
        raise ValidationError(_("This dossier is not on the session's agenda."), code="agenda")
    membership = Membership(pk=membership_id)
    for dossier in Dossier.objects.filter(pk__in=ids).order_by("pk"):
        require(conflict_decision(membership=membership, dossier=dossier))
    raise PermissionDenied(_("Declare first whether you have a conflict of interest with this dossier."))


def _refuse_stale(session: Session | None) -> None:
    """Refuse a ballot on a session whose ballot is not open (closed meanwhile, or not opened yet)."""
    if session is None or session.status != Session.Status.BALLOT_OPEN:
        raise ValidationError(
            _("The session has already changed (its ballot is “%(status)s”).")
            % {"status": session.get_status_display() if session else "—"},
            code="stale",
        )


def _unseal_the_box(session: Session) -> None:
    """Open the session's sealed ballots, write them as `Ballot` rows in a random order (one INSERT, in
    the close's transaction: they share its transaction id, not their participations'), then delete the
    sealed ballots and the box's key: the same few queries whatever the number of ballots."""
    salt = BallotBoxKey.objects.filter(session_id=session.pk).values_list("salt", flat=True).first()
    boxes = list(SealedBallot.objects.filter(session=session).values_list("box", flat=True))
    if boxes and salt is None:
        raise DecryptionError("the sealed ballot box has no key")
    opened = [_opened(session.pk, salt, box) for box in boxes]
    secrets.SystemRandom().shuffle(opened)
    Ballot.objects.bulk_create(
        [Ballot(session=session, dossier_id=dossier_id, choice=choice) for dossier_id, choice in opened]
    )
    SealedBallot.objects.filter(session=session).delete()
    BallotBoxKey.objects.filter(session_id=session.pk).delete()
    close_xid = _current_transaction_id()
    transaction.on_commit(lambda: purge_sealed_box_storage(after_xid=close_xid))


def _current_transaction_id() -> int | None:
    """PostgreSQL's id of the close's transaction (it writes, so it has one): the clean-up waits for the
    transactions that may still see the deleted box. Not secret: every row the close wrote carries it."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text")
        return int(cursor.fetchone()[0])


_PURGE_WAITS = (0.1, 0.2, 0.4, 0.8)  # seconds, while a transaction older than the close still runs


def purge_sealed_box_storage(*, after_xid: int | None = None) -> bool:
    """After a close commits: rewrite the sealed box's tables so that the deleted sealed ballots and key
    leave no dead copy in the database's files. PostgreSQL: VACUUM FULL of these two small tables (a few
    milliseconds; it waits at most 2 s for its lock). VACUUM FULL keeps the dead rows a transaction
    older than the close (`after_xid`) may still see, so it first waits (at most 1.5 s) for those to end.
    SQLite: deleted rows are already overwritten (PRAGMA secure_delete, in the settings); a TRUNCATE
    checkpoint empties the write-ahead log that still holds them. Best effort, logged: the ballot is
    closed and counted anyway; the periodic task `councils.purge_sealed_box` runs it again (True: done)."""
    if connection.in_atomic_block:  # VACUUM cannot run in a transaction (a test's, or a caller's)
        logger.info("sealed ballot box: storage not purged inside a transaction; left to the sweep")
        return False
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                purged = _vacuum_full_box(cursor, after_xid)
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                purged = True
            else:
                purged = False
    except DatabaseError as exc:
        logger.warning("sealed ballot box: storage not purged (%s); left to the sweep", type(exc).__name__)
        return False
    if purged:
        logger.info("sealed ballot box: storage purged")
    else:
        logger.warning("sealed ballot box: dead rows kept for an older transaction; left to the sweep")
    return purged


def _older_transactions_ended(cursor, xid: int) -> bool:
    """No transaction still running began before `xid` (in any database: their ids hold back every
    snapshot's horizon), and no other session of this database holds a snapshot taken before it ended."""
    cursor.execute(
        "SELECT pg_snapshot_xmin(pg_current_snapshot()) > %s::text::xid8 AND NOT EXISTS ("
        " SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        " AND backend_xmin IS NOT NULL AND age(backend_xmin) >= age((%s::text::xid8)::xid))",
        [xid, xid],
    )
    return cursor.fetchone()[0]


def _vacuum_full_box(cursor, after_xid: int | None) -> bool:
    if after_xid is not None:
        for wait in _PURGE_WAITS:
            if _older_transactions_ended(cursor, after_xid):
                break
            time.sleep(wait)
    names = [m._meta.db_table for m in (SealedBallot, BallotBoxKey)]
    cursor.execute("SET lock_timeout = '2s'")
    try:
        # A table with no live row (no other ballot open) is emptied with TRUNCATE: a new, empty file,
        # the old one removed at commit, whatever older snapshot still runs, and a privilege the
        # application's restricted database role holds on these two tables only (VACUUM needs the owner).
        kept = []
        for name in names:
            table = connection.ops.quote_name(name)
            with transaction.atomic():
                cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
                if cursor.fetchone()[0]:
                    kept.append(table)
                else:
                    cursor.execute(f"TRUNCATE {table}")
        if kept:  # other ballots are open: rewrite around them (as the owner; otherwise the sweep retries)
            cursor.execute("VACUUM FULL " + ", ".join(kept))
    finally:
        cursor.execute("RESET lock_timeout")
    # A table left empty must be left without a page: one means that dead rows were kept.
    for name in names:
        table = connection.ops.quote_name(name)
        sql = f"SELECT pg_relation_size(%s) = 0 OR EXISTS (SELECT 1 FROM {table})"  # noqa: S608
        cursor.execute(sql, [name])
        if not cursor.fetchone()[0]:
            return False
    return True


@dataclass(frozen=True)
class TallyFigures:
    agree: int
    disagree: int
    members_on_list: int
    present: int
    recused: int
    base: int
    passed: bool


def tally_figures(
    *, agree: int, disagree: int, members_on_list: int, present: int, recused: int, rules
) -> TallyFigures:
    """Pass when agree / base ≥ the pass ratio; the base is the rulebook's (all members on the list, or
    those present), less the recused members when the rulebook says they do not count."""
    base = members_on_list if rules.value("council.pass_base") == "all_members_on_list" else present
    if not rules.value("council.recused_in_base"):
        base -= recused
    ratio = Fraction(str(rules.value("council.pass_ratio")))
    passed = base > 0 and Fraction(agree, base) >= ratio
    return TallyFigures(agree, disagree, members_on_list, present, recused, base, passed)


@transaction.atomic
def ballot_close(*, session: Session, by) -> list[Tally]:
    """Close the ballot and count it, once: the sealed ballots become `Ballot` rows in a random order, the
    box and its key are deleted, and the tallies are written and never recomputed."""
    require(is_council_secretary(session.council_id, by))
    locked = _locked(session, Session.Status.BALLOT_OPEN)
    rules = rules_for_round(locked.council.round)
    members = voting_members(locked)
    present = sum(1 for m in locked.present.all() if m.votes)
    _unseal_the_box(locked)
    # Three queries whatever the agenda's length: the agenda, the ballots counted per dossier and choice
    # (one GROUP BY), the members whose current declaration is a conflict counted per dossier; then one
    # INSERT of every tally.
    agenda = list(locked.agenda.order_by("pk"))
    counted: dict[tuple[int, str], int] = {
        (row["dossier_id"], row["choice"]): row["n"]
        for row in Ballot.objects.filter(session=locked)
        .values("dossier_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
    }
    recused_by_dossier: dict[int, int] = recused_counts(memberships=members, dossiers=agenda)
    tallies = []
    for dossier in agenda:
        figures = tally_figures(
            agree=counted.get((dossier.pk, Ballot.Choice.AGREE), 0),
            disagree=counted.get((dossier.pk, Ballot.Choice.DISAGREE), 0),
            members_on_list=len(members),
            present=present,
            recused=recused_by_dossier.get(dossier.pk, 0),
            rules=rules,
        )
        tallies.append(Tally(session=locked, dossier=dossier, **figures.__dict__))
    tallies = Tally.objects.bulk_create(tallies)
    locked.status, locked.closed_at = Session.Status.BALLOT_CLOSED, timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return tallies


@transaction.atomic
def advisory_note_record(
    *, session: Session, dossier: Dossier, criterion: str, assessment: str, text: str = "", by
) -> AdvisoryNote:
    """A voting member's note on one criterion, before their ballot on that dossier."""
    membership = _membership(session, by)
    if membership is None or not membership.votes:
        raise PermissionDenied(_("Only the council's voting members record advisory notes."))
    if not session.agenda.filter(pk=dossier.pk).exists():
        raise ValidationError(_("This dossier is not on the session's agenda."), code="agenda")
    if BallotParticipation.objects.filter(session=session, dossier=dossier, membership=membership).exists():
        raise ValidationError(_("Notes are recorded before voting."), code="already_voted")
    if assessment not in AdvisoryNote.Assessment.values:
        raise ValidationError(_("Choose met, not met or comment only."), code="assessment")
    note, _created = AdvisoryNote.objects.update_or_create(
        session=session,
        dossier=dossier,
        membership=membership,
        criterion=criterion,
        defaults={"assessment": assessment, "text": text.strip()},
    )
    return note


@transaction.atomic
def advisory_notes_record(
    *, session: Session, dossier: Dossier, notes: dict[str, tuple[str, str]], by
) -> int:
    """A voting member's notes on every criterion of a dossier at once, all or nothing: `notes` maps a
    criterion to (assessment, text). A criterion with neither is not noted (a note cleared is removed);
    a text with no assessment is a comment. Returns the number of notes kept."""
    membership = _membership(session, by)
    if membership is None or not membership.votes:
        raise PermissionDenied(_("Only the council's voting members record advisory notes."))
    if not session.agenda.filter(pk=dossier.pk).exists():
        raise ValidationError(_("This dossier is not on the session's agenda."), code="agenda")
    if BallotParticipation.objects.filter(session=session, dossier=dossier, membership=membership).exists():
        raise ValidationError(_("Notes are recorded before voting."), code="already_voted")
    kept, cleared = {}, []
    for criterion, (assessment, text) in notes.items():
        text = (text or "").strip()
        if not assessment and not text:
            cleared.append(criterion)
            continue
        assessment = assessment or AdvisoryNote.Assessment.COMMENT
        if assessment not in AdvisoryNote.Assessment.values:
            raise ValidationError(_("Choose met, not met or comment only."), code="assessment")
        kept[criterion] = (assessment, text)
    mine = AdvisoryNote.objects.filter(session=session, dossier=dossier, membership=membership)
    if cleared:
        mine.filter(criterion__in=cleared).delete()
    for criterion, (assessment, text) in kept.items():
        AdvisoryNote.objects.update_or_create(
            session=session,
            dossier=dossier,
            membership=membership,
            criterion=criterion,
            defaults={"assessment": assessment, "text": text},
        )
    return len(kept)


@dataclass(frozen=True)
class NotesSummary:
    criterion: str
    met: int
    not_met: int
    comments: tuple[str, ...]  # without names


def advisory_notes_for(*, session: Session, dossier: Dossier, user) -> list[NotesSummary] | None:
    """The other members' notes on a dossier, counted per criterion and without names; None until the
    user has cast their own ballot on it (so that nobody is swayed before voting), and None while they are
    recused from it (a declared conflict, or its withdrawal not accepted yet)."""
    membership = _membership(session, user)
    if (
        membership is None
        or not BallotParticipation.objects.filter(
            session=session, dossier=dossier, membership=membership
        ).exists()
        or not conflict_decision(membership=membership, dossier=dossier)
    ):
        return None
    notes = AdvisoryNote.objects.filter(session=session, dossier=dossier).exclude(membership=membership)
    by_criterion: dict[str, list[AdvisoryNote]] = {}
    for note in notes.order_by("criterion", "?"):  # random order within a criterion: no link to a member
        by_criterion.setdefault(note.criterion, []).append(note)
    return [
        NotesSummary(
            criterion=criterion,
            met=sum(n.assessment == AdvisoryNote.Assessment.MET for n in rows),
            not_met=sum(n.assessment == AdvisoryNote.Assessment.NOT_MET for n in rows),
            comments=tuple(n.text for n in rows if n.text),
        )
        for criterion, rows in by_criterion.items()
    ]


@transaction.atomic
def field_visit_record(
    *,
    council,
    dossier: Dossier,
    visited_on,
    members: list[Membership],
    report: str,
    by,
    place: str = "",
    report_file=None,
    report_upload=None,
) -> FieldVisit:
    """The council's secretary records a visit to the artisan's workshop (a dossier on one of the
    council's agendas), with its team, place and report; `report_upload`, the signed report, is attached
    to the dossier (kind "other") and linked to the visit."""
    from core.services import action_record
    from core.text import to_nfc
    from dossiers.models import Attachment
    from dossiers.services.attachments import attachment_add

    require(is_council_secretary(council.pk, by))
    if not AgendaItem.objects.filter(session__council=council, dossier=dossier).exists():
        raise ValidationError(_("The dossier is not on an agenda of this council."), code="not_on_agenda")
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": [_("The visit date cannot be in the future.")]})
    report, place = to_nfc(report or ""), to_nfc(place or "")
    if not report:
        raise ValidationError({"report": [_("Write the visit's report.")]})
    if any(m.council_id != council.pk or not m.is_current for m in members) or not members:
        raise ValidationError({"members": [_("Choose the council members who made the visit.")]})
    if report_file is not None and report_file.dossier_id != dossier.pk:
        raise ValidationError(
            {"report_file": [_("The report file must be one of this dossier's attachments.")]}
        )
    if report_upload is not None:
        try:
            report_file = attachment_add(
                dossier=dossier,
                kind=Attachment.Kind.OTHER,
                uploaded_file=report_upload,
                by=by,
                permission=lambda user, _dossier: is_council_secretary(council.pk, user),
            )
        except ValidationError as exc:  # a refused file: said beside the file's field
            raise ValidationError({"report_upload": exc.messages}) from exc
    visit = FieldVisit.objects.create(
        council=council,
        dossier=dossier,
        visited_on=visited_on,
        place=place,
        report=report,
        report_file=report_file,
        recorded_by=by,
    )
    visit.members.set(members)
    action_record(
        action="field_visit_record",
        obj=visit,
        summary=f"Đi thực tế hồ sơ {dossier.pk} ngày {visited_on:%d/%m/%Y}",
        by=by,
        data={
            "dossier": dossier.pk,
            "visited_on": visited_on.isoformat(),
            "place": place,
            "members": sorted(m.pk for m in members),
            "report_file": report_file.pk if report_file is not None else None,
        },
    )
    return visit
