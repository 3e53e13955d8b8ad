"""The rules in force for a round: its rulebook version's parameters, with the round's overrides.

    rules = rules_for_round(round)
    rules.value("nnnd.min_years_in_craft")      # 20
    rules["nnnd.min_years_in_craft"].article     # "Điều 6 khoản 2"

Every number of the law is read through here; none is written in code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

LEGAL_BASIS = "43/2024/NĐ-CP"


@dataclass(frozen=True)
class Rule:
    key: str
    value: Any
    article: str
    confidence: str
    description_vi: str
    description_en: str
    overridden: bool = False

    def description(self, language: str) -> str:
        return self.description_vi if language == "vi" else self.description_en


class Rules:
    """An immutable mapping key → Rule."""

    def __init__(self, rules: dict[str, Rule], *, legal_basis: str, version: int):
        self._rules = dict(rules)
        self.legal_basis = legal_basis
        self.version = version

    def __getitem__(self, key: str) -> Rule:
        try:
            return self._rules[key]
        except KeyError:
            raise KeyError(
                f"the rulebook {self.legal_basis} v{self.version} has no parameter {key!r}"
            ) from None

    def __contains__(self, key: str) -> bool:
        return key in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def value(self, key: str) -> Any:
        return self[key].value

    def with_values(self, **values: Any) -> Rules:
        """A copy with some values replaced (dotted keys written with __): for tests and previews."""
        changed = dict(self._rules)
        for name, value in values.items():
            key = name.replace("__", ".")
            old = self[key]
            changed[key] = Rule(**{**old.__dict__, "value": value, "overridden": True})
        return Rules(changed, legal_basis=self.legal_basis, version=self.version)
