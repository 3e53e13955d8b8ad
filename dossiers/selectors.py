from django.db.models import QuerySet

from accounts.roles import Role, roles_of

from .models import Dossier
from .permissions import MINISTRY_ROLES, user_province_id


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """The read scope: an officer sees the dossiers of their province, the ministry sees all; others none.
    Joined for list pages (constant number of queries)."""
    qs = Dossier.objects.select_related("artisan", "artisan__craft", "round", "province", "receiving_agency")
    roles = roles_of(user)
    if roles & MINISTRY_ROLES:
        return qs
    if Role.PROVINCIAL_OFFICER in roles and user_province_id(user) is not None:
        return qs.filter(province_id=user_province_id(user))
    return qs.none()
