from django.db.models import Q, QuerySet

from accounts.roles import Role, roles_of

from .models import Dossier
from .permissions import MINISTRY_ROLES, user_province_id
from .scope import granted_scope


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """The read scope: an officer sees the dossiers of their province, the ministry sees all, a council's
    members the dossiers on their sessions' agendas (dossiers.scope); others none. Joined for list pages
    (constant number of queries)."""
    qs = Dossier.objects.select_related("artisan", "artisan__craft", "round", "province", "receiving_agency")
    roles = roles_of(user)
    if roles & MINISTRY_ROLES:
        return qs
    scope: Q | None = None
    if Role.PROVINCIAL_OFFICER in roles and user_province_id(user) is not None:
        scope = Q(province_id=user_province_id(user))
    granted = granted_scope(user) if roles else None
    if granted is not None:
        scope = granted if scope is None else scope | granted
    return qs.filter(scope) if scope is not None else qs.none()
