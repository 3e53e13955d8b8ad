"""The appraisal by the Ministry of Home Affairs and its three outcomes (docs/law.md §5 step 11): agreed
(with its letter), a supplement asked for and sent back, not agreed (final). Each path through the
runner and through the dossier page's step form."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dossiers.models import TERMINAL_STATES
from dossiers.models import DossierState as S
from tests import factories as f
from tests.workflows.conftest import set_state
from workflows import services as wf
from workflows.flows import open_processes, waiting_task
from workflows.models import AuditEntry
from workflows.selectors import inbox_of
from workflows.transitions import step_of, task_on_entering

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return f.user("ministry_clerk", f.ministry())


@pytest.fixture
def in_appraisal(ready, clerk):
    dossier, _officer = ready
    dossier = set_state(dossier, S.STATE_PASSED)
    return wf.dossier_transition(name="send_to_appraisal", dossier=dossier, by=clerk)


def trail(dossier):
    return list(
        AuditEntry.objects.filter(dossier=dossier).values_list("transition", "from_state", "to_state")
    )


def test_agreed_records_the_letter_then_the_dossier_is_proposed(in_appraisal, clerk):
    leader = f.user("ministry_leader", f.ministry())
    letter_day = timezone.localdate() - timedelta(days=3)
    with pytest.raises(ValidationError) as exc:  # straight to the Prime Minister: not any more
        wf.dossier_transition(name="propose_to_prime_minister", dossier=in_appraisal, by=leader)
    assert exc.value.code == "not_possible"
    with pytest.raises(ValidationError) as exc:  # the letter's number and date are required
        wf.dossier_transition(name="record_appraisal_agreed", dossier=in_appraisal, by=clerk)
    assert exc.value.code == "appraisal_letter"
    with pytest.raises(ValidationError):  # a letter dated tomorrow
        wf.dossier_transition(
            name="record_appraisal_agreed",
            dossier=in_appraisal,
            by=clerk,
            appraisal_letter_number="12/BNV-TĐKT",
            appraisal_letter_date=timezone.localdate() + timedelta(days=1),
        )
    dossier = wf.dossier_transition(
        name="record_appraisal_agreed",
        dossier=in_appraisal,
        by=clerk,
        appraisal_letter_number=" 12/BNV-TĐKT ",
        appraisal_letter_date=letter_day,
    )
    dossier.refresh_from_db()
    assert dossier.state == S.APPRAISAL_AGREED
    assert (dossier.appraisal_letter_number, dossier.appraisal_letter_date) == ("12/BNV-TĐKT", letter_day)
    dossier = wf.dossier_transition(name="propose_to_prime_minister", dossier=dossier, by=leader)
    assert dossier.state == S.PROPOSED
    assert trail(dossier)[-3:] == [
        ("send_to_appraisal", "state_passed", "appraisal"),
        ("record_appraisal_agreed", "appraisal", "appraisal_agreed"),
        ("propose_to_prime_minister", "appraisal_agreed", "proposed"),
    ]


def test_a_supplement_is_asked_with_a_reason_sent_back_and_the_appraisal_goes_on(in_appraisal, clerk):
    with pytest.raises(ValidationError) as exc:
        wf.dossier_transition(name="request_appraisal_supplement", dossier=in_appraisal, by=clerk)
    assert exc.value.code == "reason_required"
    dossier = wf.dossier_transition(
        name="request_appraisal_supplement",
        dossier=in_appraisal,
        by=clerk,
        reason="Bổ sung bản sao quyết định tặng danh hiệu Nghệ nhân ưu tú",
    )
    assert dossier.state == S.APPRAISAL_SUPPLEMENT
    # the clerk's task, due at the round's state milestone (no period in the law)
    task = task_on_entering(S.APPRAISAL_SUPPLEMENT)
    assert task.role == "ministry_clerk" and task.deadline.description == "the round's state milestone"
    assert [item.dossier for item in inbox_of(clerk)] == [dossier]
    assert waiting_task(dossier).data["state"] == S.APPRAISAL_SUPPLEMENT
    dossier = wf.dossier_transition(name="send_appraisal_supplement", dossier=dossier, by=clerk)
    assert dossier.state == S.APPRAISAL
    assert waiting_task(dossier).data["state"] == S.APPRAISAL
    assert AuditEntry.objects.get(transition="request_appraisal_supplement").reason.startswith("Bổ sung")


def test_not_agreed_is_final_and_the_dossier_is_never_proposed(in_appraisal, clerk):
    leader = f.user("ministry_leader", f.ministry())
    with pytest.raises(ValidationError) as exc:
        wf.dossier_transition(name="record_appraisal_refusal", dossier=in_appraisal, by=clerk)
    assert exc.value.code == "reason_required"
    dossier = wf.dossier_transition(
        name="record_appraisal_refusal", dossier=in_appraisal, by=clerk, reason="Không đủ điều kiện"
    )
    assert dossier.state == S.APPRAISAL_REFUSED and S.APPRAISAL_REFUSED in TERMINAL_STATES
    assert task_on_entering(S.APPRAISAL_REFUSED) is None
    assert not open_processes(dossier).exists()
    assert wf.available_transitions(dossier, leader) == []
    assert "withdraw" not in wf.available_transitions(dossier, clerk)
    with pytest.raises(ValidationError) as exc:
        wf.dossier_transition(name="propose_to_prime_minister", dossier=dossier, by=leader)
    assert exc.value.code == "not_possible"


def test_only_a_ministry_clerk_records_the_appraisals_outcome(in_appraisal):
    for user in (f.officer("01"), f.user("ministry_leader", f.ministry())):
        with pytest.raises(PermissionDenied):
            wf.dossier_transition(
                name="record_appraisal_refusal", dossier=in_appraisal, by=user, reason="Không đồng ý"
            )


@pytest.mark.parametrize("state", [S.APPRAISAL_AGREED, S.APPRAISAL_SUPPLEMENT])
def test_the_new_live_states_can_be_held_withdrawn_reverted_and_see_a_death(state):
    for name in ("hold", "withdraw", "record_death"):
        assert state in step_of(name).sources, name
    assert S.APPRAISAL_REFUSED in step_of("revert").sources
    assert S.APPRAISAL_REFUSED not in step_of("hold").sources


def test_a_hold_during_the_supplement_returns_to_it(in_appraisal, clerk):
    dossier = wf.dossier_transition(
        name="request_appraisal_supplement", dossier=in_appraisal, by=clerk, reason="Thiếu bản sao"
    )
    dossier = wf.dossier_transition(name="hold", dossier=dossier, by=clerk, reason="Có đơn khiếu nại")
    dossier = wf.dossier_transition(name="release", dossier=dossier, by=clerk, reason="Đã giải quyết")
    assert dossier.state == S.APPRAISAL_SUPPLEMENT
    dossier = wf.dossier_transition(name="revert", dossier=dossier, by=clerk, reason="Nhầm")
    assert dossier.state == S.ON_HOLD  # undoing the release


# Through the dossier page's step forms ----------------------------------------------------------------


def post_step(client, dossier, name, **fields):
    return client.post(f"/ho-so/{dossier.pk}/buoc/", {"name": name, "confirm": "on", **fields})


def test_the_page_offers_the_three_outcomes_and_records_the_agreement(client, in_appraisal, clerk):
    client.force_login(clerk)
    page = client.get(f"/ho-so/{in_appraisal.pk}/").content.decode()
    for name in ("record_appraisal_agreed", "request_appraisal_supplement", "record_appraisal_refusal"):
        assert f'value="{name}"' in page
    assert 'id="appraisal_letter_number-record_appraisal_agreed"' in page
    assert 'value="propose_to_prime_minister"' not in page
    post_step(
        client,
        in_appraisal,
        "record_appraisal_agreed",
        appraisal_letter_number="34/BNV-TĐKT",
        appraisal_letter_date="05/11/2026",
    )
    in_appraisal.refresh_from_db()
    assert in_appraisal.state == S.APPRAISAL_AGREED
    assert in_appraisal.appraisal_letter_date == date(2026, 11, 5)
    leader = f.user("ministry_leader", f.ministry())
    client.force_login(leader)
    post_step(client, in_appraisal, "propose_to_prime_minister")
    in_appraisal.refresh_from_db()
    assert in_appraisal.state == S.PROPOSED


def test_the_page_takes_the_supplement_round_trip_and_the_refusal(client, in_appraisal, clerk):
    client.force_login(clerk)
    post_step(client, in_appraisal, "request_appraisal_supplement")  # no reason: refused, nothing changes
    in_appraisal.refresh_from_db()
    assert in_appraisal.state == S.APPRAISAL
    post_step(client, in_appraisal, "request_appraisal_supplement", reason="Bổ sung ảnh tác phẩm")
    in_appraisal.refresh_from_db()
    assert in_appraisal.state == S.APPRAISAL_SUPPLEMENT
    post_step(client, in_appraisal, "send_appraisal_supplement")
    in_appraisal.refresh_from_db()
    assert in_appraisal.state == S.APPRAISAL
    post_step(client, in_appraisal, "record_appraisal_refusal", reason="Không đồng ý đề nghị")
    in_appraisal.refresh_from_db()
    assert in_appraisal.state == S.APPRAISAL_REFUSED
    page = client.get(f"/ho-so/{in_appraisal.pk}/").content.decode()
    assert "Không đồng ý đề nghị" in page  # in the history
