"""Read-only queries on the administrative units (accounts.models.AdministrativeUnit).

Plain queries, no process-wide cache: the table is small and indexed on (level, valid_to), and a cache
would have to be invalidated whenever the reference data is edited in the admin or reloaded in a test.
"""

from django.db.models import Q, QuerySet

from core.text import to_nfc

from .models import AdministrativeUnit, Agency, User

Level = AdministrativeUnit.Level


def current_provinces() -> QuerySet[AdministrativeUnit]:
    """The provinces in force today (34 since 01/07/2025), by code."""
    return AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("code")


def communes_of(province: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The communes in force (xã, phường, đặc khu) of a province, by code."""
    return AdministrativeUnit.objects.filter(
        level=Level.COMMUNE, parent=province, valid_to__isnull=True
    ).order_by("code")


def former_province_by_cccd_code(code: str) -> AdministrativeUnit | None:
    """The province of the 2008-2025 edition whose CCCD birth-registration code is `code` (three digits,
    the first three of a CCCD number), with its successor loaded; None if there is none."""
    code = (code or "").strip()
    if len(code) != 3 or not code.isascii() or not code.isdigit():
        return None
    return (
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, cccd_code=code)
        .select_related("successor")
        .order_by("-valid_from")
        .first()
    )


def successor_of(unit: AdministrativeUnit) -> AdministrativeUnit | None:
    """The unit in force today that continues `unit`: `unit` itself if it is in force, else its successor
    (followed further if that one has ended too). None if the chain ends before reaching a unit in force."""
    seen: set[int] = set()
    while unit is not None and not unit.is_current:
        if unit.pk in seen:  # a cycle in hand-edited data: no answer rather than an endless loop
            return None
        seen.add(unit.pk)
        unit = unit.successor
    return unit


def current_units_by_name(
    *, level: str, parent: AdministrativeUnit | None = None
) -> QuerySet[AdministrativeUnit]:
    """The units of a level in force today, by name in Vietnamese order without their type in front
    (choices in a form: Đà Nẵng before Giang); of one parent if given."""
    queryset = AdministrativeUnit.objects.filter(level=level, valid_to__isnull=True)
    if parent is not None:
        queryset = queryset.filter(parent=parent)
    return queryset.order_by("sort_key", "code")


# --- the administrators' pages ---------------------------------------------------------------------------


def agencies_for_admin():
    """Every agency, by kind then name, with its province."""
    return Agency.objects.select_related("province").order_by("kind", "name")


def users_for_admin(*, query: str = ""):
    """Every account in Vietnamese name order (given name first), with its agency and roles; `query`
    narrows to names, user names or e-mail addresses that contain it."""
    users = User.objects.select_related("agency").prefetch_related("groups").order_by("sort_key", "pk")
    query = to_nfc(query or "")
    if query:
        users = users.filter(
            Q(full_name__icontains=query) | Q(username__icontains=query) | Q(email__icontains=query)
        )
    return users


def latest_invitation_of(user):
    return user.invitations.order_by("-created_at", "-pk").first()


def saved_filters_of(*, user, page: str) -> list:
    """The user's own saved searches of a list page, by name (one query)."""
    from .models import SavedFilter

    return list(SavedFilter.objects.filter(user=user, page=page))
