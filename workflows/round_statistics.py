"""The selectors of the round's statistics page (docs/statistics.md): counts by province, state, craft and
title; the pass rate at each council level; the days dossiers spend in each state.

Every figure is read from the dossiers the user may see (`dossiers_visible_to`, the dossier list's and
the pipeline's scope) narrowed by the page's filters, in a fixed number of queries whatever the number of
dossiers: the counts are one GROUP BY, the pass rates one GROUP BY over the audit log, the stage times one
ordered read of the audit log's (dossier, state, time) triples.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from dossiers.models import Dossier, DossierState
from dossiers.selectors import dossier_filter, dossiers_visible_to

from .models import AuditEntry

S = DossierState


@dataclass(frozen=True)
class StatisticsFilter:
    """The page's filters; each only narrows the user's read scope, never widens it."""

    round_id: int | None = None
    province_id: int | None = None
    title: str = ""
    craft_id: int | None = None


def statistics_dossiers(*, user, filters: StatisticsFilter) -> QuerySet[Dossier]:
    """The dossiers the figures are about: the user's read scope narrowed by the filters. An officer who
    names another province finds nothing: the scope is applied first."""
    condition = dossier_filter(
        round_id=filters.round_id, title=filters.title, province_id=filters.province_id
    )
    if filters.craft_id is not None:
        condition &= Q(artisan__craft_id=filters.craft_id)
    return dossiers_visible_to(user).filter(condition).order_by()


def dossier_counts(*, user, filters: StatisticsFilter) -> list[dict]:
    """Rows of (province_id, province__name, province__sort_key, artisan__craft_id, artisan__craft__name,
    title, state, n): one GROUP BY query; as many rows as combinations that occur, not as dossiers."""
    return list(
        statistics_dossiers(user=user, filters=filters)
        .values(
            "province_id",
            "province__name",
            "province__sort_key",
            "artisan__craft_id",
            "artisan__craft__name",
            "title",
            "state",
        )
        .annotate(n=Count("id"))
    )


@dataclass(frozen=True)
class CouncilLevel:
    key: str
    review: str  # the state a dossier enters when it goes before the council
    passed: str
    failed: str


COUNCIL_LEVELS = (
    CouncilLevel("provincial", S.PROVINCIAL_REVIEW, S.PROVINCIAL_PASSED, S.PROVINCIAL_FAILED),
    CouncilLevel("ministerial", S.MINISTERIAL_REVIEW, S.MINISTERIAL_PASSED, S.MINISTERIAL_FAILED),
    CouncilLevel("state", S.STATE_REVIEW, S.STATE_PASSED, S.STATE_FAILED),
)


@dataclass(frozen=True)
class PassRate:
    level: CouncilLevel
    reached: int  # dossiers ever sent before the council
    passed: int  # dossiers the council passed
    failed: int  # dossiers the council did not pass

    @property
    def waiting(self) -> int:
        """Reached but without a result yet (before the council, or on hold from there)."""
        return max(self.reached - self.passed - self.failed, 0)

    @property
    def rate(self) -> float | None:
        """Passed / reached, in per cent; None when no dossier reached the level (shown as "—")."""
        return 100 * self.passed / self.reached if self.reached else None


def pass_rates(*, user, filters: StatisticsFilter) -> list[PassRate]:
    """For each council level: how many dossiers reached it, passed, did not pass. Read from the audit
    log, where every council result is recorded as the step into `<level>_passed` or `<level>_failed`
    (one entry per dossier per closed ballot) and every referral as the step into `<level>_review`. A
    dossier counts once per state however many times it entered it (a hold and a release enter the
    state again). One query."""
    wanted = [state for level in COUNCIL_LEVELS for state in (level.review, level.passed, level.failed)]
    rows = (
        AuditEntry.objects.filter(
            dossier__in=statistics_dossiers(user=user, filters=filters).values("pk"), to_state__in=wanted
        )
        .order_by()
        .values("to_state")
        .annotate(n=Count("dossier_id", distinct=True))
    )
    counts = {row["to_state"]: row["n"] for row in rows}
    return [
        PassRate(level, counts.get(level.review, 0), counts.get(level.passed, 0), counts.get(level.failed, 0))
        for level in COUNCIL_LEVELS
    ]


@dataclass(frozen=True)
class StageTime:
    state: str
    stays: int  # completed stays in the state (entered, then left)
    median_days: float
    max_days: float


DAY = 86400.0


def stays_by_state(entries) -> dict[str, list[float]]:
    """From (dossier_id, to_state, at) triples ordered by dossier then time: for each state, the days of
    every completed stay in it (from the entry into it to the dossier's next entry). A dossier's current
    state is a stay not yet over: not counted."""
    stays: dict[str, list[float]] = defaultdict(list)
    previous: tuple[int, str, datetime] | None = None
    for dossier_id, state, at in entries:
        if previous is not None and previous[0] == dossier_id:
            stays[previous[1]].append((at - previous[2]).total_seconds() / DAY)
        previous = (dossier_id, state, at)
    return stays


def stage_times(*, user, filters: StatisticsFilter) -> list[StageTime]:
    """For each state a dossier left at least once: how many stays, the median and the longest, in days.
    One query (the audit log's triples, read in chunks); the median is taken here over the durations,
    the same on SQLite and PostgreSQL. States in the procedure's order."""
    entries = (
        AuditEntry.objects.filter(dossier__in=statistics_dossiers(user=user, filters=filters).values("pk"))
        .order_by("dossier_id", "at", "id")
        .values_list("dossier_id", "to_state", "at")
        .iterator(chunk_size=2000)
    )
    stays = stays_by_state(entries)
    return [
        StageTime(state.value, len(stays[state]), statistics.median(stays[state]), max(stays[state]))
        for state in S
        if stays.get(state)
    ]
