"""Setting up a round through the services: its plan, its four levels of milestones, the rulebook version
it is judged by (fixed by its first dossier), the rules overridden for it, and the history of each act."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.models import ActionRecord
from core.services import action_records_of
from dossiers.models import Round, RoundMilestone, RoundRuleOverride, RulebookVersion, RuleParameter
from dossiers.rulebook.selectors import rulebook_latest, rules_for_round
from dossiers.rulebook.services import round_rule_override
from dossiers.services.rounds import round_create, round_rulebook_change, round_update
from tests import factories as f

pytestmark = pytest.mark.django_db

PLAN_DATE = date(2025, 2, 10)
MILESTONES = [
    ("applicant", "Nộp hồ sơ tại Sở Công Thương", date(2025, 5, 30)),
    ("provincial", "Sở Công Thương gửi hồ sơ về Bộ", date(2025, 9, 30)),
    ("ministerial", "Hội đồng cấp Bộ họp xét", date(2025, 12, 15)),
    ("state", "Hội đồng cấp Nhà nước họp xét", date(2026, 3, 31)),
]


def clerk():
    return f.user("ministry_clerk", f.ministry(), full_name="Trần Thị Chuyên Viên")


def create(by=None, **changes):
    values = {
        "number": 7,
        "name": "Xét tặng lần thứ 7",
        "plan_decision_number": "123/QĐ-BCT",
        "plan_decision_date": PLAN_DATE,
        "milestones": MILESTONES,
        "by": by or clerk(),
    }
    values.update(changes)
    return round_create(**values)


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def other_version() -> RulebookVersion:
    latest = rulebook_latest()
    return RulebookVersion.objects.create(
        legal_basis=latest.legal_basis, version=latest.version + 1, effective_from=date(2026, 1, 1)
    )


def test_a_clerk_creates_a_round_with_its_milestones_pinned_to_the_newest_rulebook():
    by = clerk()
    round = create(by=by, name="  Xét tặng   lần thứ 7 ")
    assert (round.number, round.name, round.plan_decision_number) == (7, "Xét tặng lần thứ 7", "123/QĐ-BCT")
    assert round.rulebook == rulebook_latest()
    saved = [(m.level, m.description, m.due_on) for m in round.milestones.order_by("due_on")]
    assert saved == MILESTONES
    (record,) = action_records_of(round)
    assert (record.action, record.actor) == ("round.create", by)
    assert "7" in record.summary and record.data["milestones"][0]["due_on"] == "2025-05-30"


def test_a_round_may_be_pinned_to_another_version_when_created():
    version = other_version()
    assert create(rulebook=version).rulebook == version


def test_the_number_is_unique():
    create()
    errors = errors_of(lambda: create(name="Lần khác"))
    assert "number" in errors
    assert Round.objects.filter(number=7).count() == 1


@pytest.mark.parametrize("number", [0, -1, None, "7"])
def test_the_number_is_a_whole_number_from_one(number):
    assert "number" in errors_of(lambda: create(number=number))


def test_validation_messages_are_in_vietnamese():
    create()
    with translation.override("vi"):
        errors = errors_of(lambda: create())
    assert "đã có" in errors["number"][0].lower() or "đã tồn tại" in errors["number"][0].lower()


@pytest.mark.parametrize(
    ("field", "value"), [("name", " "), ("plan_decision_number", ""), ("plan_decision_date", None)]
)
def test_the_plan_needs_a_name_a_decision_number_and_a_date(field, value):
    assert field in errors_of(lambda: create(**{field: value}))
    assert not Round.objects.filter(number=7).exists()


def test_the_plan_date_may_be_the_first_milestone_but_not_after_it():
    first = MILESTONES[0][2]
    assert create(number=7, plan_decision_date=first).plan_decision_date == first
    errors = errors_of(lambda: create(number=8, plan_decision_date=date(2025, 5, 31)))
    assert "30/05/2025" in errors["plan_decision_date"][0]
    assert not Round.objects.filter(number=8).exists()


def test_milestones_of_one_level_may_share_a_day_with_the_next_level():
    same_day = date(2025, 9, 30)
    milestones = [(lvl, text, same_day) for lvl, text, _d in MILESTONES]
    assert create(milestones=milestones).milestones.count() == 4


@pytest.mark.parametrize(
    "swap",
    [("applicant", "provincial"), ("provincial", "ministerial"), ("ministerial", "state")],
)
def test_milestones_out_of_order_are_refused(swap):
    dates = {lvl: d for lvl, _t, d in MILESTONES}
    dates[swap[0]], dates[swap[1]] = dates[swap[1]], dates[swap[0]]
    milestones = [(lvl, text, dates[lvl]) for lvl, text, _d in MILESTONES]
    assert "milestones" in errors_of(lambda: create(milestones=milestones))
    assert not Round.objects.filter(number=7).exists()
    assert not RoundMilestone.objects.exists()


def test_a_second_provincial_milestone_after_the_ministerial_one_is_refused():
    late = ("provincial", "Tỉnh chậm nộp", date(2025, 12, 16))
    assert "milestones" in errors_of(lambda: create(milestones=[*MILESTONES, late]))
    fine = ("provincial", "Đà Nẵng nộp", date(2025, 10, 15))
    assert create(milestones=[*MILESTONES, fine]).milestones.filter(level="provincial").count() == 2


@pytest.mark.parametrize(
    "milestones",
    [
        MILESTONES[:3],  # no State milestone
        [*MILESTONES[:3], ("state", "", date(2026, 3, 31))],  # nothing said
        [*MILESTONES[:3], ("state", "Họp", "31/03/2026")],  # not a date
        [*MILESTONES[:3], ("national", "Họp", date(2026, 3, 31))],  # no such level
        [*MILESTONES, MILESTONES[3]],  # the same milestone twice
    ],
)
def test_bad_milestones_are_refused_and_nothing_is_written(milestones):
    assert "milestones" in errors_of(lambda: create(milestones=milestones))
    assert not Round.objects.exists() and not ActionRecord.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        None,
        "provincial_officer",
        "council_member",
        "council_secretary",
        "ministry_leader",
        "system_administrator",
    ],
)
def test_only_a_ministry_clerk_creates_and_edits_rounds(role):
    user = f.user(role)
    with pytest.raises(PermissionDenied):
        create(by=user)
    round = f.round_(6)
    with pytest.raises(PermissionDenied):
        round_update(
            round=round,
            name="x",
            plan_decision_number="1",
            plan_decision_date=PLAN_DATE,
            milestones=MILESTONES,
            by=user,
        )
    with pytest.raises(PermissionDenied):
        round_rulebook_change(round=round, rulebook=other_version(), reason="x", by=user)
    assert not ActionRecord.objects.exists()


def test_the_plan_and_milestones_are_edited_with_their_history():
    by = clerk()
    round = create(by=by)
    moved = [(lvl, text, d) for lvl, text, d in MILESTONES[:3]] + [
        ("state", "Họp cấp Nhà nước", date(2026, 4, 30))
    ]
    round_update(
        round=round,
        name="Lần thứ 7 (sửa)",
        plan_decision_number="124/QĐ-BCT",
        plan_decision_date=PLAN_DATE,
        milestones=moved,
        reason="Quyết định điều chỉnh kế hoạch",
        by=by,
    )
    round.refresh_from_db()
    assert (round.name, round.plan_decision_number) == ("Lần thứ 7 (sửa)", "124/QĐ-BCT")
    assert round.milestones.get(level="state").due_on == date(2026, 4, 30)
    record = action_records_of(round).last()
    assert (record.action, record.reason) == ("round.update", "Quyết định điều chỉnh kế hoạch")
    assert record.data["before"]["plan_decision_number"] == "123/QĐ-BCT"
    assert record.data["after"]["milestones"][-1]["due_on"] == "2026-04-30"


def test_a_bad_edit_changes_nothing():
    round = create()
    with pytest.raises(ValidationError):
        round_update(
            round=round,
            name="Khác",
            plan_decision_number="1",
            plan_decision_date=date(2026, 1, 1),  # after the first milestone
            milestones=MILESTONES,
            by=clerk(),
        )
    round.refresh_from_db()
    assert round.name == "Xét tặng lần thứ 7" and round.milestones.count() == 4
    assert action_records_of(round).count() == 1


def test_the_rulebook_version_changes_with_a_reason_while_the_round_has_no_dossier():
    by = clerk()
    round = f.round_(6)
    old, new = round.rulebook, other_version()
    assert "reason" in errors_of(lambda: round_rulebook_change(round=round, rulebook=new, reason=" ", by=by))
    assert "rulebook" in errors_of(
        lambda: round_rulebook_change(round=round, rulebook=old, reason="x", by=by)
    )
    round_rulebook_change(round=round, rulebook=new, reason="Nghị định sửa đổi", by=by)
    round.refresh_from_db()
    assert round.rulebook == new
    (record,) = action_records_of(round)
    assert (record.action, record.reason, record.data["from_id"], record.data["to_id"]) == (
        "round.rulebook_change",
        "Nghị định sửa đổi",
        old.pk,
        new.pk,
    )


def test_the_first_dossier_fixes_the_rulebook_version():
    """Exactly: with 0 dossiers the change is allowed, with 1 it is refused."""
    by = clerk()
    round = f.round_(6)
    v1, v2 = round.rulebook, other_version()
    round_rulebook_change(round=round, rulebook=v2, reason="Trước hồ sơ đầu tiên", by=by)  # 0 dossiers
    f.dossier(round=round)  # the first dossier
    errors = errors_of(lambda: round_rulebook_change(round=round, rulebook=v1, reason="Sau", by=by))
    assert "rulebook" in errors
    round.refresh_from_db()
    assert round.rulebook == v2
    assert action_records_of(round).count() == 1


def test_an_override_is_audited_with_the_rule_the_values_and_the_reason():
    leader = f.user("ministry_leader", f.ministry())
    round = f.round_(6)
    round_rule_override(round=round, key="nnut.min_trainees", value=80, reason="Công văn số 12", by=leader)
    round_rule_override(round=round, key="nnut.min_trainees", value=90, reason="Đính chính", by=leader)
    first, second = action_records_of(round)
    assert (first.action, first.actor, first.reason) == ("round.rule_override", leader, "Công văn số 12")
    assert (first.data["key"], first.data["from"], first.data["to"]) == ("nnut.min_trainees", 100, 80)
    param = RuleParameter.objects.get(version=round.rulebook, key="nnut.min_trainees")
    assert (first.data["article"], first.data["confidence"]) == (param.article, "P")
    assert (second.data["from"], second.data["to"]) == (80, 90)
    assert "nnut.min_trainees" in second.summary and "80" in second.summary and "90" in second.summary
    assert rules_for_round(round).value("nnut.min_trainees") == 90


@pytest.mark.parametrize("role", ["ministry_leader", "system_administrator"])
def test_a_leader_or_an_administrator_overrides_a_rule(role):
    round = f.round_(6)
    round_rule_override(round=round, key="nnut.min_trainees", value=80, reason="x", by=f.user(role))
    assert RoundRuleOverride.objects.filter(round=round).count() == 1


@pytest.mark.parametrize(
    "role", [None, "provincial_officer", "council_member", "council_secretary", "ministry_clerk"]
)
def test_other_roles_do_not_override_and_nothing_is_recorded(role):
    with pytest.raises(PermissionDenied):
        round_rule_override(round=f.round_(), key="nnut.min_trainees", value=80, reason="x", by=f.user(role))
    assert not RoundRuleOverride.objects.exists() and not ActionRecord.objects.exists()


def test_a_refused_override_records_nothing():
    leader = f.user("ministry_leader")
    with pytest.raises(ValidationError):
        round_rule_override(round=f.round_(), key="nnut.min_trainees", value=80, reason=" ", by=leader)
    assert not ActionRecord.objects.exists()
