"""The rulebook: every parameter cited and marked; rounds pinned; overrides audited; no law number in code."""

import ast
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dossiers.models import Confidence, RoundRuleOverride, RuleParameter
from dossiers.rulebook.selectors import rulebook_latest, rules_for_round
from dossiers.rulebook.services import round_rule_override
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = json.loads((ROOT / "dossiers/rulebook/43-2024-ND-CP.v1.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_version_1_holds_the_domain_files_values_each_with_article_and_mark():
    version = rulebook_latest()
    assert (version.legal_basis, version.version) == ("43/2024/NĐ-CP", 1)
    params = {p.key: p for p in RuleParameter.objects.filter(version=version)}
    assert set(params) == {p["key"] for p in DATA["parameters"]}
    for p in params.values():
        assert p.article and p.description_vi and p.description_en
        assert p.confidence in Confidence.values
    # a few values of section 9, with their marks
    assert (params["nnnd.min_years_in_craft"].value, params["nnnd.min_years_in_craft"].confidence) == (
        20,
        "C",
    )
    assert (params["nnnd.min_trainees"].value, params["nnnd.min_trainees"].confidence) == (150, "C")
    assert (params["nnut.min_years_in_craft"].value, params["nnut.min_years_in_craft"].confidence) == (
        15,
        "SEC",
    )
    assert (params["nnut.min_trainees"].value, params["nnut.min_trainees"].confidence) == (100, "P")
    assert (params["council.pass_ratio"].value, params["council.pass_base"].value) == (
        0.9,
        "all_members_on_list",
    )
    assert params["posting.provincial_days"].value is None
    assert params["posting.provincial_days"].confidence == "NF"


@pytest.mark.django_db
def test_administrator_override_applies_to_that_round_only_and_is_kept(django_assert_max_num_queries):
    admin = f.user("system_administrator")
    round6, round7 = f.round_(6), f.round_(7)
    round_rule_override(
        round=round6, key="nnut.min_trainees", value=80, reason="Văn bản chính thức", by=admin
    )
    round_rule_override(round=round6, key="nnut.min_trainees", value=90, reason="Đính chính", by=admin)
    with django_assert_max_num_queries(2):
        rules = rules_for_round(round6)
    assert rules.value("nnut.min_trainees") == 90 and rules["nnut.min_trainees"].overridden
    assert rules_for_round(round7).value("nnut.min_trainees") == 100
    assert RoundRuleOverride.objects.filter(round=round6).count() == 2  # history kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "value", "reason", "field"),
    [
        ("no.such.rule", 1, "x", "key"),
        ("nnut.min_trainees", "many", "x", "value"),
        ("nnut.min_trainees", 80, " ", "reason"),
    ],
)
def test_bad_override_is_refused(key, value, reason, field):
    with pytest.raises(ValidationError) as exc:
        round_rule_override(
            round=f.round_(), key=key, value=value, reason=reason, by=f.user("system_administrator")
        )
    assert field in exc.value.message_dict
    assert not RoundRuleOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["provincial_officer", "ministry_clerk", "council_member", "council_secretary"]
)
def test_only_a_ministry_leader_or_the_administrator_overrides(role):
    with pytest.raises(PermissionDenied):
        round_rule_override(round=f.round_(), key="nnut.min_trainees", value=80, reason="x", by=f.user(role))


LAW_NUMBERS = {
    v["value"]
    for v in DATA["parameters"]
    if isinstance(v["value"], int | float)
    and not isinstance(v["value"], bool)
    and v["value"] not in (1, 2, 3)
}
DECISION_CODE = [
    "dossiers/services",
    "dossiers/eligibility",
    "dossiers/completeness.py",
    "dossiers/facts.py",
    "dossiers/selectors.py",
    "dossiers/permissions.py",
    "dossiers/rulebook",
    # deadlines and council rules
    "workflows/guards.py",
    "workflows/steps.py",
    "workflows/transitions.py",
    "workflows/services",
    "councils/services.py",
    "councils/selectors.py",
]


def _is_percent(node, parents) -> bool:
    """`x * 100`: a ratio of the rulebook shown as a percentage, not a number of the law."""
    parent = parents.get(node)
    return node.value == 100 and isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mult)


def test_no_number_of_the_law_is_written_in_the_decision_code():
    offenders = []
    for entry in DECISION_CODE:
        path = ROOT / entry
        assert path.exists(), entry
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            tree = ast.parse(file.read_text(encoding="utf-8"))
            parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and type(node.value) in (int, float)
                    and node.value in LAW_NUMBERS
                    and not _is_percent(node, parents)
                ):
                    offenders.append(f"{file.relative_to(ROOT)}:{node.lineno} {node.value}")
    assert offenders == []


@pytest.mark.django_db
def test_the_calendar_counting_rule_is_in_the_rulebook_with_its_article_and_mark():
    param = RuleParameter.objects.get(version=rulebook_latest(), key="craft_years.days_per_month")
    assert (param.value, param.article, param.confidence) == (30, "Điều 6 khoản 2; Điều 7", "I")
    assert "15/03/2000" in param.description_vi and "15/03/2000" in param.description_en
    assert not RuleParameter.objects.filter(key="craft_years.days_per_year").exists()


@pytest.mark.django_db
def test_the_counting_rule_migration_replaces_the_days_per_year_rule_and_back():
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = import_module("dossiers.migrations.0012_craft_years_calendar_counting")
    editor = SimpleNamespace(connection=connection)
    version = rulebook_latest()
    keys = lambda: set(RuleParameter.objects.filter(version=version).values_list("key", flat=True))  # noqa: E731
    migration.backwards(apps, editor)
    assert "craft_years.days_per_year" in keys() and "craft_years.days_per_month" not in keys()
    migration.forwards(apps, editor)
    migration.forwards(apps, editor)  # idempotent
    assert keys() == {p["key"] for p in DATA["parameters"]}


def test_only_the_rulebooks_same_day_rule_compares_a_work_with_the_title_date():
    """The yes/no of the law is read, not written: evidence entry (dossiers/services/intake.py) and
    eligibility both decide "made after the title" with the one function that reads
    `nnnd.work_made_on_title_date_counts`; no other comparison of a work's date with a title date."""
    files = [
        file
        for entry in DECISION_CODE
        for file in ([ROOT / entry] if (ROOT / entry).is_file() else sorted((ROOT / entry).rglob("*.py")))
    ]
    assert ROOT / "dossiers/services/intake.py" in files
    places = []
    for file in files:
        source = file.read_text(encoding="utf-8")
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                text = ast.get_source_segment(source, node) or ""
                if isinstance(node, ast.Compare) and "completed_on" in text and "title" in text:
                    places.append(f"{file.relative_to(ROOT)}:{function.name}")
    assert set(places) == {"dossiers/eligibility/works.py:made_after_title"}


# The cache of the rules of a round ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_rules_of_a_round_cost_one_query_once_built(django_assert_num_queries):
    round6 = f.round_(6)
    with django_assert_num_queries(2):  # the key, then the version's parameters with the overrides
        first = rules_for_round(round6)
    with django_assert_num_queries(1):  # the key only
        again = rules_for_round(round6)
    assert [(r.key, r.value) for r in again] == [(r.key, r.value) for r in first]
    assert again.value("nnut.min_trainees") == 100 and not again["nnut.min_trainees"].overridden


@pytest.mark.django_db
def test_an_override_is_seen_by_the_next_call_even_written_by_another_process():
    admin = f.user("system_administrator")
    round6 = f.round_(6)
    assert rules_for_round(round6).value("nnut.min_trainees") == 100
    round_rule_override(round=round6, key="nnut.min_trainees", value=80, reason="Văn bản", by=admin)
    assert rules_for_round(round6).value("nnut.min_trainees") == 80
    # a row written elsewhere (another worker), not through this process's services
    RoundRuleOverride.objects.create(
        round=round6, key="nnut.min_trainees", value=70, reason="Đính chính", created_by=admin
    )
    rules = rules_for_round(round6)
    assert rules.value("nnut.min_trainees") == 70 and rules["nnut.min_trainees"].overridden


@pytest.mark.django_db
def test_two_rounds_are_not_confused():
    admin = f.user("system_administrator")
    round6, round7 = f.round_(6), f.round_(7)
    assert rules_for_round(round6).value("nnut.min_trainees") == 100
    assert rules_for_round(round7).value("nnut.min_trainees") == 100
    round_rule_override(round=round7, key="nnut.min_trainees", value=60, reason="Văn bản", by=admin)
    assert rules_for_round(round6).value("nnut.min_trainees") == 100
    assert rules_for_round(round7).value("nnut.min_trainees") == 60


@pytest.mark.django_db
def test_a_new_pin_is_seen_at_once_even_through_an_old_copy_of_the_round():
    from datetime import date

    from dossiers.models import Round, RulebookVersion
    from dossiers.services.rounds import round_rulebook_change

    round6 = f.round_(6)
    stale = Round.objects.get(pk=round6.pk)
    assert rules_for_round(stale).version == 1
    v1 = rulebook_latest()
    v2 = RulebookVersion.objects.create(
        legal_basis=v1.legal_basis, version=2, effective_from=date(2026, 1, 1)
    )
    for p in RuleParameter.objects.filter(version=v1):
        p.pk, p.version = None, v2
        if p.key == "nnut.min_trainees":
            p.value = 50
        p.save()
    round_rulebook_change(
        round=round6, rulebook=v2, reason="Nghị định sửa đổi", by=f.user("ministry_clerk", f.ministry())
    )
    rules = rules_for_round(stale)
    assert (rules.version, rules.value("nnut.min_trainees")) == (2, 50)
