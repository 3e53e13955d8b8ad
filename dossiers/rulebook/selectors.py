import functools
import threading
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dossiers.models import Round as RoundModel
from dossiers.models import RoundRuleOverride, RulebookVersion, RuleParameter

from . import LEGAL_BASIS, Rule, Rules


def rulebook_latest(legal_basis: str = LEGAL_BASIS) -> RulebookVersion:
    """The newest version of the rulebook of a legal basis (new rounds are pinned to it)."""
    return RulebookVersion.objects.filter(legal_basis=legal_basis).order_by("-version").first()


def rules_of_version(version: RulebookVersion) -> Rules:
    params = RuleParameter.objects.filter(version=version)
    return Rules({p.key: _rule(p) for p in params}, legal_basis=version.legal_basis, version=version.version)


# The rules of each round, built once per process and used again while nothing they are made of changed:
# the key is the round, its pinned version and its latest override (id and time), read by one cheap query
# on every call, so an override or a new pin written by any process is seen by the next call. A version's
# parameters are never edited (a new version is loaded instead); an edit in this process clears the cache.
_CACHE: OrderedDict[tuple, Rules] = OrderedDict()
_CACHE_SIZE = 64
_cache_lock = threading.Lock()
# The rules already read in the current `rules_held` block, by round id (None outside any block).
_HELD: ContextVar[dict | None] = ContextVar("rules_held", default=None)


def rules_cache_clear() -> None:
    with _cache_lock:
        _CACHE.clear()


@receiver([post_save, post_delete], sender=RuleParameter)
@receiver([post_save, post_delete], sender=RulebookVersion)
def _parameters_changed(**kwargs) -> None:
    rules_cache_clear()


@contextmanager
def rules_held():
    """Within the block, a round's rules are read once: the first `rules_for_round` of each round asks the
    key (or builds), the later ones in the block reuse it. For one step, whose transaction holds the
    dossier's lock: an override or pin committed by another process meanwhile is seen by the next step."""
    token = _HELD.set({})
    try:
        yield
    finally:
        _HELD.reset(token)


def rules_for_round(round: RoundModel) -> Rules:
    """The rules in force for a round: its version's values, each replaced by the round's latest override.
    One query when they are cached (the round's pin and latest override, the cache's key), two when not,
    none when already read in the same `rules_held` block.
    The version is the round's pin as stored (a pin changed meanwhile is seen at once)."""
    held = _HELD.get()
    if held is not None and round.pk is not None and round.pk in held:
        return held[round.pk]
    rules = _rules_for_round(round)
    if held is not None and round.pk is not None:
        held[round.pk] = rules
    return rules


def _rules_for_round(round: RoundModel) -> Rules:
    if round.pk is None:  # a round not saved yet has no override
        version = round.rulebook
        return _built(version.pk, None, legal_basis=version.legal_basis, version=version.version)
    version_id, legal_basis, number, last_id, last_at = _key_of(round.pk)
    key = (round.pk, version_id, last_id, last_at)
    with _cache_lock:
        rules = _CACHE.get(key)
        if rules is not None:
            _CACHE.move_to_end(key)
            return rules
    rules = _built(
        version_id, round.pk if last_id is not None else None, legal_basis=legal_basis, version=number
    )
    with _cache_lock:
        _CACHE[key] = rules
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return rules


@functools.cache
def _key_sql() -> str:
    """The cache key's query, written once: it runs on every step, and building it through the ORM each
    time cost more than running it."""
    r, v, o = RoundModel._meta.db_table, RulebookVersion._meta.db_table, RoundRuleOverride._meta.db_table
    # table names from the models, no user input: the round's id is a parameter
    last = f"SELECT o.%s FROM {o} o WHERE o.round_id = r.id ORDER BY o.id DESC LIMIT 1"  # noqa: S608
    return (
        f"SELECT r.rulebook_id, v.legal_basis, v.version, ({last % 'id'}), ({last % 'created_at'}) "  # noqa: S608
        f"FROM {r} r INNER JOIN {v} v ON v.id = r.rulebook_id WHERE r.id = %s"
    )


def _key_of(round_id: int) -> tuple:
    """(version id, legal basis, version number, latest override id, its time) of a saved round."""
    with connection.cursor() as cursor:
        cursor.execute(_key_sql(), [round_id])
        row = cursor.fetchone()
    if row is None:
        raise RoundModel.DoesNotExist(f"round {round_id}")
    return row


def _built(version_id: int, round_id: int | None, *, legal_basis: str, version: int) -> Rules:
    """The version's parameters, each replaced by the round's latest override (if it has any): one query."""
    params = RuleParameter.objects.filter(version_id=version_id)
    if round_id is not None:
        latest = RoundRuleOverride.objects.filter(round_id=round_id, key=OuterRef("key")).order_by(
            "-created_at", "-id"
        )
        params = params.annotate(
            override_id=Subquery(latest.values("id")[:1]),
            override_value=Subquery(latest.values("value")[:1]),
        )
    rules = {}
    for p in params:
        rule = _rule(p)
        if getattr(p, "override_id", None) is not None:
            rule = Rule(**{**rule.__dict__, "value": p.override_value, "overridden": True})
        rules[p.key] = rule
    return Rules(rules, legal_basis=legal_basis, version=version)


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
