"""The title already held (People's Artisan): Excellent Artisan in handicrafts."""

from __future__ import annotations

from datetime import date

from dossiers.facts import DossierFacts
from dossiers.models import PriorTitle
from dossiers.rulebook import Rules

from . import messages
from .results import MET, NOT_MET, PRIOR_TITLE, CriterionResult, criterion_result, undecidable, usable


def display_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def qualifying_prior_titles(facts: DossierFacts, rules: Rules):
    """The prior titles that count (the required title, in handicrafts), earliest first."""
    required = rules.value("nnnd.required_prior_title")
    return sorted(
        (t for t in facts.prior_titles if t.title == required and t.field == PriorTitle.Field.HANDICRAFT),
        key=lambda t: (t.decision_date, t.id),
    )


def prior_title(facts: DossierFacts, rules: Rules) -> CriterionResult:
    rule = rules["nnnd.required_prior_title"]
    if not usable(rule):
        return undecidable(PRIOR_TITLE, rule, rules)
    shown = {"required_title": messages.title_label(rule.value)}
    qualifying = qualifying_prior_titles(facts, rules)
    if qualifying:
        first = qualifying[0]
        return criterion_result(
            PRIOR_TITLE,
            MET,
            rule,
            rules,
            "prior_title.met",
            evidence=[("prior_title", t.id) for t in qualifying],
            figures={
                "required_title": rule.value,
                "decision_number": first.decision_number,
                "decision_date": first.decision_date.isoformat(),
            },
            shown={**shown, "decision_date": display_date(first.decision_date)},
        )
    other_fields = [t for t in facts.prior_titles if t.title == rule.value]
    return criterion_result(
        PRIOR_TITLE,
        NOT_MET,
        rule,
        rules,
        "prior_title.heritage_only" if other_fields else "prior_title.not_met",
        evidence=[("prior_title", t.id) for t in other_fields],
        figures={"required_title": rule.value, "titles_in_other_fields": len(other_fields)},
        shown=shown,
    )
