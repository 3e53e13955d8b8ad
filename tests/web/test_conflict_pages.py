"""Conflicts of interest through the pages: the member's form never pre-sets "no conflict"; the ballot
screen sends an undeclared member to declare first; a withdrawal is asked with a reason on the dossier's
page and decided by the council's secretary on the session's page."""

import re

import pytest

from councils.models import ConflictDeclaration
from councils.services import session_agenda_add, session_attendance_record
from tests.councils.conftest import make_council, make_session
from workflows.services import council_ballot_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_session():
    council, voters, secretary = make_council(5)
    session, dossiers = make_session(council, dossiers=2)
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    council_ballot_open(session=session, by=secretary.user)
    return council, voters, secretary, session, dossiers


def status_inputs(page: str) -> list[str]:
    return re.findall(r'<input[^>]*name="status"[^>]*>', page)


def test_the_declaration_form_has_no_preselected_status(client, open_session):
    _council, voters, _secretary, session, dossiers = open_session
    client.force_login(voters[1].user)
    url = f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/"
    for _ in range(2):  # before any declaration, and after one
        page = client.get(url).content.decode()
        inputs = status_inputs(page)
        assert len(inputs) == 2 and all('type="radio"' in i for i in inputs)
        assert not any("checked" in i for i in inputs)
        assert '<select name="status"' not in page
        client.post(url + "xung-dot/", {"status": "none"})
    assert ConflictDeclaration.objects.filter(membership=voters[1]).count() == 2


def test_a_declaration_without_a_status_records_nothing(client, open_session):
    _council, voters, _secretary, session, dossiers = open_session
    client.force_login(voters[1].user)
    url = f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/"
    client.post(url + "xung-dot/", {"relation": "", "note": ""})
    assert not ConflictDeclaration.objects.exists()


def test_the_ballot_screen_sends_an_undeclared_member_to_declare_first(client, open_session):
    _council, voters, _secretary, session, dossiers = open_session
    client.force_login(voters[1].user)
    ballot = f"/hoi-dong/phien/{session.pk}/bo-phieu/"
    page = client.get(ballot).content.decode()
    assert 'name="choice-' not in page
    for dossier in dossiers:
        assert f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/#conflict" in page
    client.post(f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/xung-dot/", {"status": "none"})
    page = client.get(ballot).content.decode()
    assert f'name="choice-{dossiers[0].pk}"' in page and f'name="choice-{dossiers[1].pk}"' not in page


def test_a_withdrawal_is_asked_by_the_member_and_decided_by_the_secretary_only(client, open_session):
    _council, voters, secretary, session, dossiers = open_session
    _other, _other_voters, other_secretary = make_council(3, code="31")
    member = voters[2]
    dossier_url = f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/"
    ballot = f"/hoi-dong/phien/{session.pk}/bo-phieu/"
    client.force_login(member.user)
    client.post(dossier_url + "xung-dot/", {"status": "declared", "relation": "relative"})
    client.post(dossier_url + "xung-dot/", {"status": "none"})  # no reason: refused
    assert list(ConflictDeclaration.objects.values_list("kind", "status")) == [("declaration", "declared")]
    client.post(dossier_url + "xung-dot/", {"status": "none", "reason": "Không phải họ hàng"})
    request = ConflictDeclaration.objects.get(kind="withdrawal_request")
    assert 'id="conflict-pending"' in client.get(dossier_url).content.decode()
    assert f'name="choice-{dossiers[0].pk}"' not in client.get(ballot).content.decode()

    decide = f"/hoi-dong/phien/{session.pk}/rut-xung-dot/{request.pk}/"
    assert client.post(decide, {"decision": "accept"}).status_code == 403  # the member themself
    client.force_login(voters[0].user)
    assert client.post(decide, {"decision": "accept"}).status_code == 403  # the chair
    client.force_login(other_secretary.user)
    assert client.post(decide, {"decision": "accept"}).status_code == 404  # another council's secretary
    assert not ConflictDeclaration.objects.filter(request=request).exists()

    client.force_login(secretary.user)
    page = client.get(f"/hoi-dong/phien/{session.pk}/").content.decode()
    assert 'id="withdrawals"' in page and "Không phải họ hàng" in page and decide in page
    client.post(decide, {"decision": "accept", "note": "Đã xác minh"})
    accepted = ConflictDeclaration.objects.get(request=request)
    assert (accepted.kind, accepted.status, accepted.recorded_by) == (
        "withdrawal_accepted",
        "none",
        secretary.user,
    )
    assert 'id="withdrawals"' not in client.get(f"/hoi-dong/phien/{session.pk}/").content.decode()

    client.force_login(member.user)
    assert f'name="choice-{dossiers[0].pk}"' in client.get(ballot).content.decode()


def test_the_secretary_refuses_and_the_member_stays_recused(client, open_session):
    _council, voters, secretary, session, dossiers = open_session
    member = voters[2]
    dossier_url = f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/"
    client.force_login(member.user)
    client.post(dossier_url + "xung-dot/", {"status": "declared", "relation": "trainee"})
    client.post(dossier_url + "xung-dot/", {"status": "none", "reason": "Khai nhầm"})
    request = ConflictDeclaration.objects.get(kind="withdrawal_request")
    client.force_login(secretary.user)
    client.post(f"/hoi-dong/phien/{session.pk}/rut-xung-dot/{request.pk}/", {"decision": "refuse"})
    assert ConflictDeclaration.objects.get(request=request).kind == "withdrawal_refused"
    client.force_login(member.user)
    page = client.get(f"/hoi-dong/phien/{session.pk}/bo-phieu/").content.decode()
    assert f'name="choice-{dossiers[0].pk}"' not in page


def test_the_ballot_screen_declares_no_conflict_with_the_rest_then_casts_the_paper_whole(
    client, open_session
):
    from councils.models import BallotParticipation

    _council, voters, _secretary, session, dossiers = open_session
    member = voters[1]
    client.force_login(member.user)
    ballot = f"/hoi-dong/phien/{session.pk}/bo-phieu/"
    client.post(
        f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/xung-dot/",
        {"status": "declared", "relation": "relative"},
    )
    page = client.get(ballot).content.decode()
    assert 'id="declare-none"' in page
    client.post(ballot, {"declare_none": "1"})  # the declaration not ticked: nothing recorded
    assert ConflictDeclaration.objects.filter(membership=member).count() == 1
    client.post(ballot, {"declare_none": "1", "no_conflict_confirm": "1"})
    current = dict(ConflictDeclaration.objects.filter(membership=member).values_list("dossier_id", "status"))
    assert current == {dossiers[0].pk: "declared", dossiers[1].pk: "none"}  # the conflict kept
    page = client.get(ballot).content.decode()
    assert 'id="declare-none"' not in page
    assert f'name="choice-{dossiers[1].pk}"' in page and f'name="choice-{dossiers[0].pk}"' not in page
    client.post(ballot, {f"choice-{dossiers[1].pk}": "agree", "confirm": "1"})
    assert list(
        BallotParticipation.objects.filter(membership=member).values_list("dossier_id", flat=True)
    ) == [dossiers[1].pk]
