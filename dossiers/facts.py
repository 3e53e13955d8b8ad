"""A dossier as plain data: what the eligibility and completeness checks read.

The checks (dossiers.eligibility, dossiers.completeness) never see an ORM object; they take a
`DossierFacts`, which tests build by hand and production builds with `facts_from_dossier`. Every tuple
is sorted (by date, then id) so that two facts built from the same rows compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, prefetch_related_objects

from dossiers.models import Dossier


@dataclass(frozen=True)
class PriorTitleFact:
    """A title the artisan already holds (PriorTitle)."""

    id: int
    title: str
    field: str
    decision_number: str
    decision_date: date


@dataclass(frozen=True)
class PeriodFact:
    """A period in the craft, both ends included (CraftPeriod)."""

    id: int
    start: date
    end: date


@dataclass(frozen=True)
class WorkFact:
    id: int
    name: str
    completed_on: date


@dataclass(frozen=True)
class AwardFact:
    """A prize; `work_id` is None when it is not tied to one work."""

    id: int
    work_id: int | None
    level: str
    scope: str
    organiser_is_competent: bool
    state_appointed: bool
    awarded_on: date


@dataclass(frozen=True)
class TraineeFact:
    id: int
    count: int
    start: date
    end: date


@dataclass(frozen=True, kw_only=True)
class DossierFacts:
    """Everything the checks need to know about one dossier. Keyword-only; lists are turned into tuples."""

    title: str
    posthumous: bool = False
    craft_is_special: bool = False
    special_branch_claimed: bool = False
    prior_titles: tuple[PriorTitleFact, ...] = ()
    periods: tuple[PeriodFact, ...] = ()
    works: tuple[WorkFact, ...] = ()
    awards: tuple[AwardFact, ...] = ()
    trainees: tuple[TraineeFact, ...] = ()
    attachment_kinds: tuple[str, ...] = ()
    received_on: date
    returned_on: date | None = None
    resubmitted_on: date | None = None

    def __post_init__(self):
        for name in ("prior_titles", "periods", "works", "awards", "trainees", "attachment_kinds"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))


# The related rows a DossierFacts is built from. Used by facts_from_dossier on one dossier and by
# dossiers_for_facts on a queryset, so that a list of dossiers costs the same constant number of queries.
FACTS_SELECT = ("artisan__craft",)
# The foreign rows a step reads of its dossier, joined to its row lock (one statement, not one per
# relation): the round (its rules), the province (scope, documents), the artisan with its craft (the
# facts) and its address units (the declaration).
DOSSIER_JOINS = ("round", "province", *FACTS_SELECT, "artisan__commune", "artisan__province")
FACTS_PREFETCH = (
    "artisan__prior_titles",
    "craft_periods",
    "works",
    "awards",
    "trainee_records",
    "attachments",
)


def dossiers_for_facts(queryset: QuerySet[Dossier] | None = None) -> QuerySet[Dossier]:
    """Dossiers ready for facts_from_dossier: 1 query for the dossiers with artisan and craft, plus one per
    prefetched relation (6), whatever the number of dossiers. facts_from_dossier then runs no query."""
    queryset = Dossier.objects.all() if queryset is None else queryset
    return queryset.select_related(*FACTS_SELECT).prefetch_related(*FACTS_PREFETCH)


def facts_from_dossier(dossier: Dossier) -> DossierFacts:
    """The facts of one dossier, with a constant number of queries.

    On a dossier loaded on its own (`Dossier.objects.get(...)`): 8 queries, one each for the artisan,
    the craft, the prior titles, the craft periods, the works, the awards, the trainee records and the
    attachment kinds, however many rows each has. On a dossier that came from `dossiers_for_facts()`
    (or is otherwise already prefetched): no query. Relations already loaded are not fetched again, and
    those fetched here stay cached on `dossier`, as with prefetch_related.
    """
    prefetch_related_objects([dossier], *FACTS_SELECT, *FACTS_PREFETCH)
    artisan = dossier.artisan
    return DossierFacts(
        title=dossier.title,
        posthumous=dossier.posthumous,
        craft_is_special=artisan.craft.is_special,
        special_branch_claimed=dossier.special_branch_claimed,
        prior_titles=_sorted(
            (
                PriorTitleFact(
                    id=t.pk,
                    title=t.title,
                    field=t.field,
                    decision_number=t.decision_number,
                    decision_date=t.decision_date,
                )
                for t in artisan.prior_titles.all()
            ),
            "decision_date",
        ),
        periods=_sorted(
            (PeriodFact(id=p.pk, start=p.start, end=p.end) for p in dossier.craft_periods.all()), "start"
        ),
        works=_sorted(
            (WorkFact(id=w.pk, name=w.name, completed_on=w.completed_on) for w in dossier.works.all()),
            "completed_on",
        ),
        awards=_sorted(
            (
                AwardFact(
                    id=a.pk,
                    work_id=a.work_id,
                    level=a.level,
                    scope=a.scope,
                    organiser_is_competent=a.organiser_is_competent,
                    state_appointed=a.state_appointed,
                    awarded_on=a.awarded_on,
                )
                for a in dossier.awards.all()
            ),
            "awarded_on",
        ),
        trainees=_sorted(
            (
                TraineeFact(id=r.pk, count=r.count, start=r.start, end=r.end)
                for r in dossier.trainee_records.all()
            ),
            "start",
        ),
        attachment_kinds=tuple(sorted({a.kind for a in dossier.attachments.all()})),
        received_on=dossier.received_on,
        returned_on=dossier.returned_on,
        resubmitted_on=dossier.resubmitted_on,
    )


def _sorted(items: Iterable, date_attr: str) -> tuple:
    return tuple(sorted(items, key=lambda item: (getattr(item, date_attr), item.id)))


__all__ = [
    "FACTS_PREFETCH",
    "FACTS_SELECT",
    "AwardFact",
    "DossierFacts",
    "PeriodFact",
    "PriorTitleFact",
    "TraineeFact",
    "WorkFact",
    "dossiers_for_facts",
    "facts_from_dossier",
]
