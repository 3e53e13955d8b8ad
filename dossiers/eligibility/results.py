"""The outcomes, the criteria's keys, the result of one criterion and the report; and the helpers every
criterion builds its result with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from core.translation import in_languages
from dossiers.models import Confidence, Title
from dossiers.rulebook import Rule, Rules

from . import messages

MET = "met"
NOT_MET = "not_met"
COUNCIL = "council"

LOYALTY = "loyalty"
MORAL_STANDING = "moral_standing"
PRIOR_TITLE = "prior_title"
YEARS_IN_CRAFT = "years_in_craft"
NEW_WORKS_AFTER_TITLE = "new_works_after_title"
WORKS = "works"
PRIZED_WORKS = "prized_works"
TRAINEES = "trainees"

# Judged by the council for every dossier: shown, but not part of `overall`.
QUALITATIVE = frozenset({LOYALTY, MORAL_STANDING})

# The rulebook prefix of each title, and the rule whose article ("Điều 6", "Điều 7") the qualitative
# criteria cite (the rulebook has no parameter of their own: they have no number).
PREFIX = {Title.PEOPLES: "nnnd", Title.EXCELLENT: "nnut"}
_ARTICLE_ANCHOR = {Title.PEOPLES: "nnnd.required_prior_title", Title.EXCELLENT: "nnut.min_works"}


@dataclass(frozen=True)
class CriterionResult:
    """One criterion. `evidence_ids` are (kind, id) pairs, kind one of "prior_title", "period", "work",
    "award", "trainee", sorted. `figures` holds the numbers the reason is built from (JSON-friendly).
    The reason is given in Vietnamese and in English (official documents are always Vietnamese)."""

    key: str
    outcome: str
    article: str
    confidence: str
    evidence_ids: tuple[tuple[str, int], ...]
    reason_vi: str
    reason_en: str
    figures: dict[str, Any] = field(default_factory=dict, hash=False)

    def reason(self, language: str | None = None) -> str:
        """The reason in `language` (default: the active language)."""
        language = language or translation.get_language() or "vi"
        return self.reason_vi if language.startswith("vi") else self.reason_en

    @property
    def label(self) -> str:
        """The criterion's name in the active language."""
        return str(messages.LABELS[self.key])

    @property
    def label_vi(self) -> str:
        return in_languages(messages.LABELS[self.key])[0]

    @property
    def label_en(self) -> str:
        return in_languages(messages.LABELS[self.key])[1]


@dataclass(frozen=True)
class EligibilityReport:
    title: str
    results: tuple[CriterionResult, ...]
    overall: str

    def __getitem__(self, key: str) -> CriterionResult:
        for result in self.results:
            if result.key == key:
                return result
        raise KeyError(key)

    def __contains__(self, key: str) -> bool:
        return any(result.key == key for result in self.results)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(result.key for result in self.results)


def overall_of(results: tuple[CriterionResult, ...]) -> str:
    outcomes = {r.outcome for r in results if r.key not in QUALITATIVE}
    if NOT_MET in outcomes:
        return NOT_MET
    if outcomes <= {MET}:
        return MET
    return COUNCIL


def usable(rule: Rule) -> bool:
    """A threshold the machine may decide with: it has a value and was found in the text."""
    return rule.value is not None and rule.confidence != Confidence.NOT_FOUND


def criterion_result(
    key: str,
    outcome: str,
    rule: Rule,
    rules: Rules,
    reason: str,
    *,
    evidence=(),
    figures: dict[str, Any],
    shown: dict[str, Any] | None = None,
) -> CriterionResult:
    """A result citing `rule`; the reason is messages.REASONS[`reason`] filled with the figures, the rule's
    article and confidence note, and `shown` (values for display only, which take precedence)."""
    values = {**figures, "article": rule.article, "note": messages.note(rule, rules), **(shown or {})}
    vi, en = messages.render(reason, values)
    return CriterionResult(
        key=key,
        outcome=outcome,
        article=rule.article,
        confidence=rule.confidence,
        evidence_ids=tuple(sorted(set(evidence))),
        reason_vi=vi,
        reason_en=en,
        figures=figures,
    )


def undecidable(key: str, rule: Rule, rules: Rules, *, evidence=(), figures=None) -> CriterionResult:
    """The council judges: `rule` has no value, or its confidence is NF."""
    value = messages.UNKNOWN if rule.value is None else rule.value
    return criterion_result(
        key,
        COUNCIL,
        rule,
        rules,
        "unknown_threshold",
        evidence=evidence,
        figures={**(figures or {}), "rule_key": rule.key},
        shown={"label": messages.LABELS[key], "value": value},
    )


def qualitative(key: str, title: str, rules: Rules) -> CriterionResult:
    anchor = rules[_ARTICLE_ANCHOR[title]]
    vi, en = messages.render("qualitative", {"label": messages.LABELS[key], "article": anchor.article})
    return CriterionResult(
        key=key,
        outcome=COUNCIL,
        article=anchor.article,
        confidence=anchor.confidence,
        evidence_ids=(),
        reason_vi=vi,
        reason_en=en,
        figures={},
    )
