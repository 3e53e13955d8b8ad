"""Eligibility of a dossier against the criteria of Decree 43/2024/NĐ-CP: Art. 6 (People's Artisan) and
Art. 7 (Excellent Artisan). See docs/law.md §3.

    report = evaluate(facts_from_dossier(dossier), rules_for_round(dossier.round))
    report.overall                       # "met" | "not_met" | "council"
    report["trainees"].reason_vi         # "Đã truyền dạy nghề cho 149 người; ..."

Every threshold is read from the Rules; none is written here. Each criterion gives one of three
outcomes: "met", "not_met", or "council" when a machine cannot decide (a qualitative criterion, a
special-craft branch, or a threshold whose value is missing or whose confidence is NF: such a rule
never yields "not_met", nor "met").

`overall` is "not_met" if any checkable criterion is not met, "met" if every checkable criterion is
met, else "council". The two qualitative criteria (loyalty, moral standing) are always "council" and
are listed in the results, but left out of `overall`: the council judges them for every dossier, so
counting them would make "met" impossible and every dossier a council case.

The result does not depend on the order of the evidence tuples: everything is sorted here. The engine
reads no database; its sentences go through gettext (``messages``), each reason given in Vietnamese and
in English.

Modules: ``results`` (outcomes, keys, the result types), ``messages`` (the sentences), one module per
group of criteria (``titles``, ``craft_years``, ``works``, ``trainees``).
"""

from __future__ import annotations

from dossiers.facts import DossierFacts
from dossiers.models import Title
from dossiers.rulebook import Rules

from .craft_years import craft_span, years_in_craft
from .results import (
    COUNCIL,
    LOYALTY,
    MET,
    MORAL_STANDING,
    NEW_WORKS_AFTER_TITLE,
    NOT_MET,
    PRIOR_TITLE,
    PRIZED_WORKS,
    QUALITATIVE,
    TRAINEES,
    WORKS,
    YEARS_IN_CRAFT,
    CriterionResult,
    EligibilityReport,
    overall_of,
    qualitative,
)
from .titles import prior_title
from .trainees import trainees
from .works import new_works_after_title, prized_works, works

__all__ = [
    "COUNCIL",
    "LOYALTY",
    "MET",
    "MORAL_STANDING",
    "NEW_WORKS_AFTER_TITLE",
    "NOT_MET",
    "PRIOR_TITLE",
    "PRIZED_WORKS",
    "QUALITATIVE",
    "TRAINEES",
    "WORKS",
    "YEARS_IN_CRAFT",
    "CriterionResult",
    "EligibilityReport",
    "craft_span",
    "evaluate",
    "overall_of",
]


def evaluate(facts: DossierFacts, rules: Rules) -> EligibilityReport:
    """Check a dossier's facts against the criteria of its title, under the given rules."""
    if facts.title == Title.PEOPLES:
        results = (
            prior_title(facts, rules),
            qualitative(LOYALTY, facts.title, rules),
            years_in_craft(facts, rules),
            qualitative(MORAL_STANDING, facts.title, rules),
            new_works_after_title(facts, rules),
            trainees(facts, rules),
        )
    elif facts.title == Title.EXCELLENT:
        results = (
            qualitative(LOYALTY, facts.title, rules),
            years_in_craft(facts, rules),
            qualitative(MORAL_STANDING, facts.title, rules),
            works(facts, rules),
            prized_works(facts, rules),
            trainees(facts, rules),
        )
    else:
        raise ValueError(f"unknown title {facts.title!r}")
    return EligibilityReport(title=str(facts.title), results=results, overall=overall_of(results))
