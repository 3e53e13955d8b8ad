"""Works and prizes: new works after the title (People's Artisan), number of works and prized works
(Excellent Artisan)."""

from __future__ import annotations

from typing import Any

from dossiers.facts import AwardFact, DossierFacts, WorkFact
from dossiers.models import Award
from dossiers.rulebook import Rules

from . import messages
from .results import (
    MET,
    NEW_WORKS_AFTER_TITLE,
    NOT_MET,
    PREFIX,
    PRIZED_WORKS,
    WORKS,
    CriterionResult,
    criterion_result,
    undecidable,
    usable,
)
from .titles import display_date, qualifying_prior_titles

# Prize levels, best first: a rule's min_level accepts its own level and every better one.
_LEVELS_BEST_FIRST = (Award.Level.FIRST, Award.Level.SECOND, Award.Level.THIRD, Award.Level.CONSOLATION)
_LEVEL_RANK = {str(level): rank for rank, level in enumerate(_LEVELS_BEST_FIRST)}


def made_after_title(completed_on, title_date, rules: Rules) -> bool:
    """Whether a work completed on `completed_on` counts as made after the title of `title_date`:
    strictly after, or on the same day too when the round's `nnnd.work_made_on_title_date_counts` says
    so. Eligibility and evidence entry both decide with this, so a round judges and accepts alike."""
    same_day_counts = bool(rules.value("nnnd.work_made_on_title_date_counts"))
    return completed_on > title_date or (same_day_counts and completed_on == title_date)


def _award_qualifies(award: AwardFact, prize_rules: list[dict[str, Any]]) -> bool:
    """Whether an award meets one of the prize rules: scope in the rule's scopes, level at least its
    min_level (first > second > third > consolation), and the organiser / State-sent flags it requires."""
    rank = _LEVEL_RANK.get(award.level)
    if rank is None:
        return False
    for prize_rule in prize_rules:
        min_rank = _LEVEL_RANK.get(prize_rule.get("min_level"))
        if (
            min_rank is not None
            and award.scope in prize_rule.get("scopes", ())
            and rank <= min_rank
            and (award.organiser_is_competent or not prize_rule.get("requires_competent_organiser"))
            and (award.state_appointed or not prize_rule.get("requires_state_appointed"))
        ):
            return True
    return False


def _prized(
    works: list[WorkFact], awards: tuple[AwardFact, ...], prize_rules: list[dict[str, Any]]
) -> tuple[list[WorkFact], list[AwardFact]]:
    """The works among `works` with at least one qualifying award, and those awards."""
    ids = {w.id for w in works}
    winning = [a for a in awards if a.work_id in ids and _award_qualifies(a, prize_rules)]
    won = {a.work_id for a in winning}
    return sorted((w for w in works if w.id in won), key=lambda w: w.id), sorted(winning, key=lambda a: a.id)


def new_works_after_title(facts: DossierFacts, rules: Rules) -> CriterionResult:
    """People's Artisan: works completed after the Excellent Artisan decision date (strictly after,
    unless `nnnd.work_made_on_title_date_counts`), each with an award meeting `nnnd.work_prize_rules`;
    at least `nnnd.min_new_works_after_title` of them. The date is that of the earliest qualifying
    prior title."""
    rule = rules["nnnd.min_new_works_after_title"]
    prize_rule = rules["nnnd.work_prize_rules"]
    for needed in (rule, prize_rule):
        if not usable(needed):
            return undecidable(NEW_WORKS_AFTER_TITLE, needed, rules)
    required = rule.value
    titles = qualifying_prior_titles(facts, rules)
    if not titles:
        return criterion_result(
            NEW_WORKS_AFTER_TITLE,
            NOT_MET,
            rule,
            rules,
            "new_works_after_title.no_title",
            figures={"count": 0, "required": required},
            shown={"required_title": messages.title_label(rules.value("nnnd.required_prior_title"))},
        )
    title_date = titles[0].decision_date
    after = [w for w in facts.works if made_after_title(w.completed_on, title_date, rules)]
    prized, awards = _prized(after, facts.awards, prize_rule.value)
    return criterion_result(
        NEW_WORKS_AFTER_TITLE,
        MET if len(prized) >= required else NOT_MET,
        rule,
        rules,
        "new_works_after_title",
        evidence=[("work", w.id) for w in prized] + [("award", a.id) for a in awards],
        figures={
            "count": len(prized),
            "required": required,
            "title_date": title_date.isoformat(),
            "works_after_title": len(after),
        },
        shown={"title_date": display_date(title_date)},
    )


def works(facts: DossierFacts, rules: Rules) -> CriterionResult:
    rule = rules[f"{PREFIX[facts.title]}.min_works"]
    evidence = [("work", w.id) for w in facts.works]
    if not usable(rule):
        return undecidable(WORKS, rule, rules, evidence=evidence)
    count = len({w.id for w in facts.works})
    return criterion_result(
        WORKS,
        MET if count >= rule.value else NOT_MET,
        rule,
        rules,
        "works",
        evidence=evidence,
        figures={"count": count, "required": rule.value},
    )


def prized_works(facts: DossierFacts, rules: Rules) -> CriterionResult:
    prefix = PREFIX[facts.title]
    rule = rules[f"{prefix}.min_prized_works"]
    prize_rule = rules[f"{prefix}.work_prize_rules"]
    for needed in (rule, prize_rule):
        if not usable(needed):
            return undecidable(PRIZED_WORKS, needed, rules)
    prized, awards = _prized(list(facts.works), facts.awards, prize_rule.value)
    return criterion_result(
        PRIZED_WORKS,
        MET if len(prized) >= rule.value else NOT_MET,
        rule,
        rules,
        "prized_works",
        evidence=[("work", w.id) for w in prized] + [("award", a.id) for a in awards],
        figures={"count": len(prized), "required": rule.value},
    )
