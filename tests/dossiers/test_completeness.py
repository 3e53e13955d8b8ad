"""Completeness at intake: required attachment groups, empty evidence sections, and the reply and
supplement deadlines (10 and 15 calendar days in rulebook v1)."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone, translation

from dossiers import completeness
from dossiers.completeness import check_completeness, days_left
from dossiers.facts import DossierFacts, PeriodFact, PriorTitleFact, TraineeFact, WorkFact


def complete_facts(**over) -> DossierFacts:
    values = {
        "title": "peoples",
        "prior_titles": (
            PriorTitleFact(
                id=1,
                title="excellent",
                field="handicraft",
                decision_number="1000/QĐ-CTN",
                decision_date=date(2016, 8, 26),
            ),
        ),
        "periods": (PeriodFact(id=1, start=date(1990, 1, 1), end=date(2024, 12, 31)),),
        "works": (WorkFact(id=1, name="Bình gốm", completed_on=date(2020, 1, 1)),),
        "trainees": (TraineeFact(id=1, count=150, start=date(2000, 1, 1), end=date(2024, 12, 31)),),
        "attachment_kinds": ("declaration", "skills_media"),
        "received_on": date(2025, 10, 1),
    }
    values.update(over)
    return DossierFacts(**values)


def missing_keys(facts, rules):
    return [item.key for item in check_completeness(facts, rules).missing]


def test_a_complete_dossier(rules_v1):
    report = check_completeness(complete_facts(), rules_v1)
    assert report.complete and report.missing == ()


def test_missing_declaration(rules_v1):
    report = check_completeness(complete_facts(attachment_kinds=("skills_media",)), rules_v1)
    assert not report.complete
    assert [m.key for m in report.missing] == ["attachment:declaration"]
    assert report.missing[0].label_vi == "Bản khai thành tích đề nghị xét tặng danh hiệu"
    assert report.missing[0].label_en == "Achievement declaration"


def test_missing_skills_evidence_group_names_every_alternative(rules_v1):
    report = check_completeness(complete_facts(attachment_kinds=("declaration", "other")), rules_v1)
    assert [m.key for m in report.missing] == ["attachment:skills_media|certified_copy"]
    item = report.missing[0]
    assert " hoặc " in item.label_vi and "chứng thực" in item.label_vi
    assert " or " in item.label_en and "Certified copy" in item.label_en


@pytest.mark.parametrize("kind", ["skills_media", "certified_copy"])
def test_any_one_kind_of_a_group_satisfies_it(rules_v1, kind):
    assert missing_keys(complete_facts(attachment_kinds=("declaration", kind)), rules_v1) == []


def test_no_attachment_at_all_misses_every_group(rules_v1):
    assert missing_keys(complete_facts(attachment_kinds=()), rules_v1) == [
        "attachment:declaration",
        "attachment:skills_media|certified_copy",
    ]


def test_required_groups_come_from_the_rules(rules_v1):
    rules = rules_v1.with_values(intake__required_attachments=[["declaration"], ["trainee_evidence"]])
    report = check_completeness(complete_facts(), rules)
    assert [m.key for m in report.missing] == ["attachment:trainee_evidence"]
    assert report.missing[0].label_en == "Evidence of trainees taught"


@pytest.mark.parametrize(
    ("over", "key"),
    [
        ({"periods": ()}, "evidence:craft_periods"),
        ({"works": ()}, "evidence:works"),
        ({"trainees": ()}, "evidence:trainees"),
        ({"prior_titles": ()}, "evidence:prior_title"),
    ],
)
def test_each_empty_evidence_section_is_missing(rules_v1, over, key):
    report = check_completeness(complete_facts(**over), rules_v1)
    assert not report.complete
    assert [m.key for m in report.missing] == [key]
    assert report.missing[0].label_vi and report.missing[0].label_en


def test_prior_title_label_names_the_required_title(rules_v1):
    (item,) = check_completeness(complete_facts(prior_titles=()), rules_v1).missing
    assert "Nghệ nhân ưu tú" in item.label_vi and "Excellent Artisan" in item.label_en


def test_everything_missing_is_listed_in_a_stable_order(rules_v1):
    empty = DossierFacts(title="peoples", received_on=date(2025, 10, 1))
    assert missing_keys(empty, rules_v1) == [
        "attachment:declaration",
        "attachment:skills_media|certified_copy",
        "evidence:craft_periods",
        "evidence:works",
        "evidence:trainees",
        "evidence:prior_title",
    ]


def test_excellent_artisan_needs_no_prior_title(rules_v1):
    assert missing_keys(complete_facts(title="excellent", prior_titles=()), rules_v1) == []


def test_a_heritage_field_prior_title_is_a_record_eligibility_judges(rules_v1):
    heritage = PriorTitleFact(
        id=2, title="excellent", field="heritage", decision_number="1/QĐ", decision_date=date(2019, 1, 1)
    )
    assert missing_keys(complete_facts(prior_titles=(heritage,)), rules_v1) == []


def test_another_title_is_not_the_prior_title_record(rules_v1):
    other = PriorTitleFact(
        id=2, title="peoples", field="handicraft", decision_number="1/QĐ", decision_date=date(2019, 1, 1)
    )
    assert missing_keys(complete_facts(prior_titles=(other,)), rules_v1) == ["evidence:prior_title"]


# --- deadlines --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2025, 10, 1), date(2025, 10, 11)),
        (date(2025, 10, 25), date(2025, 11, 4)),  # month end
        (date(2025, 12, 25), date(2026, 1, 4)),  # year end
        (date(2024, 2, 25), date(2024, 3, 6)),  # leap February
        (date(2025, 2, 25), date(2025, 3, 7)),
    ],
)
def test_reply_is_due_ten_days_after_receipt(rules_v1, received, due):
    report = check_completeness(complete_facts(received_on=received), rules_v1)
    assert report.reply_due == due
    assert report.supplement_due is None


def test_reply_is_due_ten_days_after_resubmission(rules_v1):
    facts = complete_facts(
        received_on=date(2025, 12, 1), returned_on=date(2025, 12, 8), resubmitted_on=date(2025, 12, 22)
    )
    report = check_completeness(facts, rules_v1)
    assert report.reply_due == date(2026, 1, 1)
    assert report.supplement_due == date(2025, 12, 23)


@pytest.mark.parametrize(
    ("returned", "due"),
    [
        (date(2025, 10, 5), date(2025, 10, 20)),
        (date(2025, 12, 20), date(2026, 1, 4)),  # year end
        (date(2026, 2, 20), date(2026, 3, 7)),  # February
    ],
)
def test_supplement_is_due_fifteen_days_after_return(rules_v1, returned, due):
    facts = complete_facts(received_on=returned.replace(day=1), returned_on=returned)
    assert check_completeness(facts, rules_v1).supplement_due == due


def test_deadlines_come_from_the_rules(rules_v1):
    rules = rules_v1.with_values(intake__check_days=5, intake__supplement_days=30)
    facts = complete_facts(received_on=date(2025, 12, 29), returned_on=date(2026, 1, 2))
    report = check_completeness(facts, rules)
    assert (report.reply_due, report.supplement_due) == (date(2026, 1, 3), date(2026, 2, 1))


def test_days_left():
    due = date(2026, 1, 4)
    assert days_left(due, date(2025, 12, 25)) == 10
    assert days_left(due, due) == 0
    assert days_left(due, date(2026, 1, 5)) == -1
    assert days_left(due) == (due - timezone.localdate()).days


def test_completeness_module_holds_no_number():
    tree = ast.parse(Path(completeness.__file__).read_text(encoding="utf-8"))
    numbers = [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) in (int, float)
    ]
    assert numbers == []
    for code in ("vi", "en"):
        with translation.override(code):
            language = {name: str(text) for name, text in completeness._LABELS.items()}
        assert not [text for text in language.values() if any(ch.isdigit() for ch in text)]
