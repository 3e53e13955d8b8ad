"""Teaching the craft: the number of trainees, and the special-craft branch the council judges."""

from __future__ import annotations

from dossiers.facts import DossierFacts
from dossiers.rulebook import Rules

from . import messages
from .results import (
    COUNCIL,
    MET,
    NOT_MET,
    PREFIX,
    TRAINEES,
    CriterionResult,
    criterion_result,
    undecidable,
    usable,
)


def trainees(facts: DossierFacts, rules: Rules) -> CriterionResult:
    """Sum of trainees ≥ `<prefix>.min_trainees` → met. Otherwise, for a special craft (or when the
    dossier claims the special-craft branch) → council, citing `<prefix>.min_trainees_special_craft`:
    what its number refers to is not known (NF), so the council judges. Otherwise → not met."""
    prefix = PREFIX[facts.title]
    rule = rules[f"{prefix}.min_trainees"]
    special = rules[f"{prefix}.min_trainees_special_craft"]
    evidence = [("trainee", t.id) for t in facts.trainees]
    count = sum(t.count for t in facts.trainees)
    special_case = facts.craft_is_special or facts.special_branch_claimed
    figures = {
        "count": count,
        "required": rule.value,
        "special_craft": facts.craft_is_special,
        "special_branch_claimed": facts.special_branch_claimed,
    }
    if usable(rule) and count >= rule.value:
        return criterion_result(TRAINEES, MET, rule, rules, "trainees", evidence=evidence, figures=figures)
    if special_case:
        return criterion_result(
            TRAINEES,
            COUNCIL,
            special,
            rules,
            "trainees.special",
            evidence=evidence,
            figures={**figures, "special_required": special.value},
            shown={
                "required": rule.value if rule.value is not None else messages.UNKNOWN,
                "article": rule.article,
                "note": messages.note(rule, rules),
                "special_value": messages.people(special.value),
                "special_article": special.article,
                "special_note": messages.note(special, rules),
            },
        )
    if not usable(rule):
        return undecidable(TRAINEES, rule, rules, evidence=evidence, figures=figures)
    return criterion_result(TRAINEES, NOT_MET, rule, rules, "trainees", evidence=evidence, figures=figures)
