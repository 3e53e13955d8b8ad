"""Conflicts of interest: each voting member's declarations on each dossier are an append-only history
(`ConflictDeclaration`), and the member's current declaration is their latest entry.

- No entry: not declared yet. The member does not vote on the dossier until they declare (no conflict,
  or a conflict and their relation with the artisan).
- From "no conflict" to "declared" the member re-declares at any time before voting (a new entry).
- From "declared" to "no conflict" is a withdrawal: the member asks, with a reason; the council's
  secretary accepts or refuses. The request and a refusal leave the member recused: only an accepted
  withdrawal makes the current declaration "no conflict". Requests and decisions are audited
  (`core.services.action_record`) and listed in the session's minutes.

Every write locks the member's membership row (ballot_cast takes a shared lock on it before it reads the
current declaration), so a declaration, a decision and a ballot of the same member never interleave."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from core.permissions import Decision, allow, deny, require
from dossiers.models import sealed_fields

from .models import BallotParticipation, ConflictDeclaration, Membership, Session
from .permissions import is_council_secretary

Status = ConflictDeclaration.Status
Kind = ConflictDeclaration.Kind


def _latest_ids(**filters):
    """The ids of the latest entry of each (member, dossier) among the entries matching `filters`: a
    subquery, so that its users stay one query."""
    return (
        ConflictDeclaration.objects.filter(**filters)
        .order_by()
        .values("membership_id", "dossier_id")
        .annotate(last=Max("pk"))
        .values("last")
    )


def current_declarations(*, memberships, dossiers) -> dict[tuple[int, int], ConflictDeclaration]:
    """The current declaration of each of these members on each of these dossiers, by (membership id,
    dossier id); a pair without a declaration is missing. One query."""
    rows = ConflictDeclaration.objects.filter(
        pk__in=_latest_ids(membership__in=memberships, dossier__in=dossiers)
    )
    return {(c.membership_id, c.dossier_id): c for c in rows}


def current_declaration(*, membership, dossier) -> ConflictDeclaration | None:
    if membership is None:
        return None
    return ConflictDeclaration.objects.filter(membership=membership, dossier=dossier).order_by("-pk").first()


def recused_counts(*, memberships, dossiers) -> dict[int, int]:
    """How many of these members are recused on each dossier (their current declaration is "declared",
    a pending or refused withdrawal included), by dossier id. One query whatever the agenda's length."""
    return dict(
        ConflictDeclaration.objects.filter(
            pk__in=_latest_ids(membership__in=memberships, dossier__in=dossiers), status=Status.DECLARED
        )
        .order_by()
        .values("dossier_id")
        .annotate(n=Count("id"))
        .values_list("dossier_id", "n")
    )


def recused_dossier_ids(*, membership, dossiers=None) -> set[int]:
    """The ids of the dossiers (of `dossiers`, or all) on which this member is currently recused."""
    if membership is None:
        return set()
    filters = {"membership": membership}
    if dossiers is not None:
        filters["dossier__in"] = dossiers
    return set(
        ConflictDeclaration.objects.filter(pk__in=_latest_ids(**filters), status=Status.DECLARED).values_list(
            "dossier_id", flat=True
        )
    )


def conflict_decision(*, membership, dossier) -> Decision:
    """May this member vote on the dossier (and, once voted, read the others' notes) as far as conflicts
    of interest go: only with a current declaration of no conflict (ballot_cast checks the same in the
    statement that writes the participation)."""
    current = current_declaration(membership=membership, dossier=dossier)
    if current is None:
        return deny(_("Declare first whether you have a conflict of interest with this dossier."))
    if current.kind == Kind.WITHDRAWAL_REQUEST:
        return deny(
            _(
                "Your request to withdraw your declared conflict of interest is waiting for the "
                "secretary's decision; until it is accepted you do not vote on this dossier."
            )
        )
    if current.status == Status.DECLARED:
        return deny(_("You declared a conflict of interest for this dossier."))
    return allow()


def _voting_membership(session: Session, user) -> Membership:
    """The user's current voting membership of the session's council, under its row lock."""
    membership = (
        Membership.objects.current()
        .select_for_update()
        .filter(council_id=session.council_id, user=user, role__in=Membership.VOTING_ROLES)
        .first()
    )
    if membership is None:
        raise PermissionDenied(_("Only the council's voting members declare conflicts of interest."))
    return membership


def _before_voting(session: Session, dossier, membership: Membership) -> None:
    if not session.agenda.filter(pk=dossier.pk).exists():
        raise ValidationError(_("This dossier is not on the session's agenda."), code="agenda")
    if session.status == Session.Status.BALLOT_CLOSED:
        raise ValidationError(_("The ballot is closed."), code="closed")
    if BallotParticipation.objects.filter(session=session, dossier=dossier, membership=membership).exists():
        raise ValidationError(_("You have already voted on this dossier."), code="already_voted")


@transaction.atomic
def conflict_declare(
    *, session: Session, dossier, by, status: str, relation: str = "", note: str = "", reason: str = ""
) -> ConflictDeclaration:
    """A voting member declares, before voting, whether they have a conflict of interest with the
    artisan: a new entry of their history. Declaring "no conflict" over a declared conflict is a
    withdrawal: it needs a reason and waits for the secretary (`conflict_withdrawal_request`)."""
    membership = _voting_membership(session, by)
    _before_voting(session, dossier, membership)
    if status not in Status.values:
        raise ValidationError(_("Say whether you have a conflict of interest."), code="status")
    current = current_declaration(membership=membership, dossier=dossier)
    if status == Status.NONE and current is not None and current.status == Status.DECLARED:
        return _withdrawal_request(session, dossier, membership, current, reason=reason, by=by)
    if status == Status.DECLARED and relation not in ConflictDeclaration.Relation.values:
        raise ValidationError(_("Say what relation you have with the artisan."), code="relation")
    return ConflictDeclaration.objects.create(
        membership=membership,
        dossier=dossier,
        session=session,
        kind=Kind.DECLARATION,
        status=status,
        relation=relation if status == Status.DECLARED else "",
        note=(note or "").strip(),
        recorded_by=by,
    )


@transaction.atomic
def conflicts_declare_none(*, session: Session, dossiers, by) -> int:
    """A voting member declares at once that they have no conflict of interest with every dossier given
    (the ballot screen's "none with any of the others": a national council's agenda holds thousands).
    Only what the member has not declared on yet: a dossier already declared on (a conflict above all:
    withdrawing one takes a reason and the secretary) or already voted on is left as it is. One entry
    per dossier, written in one statement; returns how many."""
    membership = _voting_membership(session, by)
    if session.status == Session.Status.BALLOT_CLOSED:
        raise ValidationError(_("The ballot is closed."), code="closed")
    ids = list(dict.fromkeys(getattr(d, "pk", d) for d in dossiers))
    on_agenda = set(session.agenda.filter(pk__in=ids).values_list("pk", flat=True))
    if len(on_agenda) != len(ids):
        raise ValidationError(_("This dossier is not on the session's agenda."), code="agenda")
    declared = set(
        ConflictDeclaration.objects.filter(membership=membership, dossier_id__in=ids).values_list(
            "dossier_id", flat=True
        )
    )
    voted = set(
        BallotParticipation.objects.filter(
            session=session, membership=membership, dossier_id__in=ids
        ).values_list("dossier_id", flat=True)
    )
    new = [
        ConflictDeclaration(
            membership=membership,
            dossier_id=pk,
            session=session,
            kind=Kind.DECLARATION,
            status=Status.NONE,
            recorded_by=by,
        )
        for pk in ids
        if pk not in declared and pk not in voted
    ]
    ConflictDeclaration.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def conflict_withdrawal_request(*, session: Session, dossier, by, reason: str) -> ConflictDeclaration:
    """A member asks to withdraw the conflict they declared, with a reason; they stay recused until the
    secretary accepts."""
    membership = _voting_membership(session, by)
    _before_voting(session, dossier, membership)
    current = current_declaration(membership=membership, dossier=dossier)
    if current is None or current.status != Status.DECLARED:
        raise ValidationError(_("You have not declared a conflict of interest to withdraw."), code="nothing")
    return _withdrawal_request(session, dossier, membership, current, reason=reason, by=by)


def _withdrawal_request(session, dossier, membership, current, *, reason: str, by) -> ConflictDeclaration:
    from core.services import action_record
    from core.text import to_nfc

    if current.kind == Kind.WITHDRAWAL_REQUEST:
        raise ValidationError(
            _("Your request to withdraw this conflict is already waiting for the secretary's decision."),
            code="pending",
        )
    reason = to_nfc(reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give the reason why you withdraw your declared conflict of interest."), code="reason"
        )
    entry = ConflictDeclaration.objects.create(
        membership=membership,
        dossier=dossier,
        session=session,
        kind=Kind.WITHDRAWAL_REQUEST,
        status=Status.DECLARED,  # still recused until the secretary accepts
        relation=current.relation,
        reason=reason,
        recorded_by=by,
    )
    action_record(
        action="conflict_withdrawal_request",
        obj=entry,
        summary=f"Đề nghị rút khai báo xung đột lợi ích với hồ sơ {dossier.pk}",
        by=by,
        reason=reason,
        data={"session": session.pk, "dossier": dossier.pk, "membership": membership.pk},
    )
    return entry


@transaction.atomic
def conflict_withdrawal_decide(
    *, withdrawal: ConflictDeclaration, accept: bool, by, note: str = ""
) -> ConflictDeclaration:
    """The council's secretary accepts or refuses a member's request to withdraw a declared conflict. An
    accepted withdrawal makes the member's current declaration "no conflict"; a refused one leaves them
    recused. Only the request still current (the member has not declared again since) is decided."""
    from core.services import action_record
    from core.text import to_nfc

    membership = Membership.objects.select_for_update().get(pk=withdrawal.membership_id)
    require(is_council_secretary(membership.council_id, by))
    current = current_declaration(membership=membership, dossier=withdrawal.dossier_id)
    if withdrawal.kind != Kind.WITHDRAWAL_REQUEST or current is None or current.pk != withdrawal.pk:
        raise ValidationError(
            _("This request has already been decided, or the member has declared again since."),
            code="stale",
        )
    session = Session.objects.get(pk=withdrawal.session_id)
    if session.status == Session.Status.BALLOT_CLOSED:
        raise ValidationError(_("The ballot is closed."), code="closed")
    note = to_nfc(note or "").strip()
    entry = ConflictDeclaration.objects.create(
        membership=membership,
        dossier_id=withdrawal.dossier_id,
        session=session,
        kind=Kind.WITHDRAWAL_ACCEPTED if accept else Kind.WITHDRAWAL_REFUSED,
        status=Status.NONE if accept else Status.DECLARED,
        relation="" if accept else withdrawal.relation,
        reason=note,
        request=withdrawal,
        recorded_by=by,
    )
    action_record(
        action="conflict_withdrawal_accept" if accept else "conflict_withdrawal_refuse",
        obj=entry,
        summary=(
            f"{'Chấp nhận' if accept else 'Không chấp nhận'} đề nghị rút khai báo xung đột lợi ích "
            f"với hồ sơ {withdrawal.dossier_id}"
        ),
        by=by,
        reason=note,
        data={
            "session": session.pk,
            "dossier": withdrawal.dossier_id,
            "membership": membership.pk,
            "request": withdrawal.pk,
        },
    )
    return entry


def may_decide_withdrawals(*, session: Session, user) -> Decision:
    """Only the council's secretary accepts or refuses the withdrawals of declared conflicts."""
    return is_council_secretary(session.council_id, user)


def session_withdrawal_requests(*, session: Session):
    """The requests to withdraw a declared conflict made in this session (decided or not)."""
    return ConflictDeclaration.objects.filter(session=session, kind=Kind.WITHDRAWAL_REQUEST)


def pending_withdrawals(*, session: Session):
    """The requests to withdraw a declared conflict made in this session and not decided yet (still the
    member's current entry), oldest first, for the secretary's page."""
    latest = _latest_ids(membership__council_id=session.council_id)
    return (
        ConflictDeclaration.objects.filter(pk__in=latest, session=session, kind=Kind.WITHDRAWAL_REQUEST)
        .select_related("membership__user", "dossier__artisan", "recorded_by")
        .defer(*sealed_fields("dossier__artisan"))
        .order_by("pk")
    )


def session_withdrawals(*, session: Session) -> list[tuple[ConflictDeclaration, ConflictDeclaration | None]]:
    """Every request to withdraw a declared conflict made in this session, with the secretary's decision
    (None if undecided), oldest first: what the minutes list."""
    requests = list(
        ConflictDeclaration.objects.filter(session=session, kind=Kind.WITHDRAWAL_REQUEST)
        .select_related("membership__user", "dossier__artisan", "recorded_by")
        .defer(*sealed_fields("dossier__artisan"))
        .order_by("pk")
    )
    decisions = {
        d.request_id: d
        for d in ConflictDeclaration.objects.filter(request__in=requests).select_related("recorded_by")
    }
    return [(r, decisions.get(r.pk)) for r in requests]
