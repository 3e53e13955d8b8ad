"""Reads of the public registry of conferred artisans (`/nghe-nhan/`).

They read only `Conferral` rows (with their provinces and craft), never the artisan's own row: what the
registry may show is copied there, so no query of these pages can bring the CCCD number, the ethnicity,
the date of birth or the address with it.
"""

from django.db.models import Count, Q, QuerySet

from core.collation import text_sort_key
from core.text import fold_for_search

from .models import Conferral

# The columns the registry shows; nothing else is loaded.
_SHOWN = (
    "public_id",
    "full_name",
    "title",
    "round_number",
    "year",
    "decision_number",
    "decision_date",
    "posthumous",
    "province__name",
    "current_province__name",
    "craft__name",
)


def registry_filter(
    *, q: str = "", province_id: int | None = None, craft_id: int | None = None, title: str = "", year=None
) -> Q:
    """The registry's search and filters as one condition. `q` is folded like Conferral.search_text
    (tones, "đ" and case ignored) and each of its words must occur there, as in the dossier list.
    `province_id` is a province in force today: it finds the titles conferred in it and in the former
    provinces merged into it."""
    condition = Q()
    for word in fold_for_search(q).split():
        condition &= Q(search_text__contains=word)
    for name, value in (
        ("current_province_id", province_id),
        ("craft_id", craft_id),
        ("title", title),
        ("year", year),
    ):
        if value not in (None, ""):
            condition &= Q(**{name: value})
    return condition


def registry_rows(condition: Q | None = None) -> QuerySet[Conferral]:
    """The registry's rows meeting `condition`: newest decision first, then by name in Vietnamese order;
    one query for any number of rows (provinces and craft joined)."""
    rows = Conferral.objects.filter(condition or Q())
    return (
        rows.select_related("province", "current_province", "craft")
        .only(*_SHOWN, "province_id", "current_province_id", "craft_id")
        .order_by("-decision_date", "sort_key", "id")
    )


def registry_facets(condition: Q | None = None) -> tuple[list, list, list, int]:
    """In one query: the choices of the registry's filters, provinces in force (id, name) and crafts
    (id, name) in their orders and years newest first, and how many rows meet `condition` (the
    paginator's count)."""
    rows = (
        Conferral.objects.order_by()
        .values(
            "current_province_id",
            "current_province__name",
            "current_province__sort_key",
            "craft_id",
            "craft__name",
            "year",
        )
        .annotate(n=Count("id", filter=condition) if condition else Count("id"))
    )
    provinces, crafts, years, total = {}, {}, set(), 0
    for row in rows:
        provinces[row["current_province_id"]] = (
            row["current_province__sort_key"],
            row["current_province__name"],
        )
        crafts[row["craft_id"]] = row["craft__name"]
        years.add(row["year"])
        total += row["n"]
    return (
        [(pk, name) for pk, (_key, name) in sorted(provinces.items(), key=lambda item: item[1])],
        sorted(crafts.items(), key=lambda item: text_sort_key(item[1])),
        sorted(years, reverse=True),
        total,
    )


def registry_artisan(*, public_id: str) -> list[Conferral]:
    """The titles of the artisan whose registry page is `public_id`, earliest first; empty if none."""
    return list(registry_rows(Q(public_id=public_id)).order_by("decision_date", "id"))
