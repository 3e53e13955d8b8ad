from django.db.models import Q

from .models import AgendaItem


def agenda_scope(user) -> Q | None:
    """A council's members and secretary see the dossiers on their sessions' agendas: a provincial
    council only its province's (the agenda admits no other), the ministerial and State councils what
    was forwarded to them."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Q(pk__in=AgendaItem.objects.filter(session__council__memberships__user=user).values("dossier_id"))
