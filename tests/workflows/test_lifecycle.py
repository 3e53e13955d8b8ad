"""The dossier's procedure: the whole happy path, every exception path, the audit trail entry by entry."""

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dossiers.models import DossierState as S
from tests import factories as f
from tests.workflows.conftest import set_state
from workflows import services as wf
from workflows.models import AppendOnly, AuditEntry

pytestmark = pytest.mark.django_db


def trail(dossier):
    return list(
        AuditEntry.objects.filter(dossier=dossier).values_list("transition", "from_state", "to_state")
    )


def test_one_dossier_through_every_forward_state_to_conferral(ready):
    dossier, officer = ready
    secretary = f.user("council_secretary", f.department("01"))
    clerk = f.user("ministry_clerk", f.ministry())
    leader = f.user("ministry_leader", f.ministry())
    today = timezone.localdate()
    steps = [
        ("submit", officer, {}),
        ("admit", officer, {}),
        ("send_to_provincial_council", officer, {}),
        ("record_provincial_pass", secretary, {}),
        ("post_provincial_result", officer, {}),
        ("forward_to_ministry", officer, {}),
        ("send_to_ministerial_council", clerk, {}),
        ("record_ministerial_pass", clerk, {}),
        ("post_on_government_portal", clerk, {"on": today - timedelta(days=20)}),
        ("send_to_state_council", clerk, {}),
        ("record_state_pass", clerk, {}),
        ("send_to_appraisal", clerk, {}),
        (
            "record_appraisal_agreed",
            clerk,
            {"appraisal_letter_number": "123/BNV-TĐKT", "appraisal_letter_date": today},
        ),
        ("propose_to_prime_minister", leader, {}),
        ("record_conferral", clerk, {"decision_number": "1234/QĐ-CTN", "decision_date": today}),
    ]
    for name, user, data in steps:
        dossier = wf.dossier_transition(dossier=dossier, name=name, by=user, **data)
    assert dossier.state == S.CONFERRED
    assert (dossier.decision_number, dossier.decision_date) == ("1234/QĐ-CTN", today)
    expected_states = [
        S.DRAFT,
        S.SUBMITTED,
        S.ADMITTED,
        S.PROVINCIAL_REVIEW,
        S.PROVINCIAL_PASSED,
        S.PROVINCIAL_POSTED,
        S.FORWARDED,
        S.MINISTERIAL_REVIEW,
        S.MINISTERIAL_PASSED,
        S.GOV_POSTING,
        S.STATE_REVIEW,
        S.STATE_PASSED,
        S.APPRAISAL,
        S.APPRAISAL_AGREED,
        S.PROPOSED,
        S.CONFERRED,
    ]
    entries = AuditEntry.objects.filter(dossier=dossier).order_by("at", "id")
    assert [(e.from_state, e.to_state) for e in entries] == list(itertools.pairwise(expected_states))
    assert [e.actor for e in entries] == [user for _s, user, _d in steps]
    assert all(e.at.tzinfo is not None for e in entries)


def test_supplement_round_trip_then_rejection(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    with pytest.raises(ValidationError) as exc:
        wf.dossier_transition(name="return_for_supplement", dossier=dossier, by=officer)  # no reason
    assert exc.value.code == "reason_required"
    dossier = wf.dossier_transition(
        name="return_for_supplement",
        dossier=dossier,
        by=officer,
        reason="Thiếu bản khai",
        on=date(2025, 9, 25),
    )
    assert dossier.returned_on == date(2025, 9, 25)
    dossier = wf.dossier_transition(name="resubmit", dossier=dossier, by=officer, on=date(2025, 10, 5))
    dossier = wf.dossier_transition(
        name="reject", dossier=dossier, by=officer, reason="Không thuộc đối tượng"
    )
    assert trail(dossier) == [
        ("submit", "draft", "submitted"),
        ("return_for_supplement", "submitted", "needs_supplement"),
        ("resubmit", "needs_supplement", "submitted"),
        ("reject", "submitted", "rejected"),
    ]
    assert AuditEntry.objects.get(transition="reject").reason == "Không thuộc đối tượng"


def test_hold_blocks_every_forward_step_until_released(ready):
    dossier, officer = ready
    clerk = f.user("ministry_clerk", f.ministry())
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    dossier = wf.dossier_transition(name="hold", dossier=dossier, by=clerk, reason="Có đơn khiếu nại")
    with pytest.raises(ValidationError) as exc:
        wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    assert exc.value.code == "not_possible"
    dossier = wf.dossier_transition(
        name="release", dossier=dossier, by=clerk, reason="Đã giải quyết xong khiếu nại"
    )
    assert dossier.state == S.SUBMITTED and dossier.hold_return_state == ""
    dossier = wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    assert [t for t, _a, _b in trail(dossier)] == ["submit", "hold", "release", "admit"]


def test_withdrawal_and_revert(ready):
    dossier, officer = ready
    clerk = f.user("ministry_clerk", f.ministry())
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    dossier = wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    with pytest.raises(PermissionDenied):
        wf.dossier_transition(name="revert", dossier=dossier, by=officer, reason="nhầm")
    dossier = wf.dossier_transition(name="revert", dossier=dossier, by=clerk, reason="Tiếp nhận nhầm")
    assert dossier.state == S.SUBMITTED
    dossier = wf.dossier_transition(
        name="withdraw", dossier=dossier, by=officer, reason="Nghệ nhân rút hồ sơ"
    )
    assert dossier.state == S.WITHDRAWN
    assert trail(dossier)[-2:] == [
        ("revert", "admitted", "submitted"),
        ("withdraw", "submitted", "withdrawn"),
    ]


def test_admission_needs_a_complete_dossier_and_says_what_is_missing():
    officer = f.officer("01")
    dossier = wf.dossier_transition(name="submit", dossier=f.dossier("01"), by=officer)
    with pytest.raises(ValidationError) as exc:
        wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    assert exc.value.code == "guard"
    assert "Bản khai" in exc.value.messages[0]
    assert not AuditEntry.objects.filter(transition="admit").exists()


def test_council_needs_eligibility_or_a_recorded_reason(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(
        name="admit", dossier=wf.dossier_transition(name="submit", dossier=dossier, by=officer), by=officer
    )
    dossier.trainee_records.update(count=1)  # now fails the trainee criterion
    with pytest.raises(ValidationError) as exc:
        wf.dossier_transition(name="send_to_provincial_council", dossier=dossier, by=officer)
    assert exc.value.code == "guard"
    type(dossier).objects.filter(pk=dossier.pk).update(council_judgement_note="Nghề có nguy cơ thất truyền")
    dossier.refresh_from_db()
    assert (
        wf.dossier_transition(name="send_to_provincial_council", dossier=dossier, by=officer).state
        == S.PROVINCIAL_REVIEW
    )


@pytest.mark.parametrize(("days_ago", "allowed"), [(19, False), (20, True)])
def test_state_council_only_after_the_twenty_day_posting(ready, days_ago, allowed):
    dossier, _officer = ready
    clerk = f.user("ministry_clerk", f.ministry())
    dossier = set_state(dossier, S.MINISTERIAL_PASSED)
    dossier = wf.dossier_transition(
        name="post_on_government_portal",
        dossier=dossier,
        by=clerk,
        on=timezone.localdate() - timedelta(days=days_ago),
    )
    if allowed:
        assert (
            wf.dossier_transition(name="send_to_state_council", dossier=dossier, by=clerk).state
            == S.STATE_REVIEW
        )
    else:
        with pytest.raises(ValidationError) as exc:
            wf.dossier_transition(name="send_to_state_council", dossier=dossier, by=clerk)
        assert timezone.localdate().strftime("%d/%m/%Y") in exc.value.messages[0]


def test_conferral_needs_the_decision_number_and_date(ready):
    dossier, _officer = ready
    clerk = f.user("ministry_clerk", f.ministry())
    dossier = set_state(dossier, S.PROPOSED)
    with pytest.raises(ValidationError):
        wf.dossier_transition(
            name="record_conferral",
            dossier=dossier,
            by=clerk,
            decision_number="",
            decision_date=date(2026, 8, 30),
        )
    with pytest.raises(ValidationError):
        wf.dossier_transition(
            name="record_conferral",
            dossier=dossier,
            by=clerk,
            decision_number="1/QĐ-CTN",
            decision_date=timezone.localdate() + timedelta(days=1),
        )
    assert not AuditEntry.objects.exists()


def test_a_stale_page_gets_already_changed(ready):
    dossier, officer = ready
    seen = type(dossier).objects.get(pk=dossier.pk)  # another tab, loaded before the change
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    with pytest.raises(wf.StaleTransition):
        wf.dossier_transition(name="submit", dossier=seen, by=officer)
    assert AuditEntry.objects.count() == 1


def test_the_steps_events_are_written_with_it_and_handed_over_only_after_commit(
    ready, django_capture_on_commit_callbacks, monkeypatch
):
    """A transactional outbox: the events are rows of the step's own transaction (a process dying
    after COMMIT cannot lose them; the sweep hands them over), handed to the worker after commit."""
    from notifications import services as notification_services
    from notifications.models import EventRecord

    dossier, officer = ready
    handed = []
    monkeypatch.setattr(notification_services, "_enqueue_dispatch", handed.extend)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
        written = set(EventRecord.objects.filter(dossier=dossier).values_list("pk", flat=True))
        assert written and handed == []  # in the transaction, not yet handed over
        assert EventRecord.objects.filter(dossier=dossier, data__transition="submit").exists()
    # each handed over once, after commit (with the "document ready" event of the declaration built then)
    assert written <= set(handed) and len(handed) == len(set(handed))

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        wf.dossier_transition(
            name="return_for_supplement", dossier=dossier, by=officer, reason="Thiếu", on=date(2025, 9, 25)
        )
        1 / 0  # noqa: B018 - the step's transaction rolls back
    assert not EventRecord.objects.filter(dossier=dossier, data__transition="return_for_supplement").exists()


def test_audit_log_cannot_be_edited_or_deleted_through_the_application(ready):
    dossier, officer = ready
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    entry = AuditEntry.objects.get()
    entry.reason = "sửa"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


def test_state_cannot_be_assigned_directly(ready):
    dossier, _officer = ready
    with pytest.raises(AttributeError):
        dossier.state = S.CONFERRED


def test_postgresql_refuses_update_and_delete_of_the_audit_log(ready):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only (CI runs this test there)")
    dossier, officer = ready
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    # The trigger refuses the owner; the application role (CI) is refused before it, by its privileges
    # (tests/core/test_database_roles.py checks the trigger as the owner).
    for sql in ("UPDATE workflows_auditentry SET reason = 'x'", "DELETE FROM workflows_auditentry"):
        with (
            pytest.raises(DatabaseError, match=r"append-only|permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.count() == 1
