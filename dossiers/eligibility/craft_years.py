"""Time in the craft: the criterion, and the years and months that pages and documents show."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

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


def years_in_craft(facts: DossierFacts, rules: Rules) -> CriterionResult:
    """Time in the craft ≥ N years (`<prefix>.min_years_in_craft`), continuous or cumulative.

    Periods that overlap or touch (one ends the day before the next starts) are first merged, so no
    day is counted twice. Then the criterion is met when either
    - one merged period is N calendar years long: end ≥ start + N years − 1 day (01/01/2005–31/12/2024
      is exactly 20 years; a period starting on 29 February reaches its anniversary on 1 March in a
      common year, so it must run through 28 February); or
    - cumulatively: the sum of the inclusive day counts of the merged periods, divided by
      `craft_years.days_per_year`, is ≥ N (compared exactly, without floating point).
    The reason shows years and months: the calendar length of a single period, else the cumulative days
    converted with days_per_year (whole years, then whole twelfths of a year).
    """
    rule = rules[f"{PREFIX[facts.title]}.min_years_in_craft"]
    evidence = [("period", p.id) for p in facts.periods]
    if not usable(rule):
        return undecidable(YEARS_IN_CRAFT, rule, rules, evidence=evidence)
    required = rule.value
    per_year_rule = rules["craft_years.days_per_year"]
    per_year = _per_year(rules)

    merged = _merge(facts.periods)
    days = sum((end - start).days + 1 for start, end in merged)
    continuous = _is_whole(required) and any(
        end >= _add_years(start, int(required)) - _ONE_DAY for start, end in merged
    )
    cumulative = per_year is not None and days >= Fraction(str(required)) * per_year
    years, months = craft_span(facts.periods, rules)

    figures = {
        "days": days,
        "years": years,
        "months": months,
        "required": required,
        "periods": len(merged),
        "continuous": continuous,
    }
    if continuous or cumulative:
        outcome = MET
    elif per_year is None and len(merged) > 1:
        # Several periods and no way to add them up: not for the machine to refuse.
        return undecidable(YEARS_IN_CRAFT, per_year_rule, rules, evidence=evidence, figures=figures)
    else:
        outcome = NOT_MET
    return criterion_result(
        YEARS_IN_CRAFT, outcome, rule, rules, "years_in_craft", evidence=evidence, figures=figures
    )


def _per_year(rules: Rules) -> Fraction | None:
    rule = rules["craft_years.days_per_year"]
    return Fraction(str(rule.value)) if usable(rule) else None


def craft_span(periods, rules: Rules) -> tuple[int, int]:
    """Years and months in the craft, as the eligibility report states them: the calendar length of a
    single (merged) period, else the cumulative days over `craft_years.days_per_year`. `periods` are
    anything with `start` and `end` (PeriodFact, CraftPeriod). Pages and documents show this figure."""
    merged = _merge(periods)
    per_year = _per_year(rules)
    if len(merged) == 1:
        return _calendar_span(*merged[0])
    if per_year is not None:
        return _span_of_days(sum((end - start).days + 1 for start, end in merged), per_year)
    return divmod(sum(_months_between(s, e) for s, e in merged), _MONTHS_PER_YEAR)


def _merge(periods) -> list[tuple[date, date]]:
    spans = sorted((p.start, p.end) for p in periods if p.end >= p.start)
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _is_whole(value: Any) -> bool:
    return isinstance(value, int | float) and float(value).is_integer()


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year: the anniversary is 1 March
        return date(day.year + years, day.month + 1, 1)


def _months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end`, both included."""
    stop = end + _ONE_DAY
    months = (stop.year - start.year) * _MONTHS_PER_YEAR + stop.month - start.month
    if stop.day < start.day:
        months -= 1
    return months


def _calendar_span(start: date, end: date) -> tuple[int, int]:
    return divmod(_months_between(start, end), _MONTHS_PER_YEAR)


def _span_of_days(days: int, per_year: Fraction) -> tuple[int, int]:
    years = int(days // per_year)
    months = int((days - years * per_year) * _MONTHS_PER_YEAR // per_year)
    return years, months
