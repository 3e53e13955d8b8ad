"""Time in the craft: the criterion, and the years and months that pages and documents show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from dossiers.facts import DossierFacts
from dossiers.rulebook import Rules

from .results import (
    MET,
    NOT_MET,
    PREFIX,
    YEARS_IN_CRAFT,
    CriterionResult,
    criterion_result,
    undecidable,
    usable,
)

_ONE_DAY = timedelta(days=1)
_MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class Span:
    """A length of time in calendar terms: whole years, then whole months, then days."""

    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def in_months(self) -> int:
        return self.years * _MONTHS_PER_YEAR + self.months


def years_in_craft(facts: DossierFacts, rules: Rules) -> CriterionResult:
    """Time in the craft ≥ N years (`<prefix>.min_years_in_craft`), continuous or cumulative, counted as
    `craft_years.days_per_month` states (docs/law.md §3.5):

    - periods that overlap or touch (one ends the day before the next starts) are first merged, so no
      day is counted twice;
    - each merged period is counted in calendar years, months and days, both ends included:
      15/03/2000–14/03/2010 is exactly 10 years; a period starting on 29 February reaches its
      anniversary on 1 March in a common year, so 29/02/2004–28/02/2019 is exactly 15 years;
    - the periods' years, months and days are added; when there are several periods, their left-over
      days are added and every `craft_years.days_per_month` of them make one month; 12 months make a
      year. (One period's left-over days are less than a calendar month and stay days.)

    The criterion is met when the sum is at least N years (compared exactly, without floating point).
    """
    rule = rules[f"{PREFIX[facts.title]}.min_years_in_craft"]
    evidence = [("period", p.id) for p in facts.periods]
    if not usable(rule):
        return undecidable(YEARS_IN_CRAFT, rule, rules, evidence=evidence)
    merged = _merge(facts.periods)
    per_month_rule = rules["craft_years.days_per_month"]
    total = _sum(merged, _per_month(rules))
    figures = {
        "days": sum((end - start).days + 1 for start, end in merged),
        "years": total.years,
        "months": total.months,
        "left_days": total.days,
        "required": rule.value,
        "periods": len(merged),
        "continuous": len(merged) == 1,
    }
    required_months = Fraction(str(rule.value)) * _MONTHS_PER_YEAR
    if total.in_months >= required_months:
        outcome = MET
    elif len(merged) > 1 and _per_month(rules) is None and total.days:
        # Several periods with left-over days and no rule to turn days into months: the council judges.
        return undecidable(YEARS_IN_CRAFT, per_month_rule, rules, evidence=evidence, figures=figures)
    else:
        outcome = NOT_MET
    return criterion_result(
        YEARS_IN_CRAFT, outcome, rule, rules, "years_in_craft", evidence=evidence, figures=figures
    )


def craft_span(periods, rules: Rules) -> tuple[int, int]:
    """Years and months in the craft, as the eligibility report states them (see years_in_craft).
    `periods` are anything with `start` and `end` (PeriodFact, CraftPeriod). Pages and documents show
    this figure."""
    total = _sum(_merge(periods), _per_month(rules))
    return total.years, total.months


def calendar_span(start: date, end: date) -> Span:
    """The calendar length of one period, both ends included: 15/03/2000–14/03/2010 is 10 years, 0
    months, 0 days; 01/01/2024–30/01/2024 is 30 days. A date with no match in a shorter month (29
    February, 31st) reaches it on the 1st of the next month."""
    stop = end + _ONE_DAY
    months = (stop.year - start.year) * _MONTHS_PER_YEAR + stop.month - start.month
    if stop.day < start.day:
        months -= 1
    anchor = _add_months(start, months)
    years, months = divmod(months, _MONTHS_PER_YEAR)
    return Span(years, months, (stop - anchor).days)


def _per_month(rules: Rules) -> int | None:
    rule = rules["craft_years.days_per_month"]
    return int(rule.value) if usable(rule) else None


def _sum(merged: list[tuple[date, date]], per_month: int | None) -> Span:
    spans = [calendar_span(start, end) for start, end in merged]
    months = sum(s.in_months for s in spans)
    days = sum(s.days for s in spans)
    if len(spans) > 1 and per_month:
        carried, days = divmod(days, per_month)
        months += carried
    years, months = divmod(months, _MONTHS_PER_YEAR)
    return Span(years, months, days)


def _merge(periods) -> list[tuple[date, date]]:
    spans = sorted((p.start, p.end) for p in periods if p.end >= p.start)
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _add_months(day: date, months: int) -> date:
    """`day` moved by `months`; a day the target month lacks becomes the 1st of the following month."""
    index = day.year * _MONTHS_PER_YEAR + day.month - 1 + months
    year, month = divmod(index, _MONTHS_PER_YEAR)
    try:
        return date(year, month + 1, day.day)
    except ValueError:
        year, month = divmod(index + 1, _MONTHS_PER_YEAR)
        return date(year, month + 1, 1)
