from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from dossiers.models import Round as RoundModel
from dossiers.models import RoundRuleOverride, RulebookVersion, RuleParameter

from . import LEGAL_BASIS, Rule, Rules


def rulebook_latest(legal_basis: str = LEGAL_BASIS) -> RulebookVersion:
    """The newest version of the rulebook of a legal basis (new rounds are pinned to it)."""
    return RulebookVersion.objects.filter(legal_basis=legal_basis).order_by("-version").first()


def rules_of_version(version: RulebookVersion) -> Rules:
    params = RuleParameter.objects.filter(version=version)
    return Rules({p.key: _rule(p) for p in params}, legal_basis=version.legal_basis, version=version.version)


def rules_for_round(round: RoundModel) -> Rules:
    """The rules in force for a round: its version's values, each replaced by the round's latest override.
    Two queries."""
    latest = RoundRuleOverride.objects.filter(round=round, key=OuterRef("key")).order_by("-created_at", "-id")
    params = RuleParameter.objects.filter(version_id=round.rulebook_id).annotate(
        override_id=Subquery(latest.values("id")[:1]),
        override_value=Subquery(latest.values("value")[:1]),
    )
    version = round.rulebook
    rules = {}
    for p in params:
        rule = _rule(p)
        if p.override_id is not None:
            rule = Rule(**{**rule.__dict__, "value": p.override_value, "overridden": True})
        rules[p.key] = rule
    return Rules(rules, legal_basis=version.legal_basis, version=version.version)


def _rule(p: RuleParameter) -> Rule:
    return Rule(
        key=p.key,
        value=p.value,
        article=p.article,
        confidence=p.confidence,
        description_vi=p.description_vi,
        description_en=p.description_en,
    )


@dataclass(frozen=True)
class RulebookRow:
    """One parameter as the rulebook page shows it: the version's value, article, mark and source, and
    the round's overrides, latest first (the first one is in force)."""

    parameter: RuleParameter
    overrides: tuple[RoundRuleOverride, ...]

    @property
    def override(self) -> RoundRuleOverride | None:
        return self.overrides[0] if self.overrides else None

    @property
    def value(self) -> Any:
        return self.override.value if self.override else self.parameter.value


def rulebook_rows(
    *, round: RoundModel | None = None, version: RulebookVersion | None = None
) -> list[RulebookRow]:
    """Every parameter of a round's rulebook (or of `version`), by key, with the round's overrides and
    who made them: two queries."""
    version_id = round.rulebook_id if round is not None else version.pk
    params = list(RuleParameter.objects.filter(version_id=version_id).order_by("key"))
    overrides: dict[str, list[RoundRuleOverride]] = {}
    if round is not None:
        for o in (
            RoundRuleOverride.objects.filter(round=round)
            .select_related("created_by")
            .order_by("key", "-created_at", "-id")
        ):
            overrides.setdefault(o.key, []).append(o)
    return [RulebookRow(p, tuple(overrides.get(p.key, ()))) for p in params]


def rounds_with_rulebook():
    """The rounds, newest first, with their rulebook version (the choice on the rulebook page)."""
    return RoundModel.objects.select_related("rulebook").order_by("-number")
