"""The request that the council judge a dossier failing a checkable criterion: who may make it, its
reason, its audit entry, the council reading it (agenda page and minutes), and no change once sent."""

import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from councils.models import Session
from councils.services import ballot_cast, session_agenda_add, session_attendance_record
from documents.kinds import Kind
from documents.models import GeneratedDocument
from dossiers.models import DossierState as S
from tests import factories as f
from tests.councils.conftest import declare_no_conflict, make_council
from tests.documents.reading import lines
from tests.workflows.conftest import set_state
from tests.workflows.test_paperwork import built
from workflows import services as wf
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

REASON = "Nghề có nguy cơ thất truyền; nghệ nhân là người cuối cùng giữ kỹ thuật"


@pytest.fixture
def failing(ready):
    """An admitted dossier of province 01 that fails the trainee criterion, and its officer."""
    dossier, officer = ready
    dossier = set_state(dossier, S.ADMITTED)
    dossier.trainee_records.update(count=1)
    return dossier, officer


def test_the_departments_officer_records_the_reason_and_it_is_audited(failing):
    dossier, officer = failing
    with pytest.raises(ValidationError) as exc:  # the guard asks for it
        wf.dossier_transition(name="send_to_provincial_council", dossier=dossier, by=officer)
    assert exc.value.code == "guard"
    decomposed = unicodedata.normalize("NFD", REASON)
    wf.council_judgement_request(dossier=dossier, reason=f"  {decomposed} ", by=officer, request_id="r-1")
    dossier.refresh_from_db()
    assert dossier.council_judgement_note == REASON  # NFC, trimmed
    entry = AuditEntry.objects.get(dossier=dossier, transition="request_council_judgement")
    assert (entry.from_state, entry.to_state, entry.actor, entry.reason, entry.request_id) == (
        S.ADMITTED,
        S.ADMITTED,
        officer,
        REASON,
        "r-1",
    )
    dossier = wf.dossier_transition(name="send_to_provincial_council", dossier=dossier, by=officer)
    assert dossier.state == S.PROVINCIAL_REVIEW


def test_only_the_officers_of_the_dossiers_department_may_ask(failing):
    dossier, _officer = failing
    others = [
        f.officer("31"),
        f.user("ministry_clerk", f.ministry()),
        f.user("council_secretary", f.department("01")),
        f.user("council_member", f.department("01")),
    ]
    for user in others:
        with pytest.raises(PermissionDenied):
            wf.council_judgement_request(dossier=dossier, reason=REASON, by=user)
    dossier.refresh_from_db()
    assert dossier.council_judgement_note == ""
    assert not AuditEntry.objects.filter(transition="request_council_judgement").exists()


def test_a_reason_is_required_and_only_for_a_failing_dossier(ready, failing):
    dossier, officer = failing
    with pytest.raises(ValidationError) as exc:
        wf.council_judgement_request(dossier=dossier, reason="   ", by=officer)
    assert exc.value.code == "reason_required"
    eligible, other_officer = complete_other()
    with pytest.raises(ValidationError) as exc:
        wf.council_judgement_request(dossier=eligible, reason=REASON, by=other_officer)
    assert exc.value.code == "not_needed"


def complete_other():
    from tests.workflows.conftest import complete_eligible_dossier

    dossier, officer = complete_eligible_dossier("31")
    return set_state(dossier, S.ADMITTED), officer


def test_changing_the_reason_after_the_dossier_went_to_the_council_is_refused(failing):
    dossier, officer = failing
    wf.council_judgement_request(dossier=dossier, reason=REASON, by=officer)
    wf.dossier_transition(name="send_to_provincial_council", dossier=dossier, by=officer)
    with pytest.raises(ValidationError) as exc:
        wf.council_judgement_request(dossier=dossier, reason="Lý do khác", by=officer)
    assert exc.value.code == "not_possible"
    dossier.refresh_from_db()
    assert dossier.council_judgement_note == REASON
    assert AuditEntry.objects.filter(transition="request_council_judgement").count() == 1


def test_undoing_the_last_step_skips_the_request(failing):
    dossier, officer = failing
    clerk = f.user("ministry_clerk", f.ministry())
    dossier = set_state(dossier, S.SUBMITTED)
    dossier = wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    wf.council_judgement_request(dossier=dossier, reason=REASON, by=officer)
    dossier = wf.dossier_transition(name="revert", dossier=dossier, by=clerk, reason="Nhầm")
    assert dossier.state == S.SUBMITTED


# The pages ------------------------------------------------------------------------------------------------


def test_the_dossier_page_asks_for_the_reason_and_shows_it_in_the_history(client, failing):
    dossier, officer = failing
    client.force_login(officer)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert f'action="/ho-so/{dossier.pk}/de-nghi-hoi-dong-xem-xet/"' in page
    assert 'id="reason-judgement"' in page and 'id="confirm-judgement"' in page
    client.post(f"/ho-so/{dossier.pk}/de-nghi-hoi-dong-xem-xet/", {"reason": REASON})  # not confirmed
    dossier.refresh_from_db()
    assert dossier.council_judgement_note == ""
    client.post(f"/ho-so/{dossier.pk}/de-nghi-hoi-dong-xem-xet/", {"reason": REASON, "confirm": "on"})
    dossier.refresh_from_db()
    assert dossier.council_judgement_note == REASON
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Đề nghị Hội đồng xem xét, đánh giá hồ sơ" in page  # the history's label, in Vietnamese
    assert page.count(REASON) >= 2  # shown under the eligibility report and in the history


def test_the_form_is_not_offered_for_an_eligible_dossier_nor_to_another_province(client, failing):
    dossier, _officer = failing
    eligible, other_officer = complete_other()
    client.force_login(other_officer)
    assert 'id="reason-judgement"' not in client.get(f"/ho-so/{eligible.pk}/").content.decode()
    assert client.get(f"/ho-so/{dossier.pk}/").status_code == 404
    response = client.post(
        f"/ho-so/{dossier.pk}/de-nghi-hoi-dong-xem-xet/", {"reason": REASON, "confirm": "on"}
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.council_judgement_note == ""


@pytest.fixture
def before_the_council(failing):
    """The failing dossier sent to the provincial council with its reason, on a session's agenda."""
    dossier, officer = failing
    wf.council_judgement_request(dossier=dossier, reason=REASON, by=officer)
    dossier = wf.dossier_transition(name="send_to_provincial_council", dossier=dossier, by=officer)
    council, voters, secretary = make_council(11)
    session = Session.objects.create(council=council, held_on=dossier.received_on, place="Sở Công Thương")
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    return dossier, council, voters, secretary, session


def test_the_council_reads_the_reason_on_the_agenda_dossier_page(client, before_the_council):
    dossier, _council, voters, _secretary, session = before_the_council
    client.force_login(voters[3].user)
    page = client.get(f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/").content.decode()
    assert 'id="council-judgement"' in page and REASON in page


def test_the_minutes_record_the_reason(before_the_council):
    dossier, _council, voters, secretary, session = before_the_council
    session_attendance_record(session=session, present=voters, by=secretary.user)
    wf.council_ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, [dossier], voters)
    for member in voters:
        ballot_cast(session=session, dossier=dossier, choice="agree", by=member.user)
    wf.council_ballot_close(session=session, by=secretary.user)
    minutes = GeneratedDocument.objects.get(kind=Kind.FORM_05, session_ref=session.pk)
    text = lines(built(minutes))
    assert f"- {dossier.artisan.full_name}: {REASON}." in text  # the list's one (and last) item
    assert any(line.startswith("Hồ sơ chưa đáp ứng đủ tiêu chuẩn") for line in text)
