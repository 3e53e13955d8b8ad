"""Who is told of an event: resolved from roles and scopes (a province's officers, a council's members,
the ministry's clerks), never from named users, and always filtered by what each user may see.

Each role and scope is one query (with the users' agencies); what each user may see is decided for all
of them at once (dossiers.permissions.users_who_may_view_dossier: their roles in one query, the granted
scopes of those who need it in one more), so an event costs the same number of queries whatever the
number of its recipients."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q

from accounts.models import User
from accounts.roles import Role, remember_roles, roles_of
from councils.conflicts import Status as ConflictStatus
from councils.conflicts import current_declarations
from councils.models import BallotParticipation, Membership, Session
from councils.selectors import provincial_secretaries_q
from dossiers.models import Dossier, DossierState
from dossiers.permissions import users_who_may_view_dossier

from .events import EventType
from .models import EventRecord

S = DossierState
# From here on the dossier is the ministry's business (its clerks are told of every step).
MINISTRY_STATES = frozenset(
    {
        S.FORWARDED,
        S.MINISTERIAL_REVIEW,
        S.MINISTERIAL_PASSED,
        S.MINISTERIAL_FAILED,
        S.GOV_POSTING,
        S.STATE_REVIEW,
        S.STATE_PASSED,
        S.STATE_FAILED,
        S.APPRAISAL,
        S.APPRAISAL_AGREED,
        S.APPRAISAL_SUPPLEMENT,
        S.APPRAISAL_REFUSED,
        S.PROPOSED,
        S.CONFERRED,
        S.NOT_CONFERRED,
        S.ON_HOLD,
    }
)


def _active():
    return User.objects.filter(is_active=True).select_related("agency")


# The holders of a role in a scope, shared by the events dispatched together (`shared_holders`): fifty
# steps of one province's batch tell the same officers, read once. The same user objects come back, so
# their roles, read once too (remember_roles), travel with them.
_holders: ContextVar[dict | None] = ContextVar("notification_holders", default=None)


@contextmanager
def shared_holders() -> Iterator[None]:
    """Inside, each role and scope is read once (one dispatch's transaction: nobody's role or agency
    changes under its feet that matters more than it would a moment later)."""
    token = _holders.set({})
    try:
        yield
    finally:
        _holders.reset(token)


def _read_once(key: tuple, read) -> list[User]:
    memo = _holders.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return list(memo[key])  # a copy: callers add to what they get


def with_role(role: str) -> list[User]:
    return _read_once((role,), lambda: list(_active().filter(groups__name=role).distinct()))


def with_role_in_province(role: str, province_id: int | None) -> list[User]:
    if province_id is None:
        return []
    return _read_once(
        (role, province_id),
        lambda: list(_active().filter(groups__name=role, agency__province_id=province_id).distinct()),
    )


def holders_for_dossier(role: str, dossier: Dossier) -> list[User]:
    """The holders of a role who act on this dossier: a province's officers and secretaries for their
    province's dossiers, the ministry's clerks and leaders for all."""
    if role in (Role.MINISTRY_CLERK, Role.MINISTRY_LEADER, Role.SYSTEM_ADMINISTRATOR):
        return with_role(role)
    if role == Role.COUNCIL_SECRETARY and dossier.province_id is not None:
        # the secretaries of the province's council, whatever their agency, and those of its province
        province_id = dossier.province_id
        scope = Q(agency__province_id=province_id) | provincial_secretaries_q(province_id)
        return _read_once(
            ("secretaries", province_id),
            lambda: list(_active().filter(scope, groups__name=role).distinct()),
        )
    return with_role_in_province(role, dossier.province_id)


def council_members(session: Session, *, voting_only: bool = False, present_only: bool = False) -> list[User]:
    memberships = Membership.objects.current().filter(council_id=session.council_id, user__is_active=True)
    if voting_only:
        memberships = memberships.filter(role__in=Membership.VOTING_ROLES)
    if present_only:
        memberships = memberships.filter(pk__in=session.present.values("pk"))
    return [m.user for m in memberships.select_related("user__agency")]


def members_yet_to_vote(session: Session) -> list[User]:
    """Present voting members with at least one agenda dossier they may vote on and have not: read from
    BallotParticipation (who voted), never from Ballot (what)."""
    agenda = set(session.agenda.values_list("pk", flat=True))
    memberships = list(
        Membership.objects.current()
        .filter(pk__in=session.present.values("pk"), role__in=Membership.VOTING_ROLES, user__is_active=True)
        .select_related("user__agency")
    )
    done: dict[int, set[int]] = {m.pk: set() for m in memberships}
    for membership_id, dossier_id in BallotParticipation.objects.filter(
        session=session, membership__in=memberships
    ).values_list("membership_id", "dossier_id"):
        done[membership_id].add(dossier_id)
    if memberships and agenda:  # a member's current declaration of a conflict: recused from that dossier
        for (membership_id, dossier_id), declaration in current_declarations(
            memberships=memberships, dossiers=agenda
        ).items():
            if declaration.status == ConflictStatus.DECLARED:
                done[membership_id].add(dossier_id)
    return [m.user for m in memberships if agenda - done[m.pk]]


def recipients_of(event: EventRecord) -> list[User]:
    """Everyone who must be told of this event and may see what it is about (without the actor for the
    steps they took themselves)."""
    dossier = event.dossier
    session = event.session
    data = event.data or {}
    found: list[User] = []
    t = event.type
    if t == EventType.DOSSIER_STATE_CHANGED:
        found = holders_for_dossier(Role.PROVINCIAL_OFFICER, dossier)
        if data.get("to_state") in MINISTRY_STATES:
            found += with_role(Role.MINISTRY_CLERK)
    elif t in (EventType.TASK_ASSIGNED, EventType.DEADLINE_APPROACHING):
        found = holders_for_dossier(data["role"], dossier)
    elif t == EventType.DEADLINE_PASSED:
        found = holders_for_dossier(data["escalated_to"], dossier) + holders_for_dossier(
            data["role"], dossier
        )
    elif t == EventType.BALLOT_OPENED:
        found = council_members(session, voting_only=True, present_only=True)
    elif t == EventType.BALLOT_CLOSING:
        found = members_yet_to_vote(session)
    elif t == EventType.SESSION_TOMORROW:
        found = council_members(session)
    elif t in (EventType.POSTING_STARTED, EventType.POSTING_ENDED):
        gov = data.get("posting") == "gov_portal"
        if t == EventType.POSTING_STARTED or not gov:
            found = holders_for_dossier(Role.PROVINCIAL_OFFICER, dossier)
        if gov:
            found += with_role(Role.MINISTRY_CLERK)
    elif t == EventType.COMMENT_RECEIVED:
        found = holders_for_dossier(Role.PROVINCIAL_OFFICER, dossier) + with_role(Role.MINISTRY_CLERK)
    elif t == EventType.COMPLAINT_RECEIVED:
        found = (
            holders_for_dossier(Role.PROVINCIAL_OFFICER, dossier)
            + with_role(Role.MINISTRY_CLERK)
            + with_role(Role.MINISTRY_LEADER)
        )
    elif t in (EventType.DOCUMENT_READY, EventType.DOCUMENT_FAILED):
        # the person whose step asked for the document (not every officer and clerk: a round makes
        # thousands of documents); a failure also goes to the administrators, who can see it in the admin
        if event.actor_id is not None:
            found = list(_active().filter(pk=event.actor_id))
        if t == EventType.DOCUMENT_FAILED:
            found += with_role(Role.SYSTEM_ADMINISTRATOR)
    else:  # pragma: no cover - a new event type without its recipients is a programming error
        raise ValueError(f"no recipients declared for {t}")
    if t in (EventType.DOSSIER_STATE_CHANGED, EventType.BALLOT_OPENED, EventType.COMPLAINT_RECEIVED):
        found = [u for u in found if u.pk != event.actor_id]
    return _visible(_unique(found), dossier, t)


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for u in users:
        seen.setdefault(u.pk, u)
    return sorted(seen.values(), key=lambda u: u.pk)


def _visible(users: list[User], dossier: Dossier | None, t: str) -> list[User]:
    """Those of `users` who may see the dossier (can_view_dossier, decided for all of them at once)."""
    if dossier is None or not users:
        return users
    allowed = users_who_may_view_dossier(users, dossier)
    if t == EventType.DOCUMENT_FAILED:  # the administrators are told of the failure, not the dossier
        remember_roles(users)
        return [u for u in users if u.pk in allowed or Role.SYSTEM_ADMINISTRATOR in roles_of(u)]
    return [u for u in users if u.pk in allowed]
