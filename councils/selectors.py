from django.db.models import Q

from .models import AgendaItem


def agenda_scope(user) -> Q | None:
    """A council's members and secretary see the dossiers on their sessions' agendas: a provincial
    council only its province's (the agenda admits no other), the ministerial and State councils what
    was forwarded to them."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Q(pk__in=AgendaItem.objects.filter(session__council__memberships__user=user).values("dossier_id"))


def sessions_of(user):
    """The sessions of the councils the user belongs to (member or secretary), newest first, joined for
    list pages (constant number of queries)."""
    from .models import Session

    if not getattr(user, "is_authenticated", False):
        return Session.objects.none()
    return (
        Session.objects.filter(council__memberships__user=user)
        .select_related("council", "council__province", "council__round")
        .distinct()
        .order_by("-held_on", "-id")
    )


def membership_in(session, user):
    """The user's membership in the session's council, or None."""
    from .models import Membership

    return Membership.objects.filter(council_id=session.council_id, user=user).first()


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
        .order_by("artisan__full_name", "pk")
    )
