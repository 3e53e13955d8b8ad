import operator
from functools import reduce

from django.db.models import Q

from accounts.roles import Role, roles_of
from dossiers.models import sealed_fields

from .models import AgendaItem

COUNCIL_ROLES = frozenset({Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY})


def agenda_scope(user, *, resolved: bool = False) -> Q | None:
    """A council's members and secretary see the dossiers on their sessions' agendas: a provincial
    council only its province's (the agenda admits no other), the ministerial and State councils what
    was forwarded to them. The secretary of a provincial council, who prepares its agenda, also sees the
    dossiers waiting for it (the province's dossiers sent to the council, of the rounds of the councils
    they keep). Only for a holder of a council role (appointment gives it; a withdrawn role withdraws the
    scope).

    Two forms of the same condition. The lazy one (subqueries) costs no query to build and suits a check
    of one dossier, or of many users at once (`users_who_may_view_dossier`). The `resolved` one reads the
    user's seats and their councils' agendas first (one query) and returns the
    dossier ids and the kept provinces and rounds as literals: PostgreSQL cannot combine an OR of
    subqueries with the indexes and would read every dossier of the country for a list page, while an OR
    of literal lists is a union of index scans."""
    if not getattr(user, "is_authenticated", False) or not roles_of(user) & COUNCIL_ROLES:
        return None
    from .models import Council, Membership

    secretary, provincial = Membership.Role.SECRETARY, Council.Level.PROVINCIAL
    if not resolved:
        current = {"session__council__memberships__user": user}
        current["session__council__memberships__ended_by__isnull"] = True
        kept = Membership.objects.current().filter(user=user, role=secretary, council__level=provincial)
        return Q(pk__in=AgendaItem.objects.filter(**current).values("dossier_id")) | Q(
            state="provincial_review",
            province_id__in=kept.values("council__province_id"),
            round_id__in=kept.values("council__round_id"),
        )
    # one row per seat and dossier on the agendas of the seat's council (a seat with none: one row, None)
    rows = (
        Membership.objects.current()
        .filter(user=user)
        .values_list(
            "role",
            "council__level",
            "council__province_id",
            "council__round_id",
            "council__sessions__agendaitem__dossier_id",
        )
    )
    ids, kept = set(), set()
    for role, level, province_id, round_id, dossier_id in rows:
        if dossier_id is not None:
            ids.add(dossier_id)
        if role == secretary and level == provincial:
            kept.add((province_id, round_id))
    parts = [Q(pk__any_of=sorted(ids))] if ids else []  # one parameter, however long (core.lookups)
    if kept:
        parts.append(
            Q(
                state="provincial_review",
                province_id__in=sorted({province_id for province_id, _round in kept}),
                round_id__in=sorted({round_id for _province, round_id in kept}),
            )
        )
    return reduce(operator.or_, parts) if parts else None


def sessions_of(user):
    """The sessions of the councils the user belongs to (member or secretary), newest first, joined for
    list pages (constant number of queries)."""
    from .models import Session

    if not getattr(user, "is_authenticated", False):
        return Session.objects.none()
    return (
        Session.objects.filter(council__memberships__user=user, council__memberships__ended_by__isnull=True)
        .select_related("council", "council__province", "council__round")
        .distinct()
        .order_by("-held_on", "-id")
    )


def membership_in(session, user):
    """The user's membership in the session's council, or None."""
    from .models import Membership

    return Membership.objects.current().filter(council_id=session.council_id, user=user).first()


def agenda_candidates(session):
    """The dossiers waiting for this session's council and not yet on its agenda (what
    `session_agenda_add` would accept)."""
    from dossiers.models import Dossier

    from .services import REVIEW_STATE

    council = session.council
    queryset = Dossier.objects.filter(state=REVIEW_STATE[council.level], round_id=council.round_id)
    if council.level == "provincial":
        queryset = queryset.filter(province_id=council.province_id)
    return (
        queryset.exclude(pk__in=session.agenda.values("pk"))
        .select_related("artisan", "artisan__craft", "province")
        .defer(*sealed_fields())
        .order_by("artisan__sort_key", "pk")
    )


def session_agenda_dossiers(*, session):
    """The session's dossiers with what the council pages show, in a constant number of queries. Never
    the CCCD number or the ethnicity: the templates read only the fields listed here."""
    from django.db.models import Prefetch

    from dossiers.models import Work

    return (
        session.agenda.select_related("artisan", "artisan__craft", "province")
        .defer(*sealed_fields())
        .prefetch_related(
            "craft_periods",
            "trainee_records",
            Prefetch("works", queryset=Work.objects.prefetch_related("awards")),
        )
        .order_by("artisan__sort_key", "pk")
    )


def agenda_candidates_chosen(*, session, ids: list[int]):
    """Of the dossiers that may go on the session's agenda, those with these ids."""
    return agenda_candidates(session).filter(pk__in=ids)


def councils_kept_by(*, user):
    """The councils this user is the secretary of (they schedule its sessions)."""
    from .models import Council, Membership

    return Council.objects.filter(
        memberships__user=user,
        memberships__role=Membership.Role.SECRETARY,
        memberships__ended_by__isnull=True,
        dissolved_on__isnull=True,
    ).order_by("name")


def council_roles_of(*, user) -> dict[int, str]:
    """The user's role in each council they belong to, by council id (one query)."""
    from .models import Membership

    return dict(Membership.objects.current().filter(user=user).values_list("council_id", "role"))


def session_memberships(*, session, ids: list[int]) -> list:
    """The memberships of the session's council with these ids (others are ignored)."""
    from .models import Membership

    return list(Membership.objects.current().filter(council_id=session.council_id, pk__in=ids))


def session_members(*, session) -> list:
    """The members of the session's council, by role, then in Vietnamese order of their names."""
    return list(
        session.council.memberships.current().select_related("user").order_by("role", "user__sort_key", "pk")
    )


def session_present_ids(*, session) -> set[int]:
    return set(session.present.values_list("pk", flat=True))


def ballot_progress(*, session, present_ids: set[int], agenda_size: int) -> dict:
    """How far the open ballot has gone, in counts only (never who voted how): the ballots cast, the
    ballots the present voting members could cast, and how many of them have voted on every dossier.
    Two queries whatever the size of the council."""
    from django.db.models import Count

    from .models import BallotParticipation, Membership

    voters = list(
        Membership.objects.filter(pk__in=present_ids, role__in=Membership.VOTING_ROLES).values_list(
            "pk", flat=True
        )
    )
    per_member = dict(
        BallotParticipation.objects.filter(session=session)
        .values_list("membership_id")
        .annotate(n=Count("pk"))
        .values_list("membership_id", "n")
    )
    return {
        "cast": sum(per_member.values()),
        "expected": len(voters) * agenda_size,
        "members_done": sum(1 for pk in voters if per_member.get(pk, 0) >= agenda_size),
        "members": len(voters),
    }


def session_tallies(*, session):
    """The session's tallies, by artisan name in Vietnamese order (evaluated by the page)."""
    tallies = session.tallies.select_related("dossier__artisan").defer(*sealed_fields("dossier__artisan"))
    return tallies.order_by("dossier__artisan__sort_key", "dossier__pk")


def is_present(*, session, membership) -> bool:
    return session.present.filter(pk=membership.pk).exists()


def dossiers_voted_by(*, session, membership) -> set[int]:
    """The ids of the dossiers this member has cast a ballot on in the session (never the choice)."""
    from .models import BallotParticipation

    return set(
        BallotParticipation.objects.filter(session=session, membership=membership).values_list(
            "dossier_id", flat=True
        )
    )


def has_voted(*, session, dossier, membership) -> bool:
    from .models import BallotParticipation

    return BallotParticipation.objects.filter(
        session=session, dossier=dossier, membership=membership
    ).exists()


def dossiers_recused_by(*, membership) -> set[int]:
    """The ids of the dossiers on which this member is recused: their current declaration is a conflict
    (a withdrawal not accepted yet included)."""
    from .conflicts import recused_dossier_ids

    return recused_dossier_ids(membership=membership)


def conflict_declarations_of(*, membership, dossier_ids: list[int]) -> dict:
    """The member's current declarations on these dossiers, by dossier id."""
    from .conflicts import current_declarations

    if membership is None:
        return {}
    found = current_declarations(memberships=[membership], dossiers=dossier_ids)
    return {dossier_id: c for (_m, dossier_id), c in found.items()}


def conflict_declaration_of(*, membership, dossier):
    """The member's current declaration on the dossier (their latest entry), or None."""
    from .conflicts import current_declaration

    return current_declaration(membership=membership, dossier=dossier)


def conflict_history_of(*, membership, dossier) -> list:
    """Every entry of the member's conflict-of-interest history on the dossier, oldest first."""
    from .models import ConflictDeclaration

    if membership is None:
        return []
    return list(
        ConflictDeclaration.objects.filter(membership=membership, dossier=dossier)
        .select_related("recorded_by")
        .order_by("pk")
    )


def advisory_notes_of(*, session, dossier, membership) -> dict:
    """The member's own notes on the dossier in this session, by criterion."""
    from .models import AdvisoryNote

    return {
        n.criterion: n
        for n in AdvisoryNote.objects.filter(session=session, dossier=dossier, membership=membership)
    }


def public_comments_visible_to(*, user):
    """The public's written comments on the dossiers of the user's scope, for those who handle them
    (councils.permissions.can_handle_public_comments); none for others."""
    from dossiers.selectors import dossiers_visible_to

    from .models import PublicComment
    from .permissions import can_handle_public_comments

    if not can_handle_public_comments(user):
        return PublicComment.objects.none()
    return PublicComment.objects.filter(dossier__in=dossiers_visible_to(user).values("pk")).select_related(
        "dossier__artisan", "dossier__province", "handled_by"
    )


def public_comments_waiting_count(*, user) -> int:
    """How many comments on the dossiers of the user's scope are not handled yet (the home page)."""
    from dossiers.selectors import dossiers_visible_to

    from .models import PublicComment

    return PublicComment.objects.filter(
        status=PublicComment.Status.RECEIVED, dossier__in=dossiers_visible_to(user).values("pk")
    ).count()


def councils_managed_by(*, user):
    """The councils this user records and changes: an officer their province's provincial councils, a
    ministry clerk the ministerial and State councils; none for others. Newest round first."""
    from accounts.roles import Role, roles_of
    from dossiers.permissions import user_province_id

    from .models import Council

    roles = roles_of(user)
    scope = Q(pk__in=[])
    if Role.MINISTRY_CLERK in roles:
        scope |= Q(level__in=[Council.Level.MINISTERIAL, Council.Level.STATE])
    province = user_province_id(user)
    if Role.PROVINCIAL_OFFICER in roles and province is not None:
        scope |= Q(level=Council.Level.PROVINCIAL, province_id=province)
    return (
        Council.objects.filter(scope)
        .select_related("round", "province")
        .order_by("-round__number", "level", "name", "pk")
    )


def council_current_members(*, council) -> list:
    """The council's current members, by role (chair, vice-chairs, members, secretary), then in Vietnamese
    order of their names."""
    from .models import Membership

    order = list(Membership.Role.values)
    members = (
        council.memberships.current().select_related("user", "appointed_by").order_by("user__sort_key", "pk")
    )
    return sorted(members, key=lambda m: order.index(m.role))


def council_former_members(*, council) -> list:
    """The members a later decision ended, with that decision, latest first."""
    return list(
        council.memberships.filter(ended_by__isnull=False)
        .select_related("user", "appointed_by", "ended_by")
        .order_by("-ended_on", "user__sort_key", "pk")
    )


def council_decisions(*, council) -> list:
    return list(council.decisions.select_related("recorded_by").order_by("date", "pk"))


def council_voting_size(*, council) -> int:
    from .models import Membership

    return council.memberships.current().filter(role__in=Membership.VOTING_ROLES).count()


def field_visits_of(*, council, dossier):
    """The council's field visits to a dossier's artisan, newest first, with their team and signed report
    (the agenda dossier page shows them to the council's members)."""
    from django.db.models import Prefetch

    from .models import FieldVisit, Membership

    return (
        FieldVisit.objects.filter(council=council, dossier=dossier)
        .select_related("report_file")
        .prefetch_related(
            Prefetch("members", queryset=Membership.objects.select_related("user").order_by("user__sort_key"))
        )
        .order_by("-visited_on", "-id")
    )


def council_memberships(*, council):
    """The current members of a council (every role), in Vietnamese order of their names."""
    from .models import Membership

    return (
        Membership.objects.current()
        .filter(council=council)
        .select_related("user")
        .order_by("user__sort_key", "pk")
    )


def secretary_province_ids(user) -> frozenset[int]:
    """The provinces whose provincial council this user is a current secretary of: the scope in which a
    secretary takes the council's steps and receives its tasks, whatever agency the account belongs to
    (a secretary invited from the council's page has none). Read once per user object."""
    cached = getattr(user, "_secretary_provinces", None)
    if cached is None:
        from .models import Council, Membership

        if not getattr(user, "is_authenticated", False):
            return frozenset()
        cached = frozenset(
            Membership.objects.current()
            .filter(user=user, role=Membership.Role.SECRETARY, council__level=Council.Level.PROVINCIAL)
            .exclude(council__province_id=None)
            .values_list("council__province_id", flat=True)
        )
        user._secretary_provinces = cached
    return cached


def provincial_secretaries_q(province_id: int) -> Q:
    """Users who are current secretaries of a provincial council of this province (a Q on User)."""
    from .models import Council, Membership

    return Q(
        council_memberships__in=Membership.objects.current().filter(
            role=Membership.Role.SECRETARY,
            council__level=Council.Level.PROVINCIAL,
            council__province_id=province_id,
        )
    )
