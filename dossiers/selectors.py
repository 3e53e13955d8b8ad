from django.db.models import Q, QuerySet

from accounts.roles import Role, roles_of
from core.collation import text_sort_key
from core.text import fold_for_search

from .models import Artisan, Dossier, sealed_fields
from .permissions import MINISTRY_ROLES, user_province_id
from .scope import granted_scope


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """The read scope: an officer sees the dossiers of their province, the ministry sees all, a council's
    members the dossiers on their sessions' agendas (dossiers.scope); others none. Joined for list pages
    (constant number of queries)."""
    qs = Dossier.objects.select_related(
        "artisan", "artisan__craft", "round", "province", "receiving_agency"
    ).defer(*sealed_fields())
    roles = roles_of(user)
    if roles & MINISTRY_ROLES:
        return qs
    scope: Q | None = None
    if Role.PROVINCIAL_OFFICER in roles and user_province_id(user) is not None:
        scope = Q(province_id=user_province_id(user))
    granted = granted_scope(user, resolved=True) if roles else None
    if granted is not None:
        scope = granted if scope is None else scope | granted
    return qs.filter(scope) if scope is not None else qs.none()


def _cccd_digits(q: str) -> str:
    return "".join(ch for ch in (q or "") if ch not in " .")


def is_cccd_query(q: str) -> bool:
    """A search that is a CCCD number: 12 digits, spaces or dots between them allowed."""
    digits = _cccd_digits(q)
    return len(digits) == 12 and digits.isdigit()


def may_search_cccd(user) -> bool:
    """The roles that may see a CCCD number may find a dossier by it: the receiving officers (within their
    province's scope) and the ministry's clerks."""
    return bool(roles_of(user) & {Role.PROVINCIAL_OFFICER, Role.MINISTRY_CLERK})


def dossier_filter(
    *,
    q: str = "",
    round_id: int | None = None,
    title: str = "",
    state: str = "",
    posthumous: bool | None = None,
    province_id: int | None = None,
    craft_id: int | None = None,
    cccd_allowed: bool = False,
) -> Q:
    """The dossier list's search and filters as one condition, to narrow a read scope (never widen it).
    `q` is folded like Dossier.search_text (tones and "đ" removed, lower case) and each of its words must
    occur there: "pham hong" finds "Phạm Thị Hồng", and a code finds its dossier. A LIKE on a stored
    column, case-sensitive since both sides are folded to lower case: the same on SQLite and PostgreSQL,
    where a trigram index serves it (migration 0022). A CCCD number (12 digits, spaces allowed) matches
    exactly, through the artisan's blind index, and only when `cccd_allowed` (the roles that may see the
    number: `may_search_cccd`); for anyone else it matches nothing, so the list reveals no number."""
    condition = Q()
    if is_cccd_query(q):
        if not cccd_allowed:
            return Q(pk__in=[])
        condition &= Q(artisan__cccd_index=Artisan._meta.get_field("cccd_index").index_of(_cccd_digits(q)))
        q = ""
    for word in fold_for_search(q).split():
        condition &= Q(search_text__contains=word)
    fields = {"round_id": round_id, "title": title, "state": state, "posthumous": posthumous}
    fields["province_id"] = province_id
    fields["artisan__craft_id"] = craft_id
    for name, value in fields.items():
        if value is not None and value != "":
            condition &= Q(**{name: value})
    return condition


def dossier_list_facets(dossiers: QuerySet[Dossier], condition: Q) -> tuple[list, list, int, list]:
    """In one query over a read scope: its rounds (id, number), provinces (id, name) and crafts (id, name)
    in their orders, the choices of the list's filters, and how many of its dossiers meet `condition` (the
    paginator's count). Each choice is a row of its own small table: a round or a craft kept if one
    dossier of the scope has it (EXISTS, an index probe that stops at the first dossier), a province if it
    is among the scope's (a semi-join: the table of places holds thousands of communes besides the
    provinces); the three and the count are joined by UNION ALL. The rows are as many as the choices,
    never one per combination of round, province and craft."""
    from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Value
    from django.db.models.functions import Cast

    from accounts.models import AdministrativeUnit

    from .models import Craft, Round

    # typed NULLs: PostgreSQL reads a bare NULL in a UNION member as text, which no integer matches
    text, number = Cast(Value(None), CharField()), Cast(Value(None), IntegerField())
    scope = dossiers.order_by()
    columns = ("facet", "facet_pk", "facet_label", "facet_sort", "facet_order")

    def member(model, kind: str, in_scope: Q, label, sort, order):
        return (
            model.objects.order_by()
            .filter(Exists(scope.filter(in_scope)))
            .annotate(
                facet=Value(kind), facet_pk=F("pk"), facet_label=label, facet_sort=sort, facet_order=order
            )
            .values_list(*columns)
        )

    rounds = member(Round, "round", Q(round_id=OuterRef("pk")), text, text, F("number"))
    provinces = (
        AdministrativeUnit.objects.order_by()
        .filter(pk__in=scope.values("province_id"))
        .annotate(
            facet=Value("province"),
            facet_pk=F("pk"),
            facet_label=F("name"),
            facet_sort=F("sort_key"),
            facet_order=number,
        )
        .values_list(*columns)
    )
    crafts = member(Craft, "craft", Q(artisan__craft_id=OuterRef("pk")), F("name"), text, number)
    total = (
        (scope.filter(condition) if condition else scope)
        .annotate(facet=Value("total"))
        .values("facet")  # grouped by a constant: no GROUP BY, one row
        .annotate(facet_pk=Count("id"), facet_label=text, facet_sort=text, facet_order=number)
        .values_list(*columns)
    )
    found = {"round": {}, "province": {}, "craft": {}}
    count = 0
    for facet, pk, label, sort, order in rounds.union(provinces, crafts, total, all=True):
        if facet == "total":
            count = pk
        elif facet == "round":
            found["round"][pk] = order
        elif facet == "province":
            found["province"][pk] = (sort, label)
        else:
            found["craft"][pk] = label
    return (
        sorted(found["round"].items(), key=lambda item: -item[1]),
        [(pk, name) for pk, (_key, name) in sorted(found["province"].items(), key=lambda item: item[1])],
        count,
        sorted(found["craft"].items(), key=lambda item: text_sort_key(item[1] or "")),
    )


def dossier_by_id(*, pk: int) -> Dossier | None:
    """The dossier with this id, whatever the user's scope (the caller's service checks who may act)."""
    return Dossier.objects.filter(pk=pk).first()


def attachment_by_id(*, pk: int):
    """The attachment with this id and its dossier's artisan (the file's name is built from it), or None;
    whether the user may read it is the service's decision (attachment_open)."""
    from .models import Attachment

    return Attachment.objects.select_related("dossier__artisan").filter(pk=pk).first()


def dossier_works(*, dossier):
    """The dossier's works with their awards (two queries)."""
    return dossier.works.prefetch_related("awards")


def dossier_counts_by_state(*, user) -> list[tuple[str, int]]:
    """(state, number) of the dossiers the user may see: one aggregate query."""
    from django.db.models import Count

    rows = dossiers_visible_to(user).order_by("state").values("state").annotate(n=Count("id"))
    return [(row["state"], row["n"]) for row in rows]


def dossier_counts_by_province_and_state(*, user) -> list[dict]:
    """Rows of (province_id, province__name, province__sort_key, state, n) over the dossiers the user may
    see: one query."""
    from django.db.models import Count

    return list(
        dossiers_visible_to(user)
        .order_by()
        .values("province_id", "province__name", "province__sort_key", "state")
        .annotate(n=Count("id"))
    )


def provinces_of_visible_dossiers(*, user):
    """The provinces of the dossiers the user may see, by name (a choice of province in a form)."""
    from accounts.models import AdministrativeUnit

    return AdministrativeUnit.objects.filter(
        pk__in=dossiers_visible_to(user).order_by().values("province_id")
    ).order_by("sort_key", "code")


def crafts():
    """Every craft (a choice in the receiving form)."""
    from .models import Craft

    return Craft.objects.all()


def rounds():
    """Every round (a choice in the receiving form)."""
    from .models import Round

    return Round.objects.all()


def attachments_for_judging(*, dossier):
    """The files a council judges from: the photos and videos of the skills and the certified copies of
    awards and decisions; never the kinds that carry identity data (Attachment.SENSITIVE_KINDS)."""
    from .models import Attachment

    return dossier.attachments.exclude(kind__in=Attachment.SENSITIVE_KINDS).order_by("kind", "uploaded_at")
