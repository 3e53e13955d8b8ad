"""Council pages through the test client: a member's sessions, agenda, conflicts, notes and the one-screen
secret ballot; the secretary's agenda, attendance, quorum, opening and closing, tally and documents.
Another council's session answers 404, and no page shows how anyone voted."""

import pytest

from councils.models import Ballot, BallotParticipation, ConflictDeclaration, SealedBallot, Session
from councils.services import ballot_cast, ballot_close, session_agenda_add, session_attendance_record
from dossiers.models import DossierState
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from workflows.services import council_ballot_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    council, voters, secretary = make_council(5)
    session, dossiers = make_session(council, dossiers=2)
    return council, voters, secretary, session, dossiers


def login(client, user):
    client.force_login(user)
    return client


def test_member_sees_their_sessions_and_agenda_without_identification_data(client, council):
    _council, voters, secretary, session, dossiers = council
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    login(client, voters[1].user)
    home = client.get("/hoi-dong/")
    assert home.status_code == 200 and f"/hoi-dong/phien/{session.pk}/" in home.content.decode()
    page = client.get(f"/hoi-dong/phien/{session.pk}/").content.decode()
    for dossier in dossiers:
        assert dossier.artisan.full_name in page
        assert dossier.artisan.cccd not in page
    detail = client.get(f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/").content.decode()
    assert dossiers[0].artisan.cccd not in detail and "Điều" in detail


def test_another_councils_session_and_a_dossier_off_the_agenda_answer_404(client, council):
    _council, voters, secretary, session, dossiers = council
    session_agenda_add(session=session, dossiers=dossiers[:1], by=secretary.user)
    other_council, _voters, _secretary = make_council(3, code="31")
    other_session, _ = make_session(other_council, dossiers=0, code="31")
    login(client, voters[0].user)
    assert client.get(f"/hoi-dong/phien/{other_session.pk}/").status_code == 404
    assert client.get(f"/hoi-dong/phien/{other_session.pk}/bo-phieu/").status_code == 404
    assert (
        client.post(f"/hoi-dong/phien/{other_session.pk}/mo-bo-phieu/", {"confirm": "1"}).status_code == 404
    )
    assert client.get(f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[1].pk}/").status_code == 404


def test_secretary_sets_agenda_and_attendance_opens_with_quorum_and_closes(client, council):
    _council, voters, secretary, session, dossiers = council
    login(client, secretary.user)
    page = client.get(f"/hoi-dong/phien/{session.pk}/").content.decode()
    assert dossiers[0].artisan.full_name in page  # a candidate for the agenda
    client.post(f"/hoi-dong/phien/{session.pk}/chuong-trinh/", {"dossier": [d.pk for d in dossiers]})
    assert set(session.agenda.all()) == set(dossiers)
    # without quorum: refused, with the reason on the page
    client.post(f"/hoi-dong/phien/{session.pk}/diem-danh/", {"present": [voters[1].pk]})
    response = client.post(f"/hoi-dong/phien/{session.pk}/mo-bo-phieu/", {"confirm": "1"}, follow=True)
    assert "No quorum" in response.content.decode() or "Không đủ" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED
    client.post(f"/hoi-dong/phien/{session.pk}/diem-danh/", {"present": [v.pk for v in voters]})
    # without the confirmation: nothing happens
    client.post(f"/hoi-dong/phien/{session.pk}/mo-bo-phieu/", {})
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED
    client.post(f"/hoi-dong/phien/{session.pk}/mo-bo-phieu/", {"confirm": "1"})
    session.refresh_from_db()
    assert session.status == Session.Status.BALLOT_OPEN
    declare_no_conflict(session, dossiers, voters)
    for voter in voters:
        for dossier in dossiers:
            ballot_cast(session=session, dossier=dossier, choice="agree", by=voter.user)
    client.post(f"/hoi-dong/phien/{session.pk}/dong-bo-phieu/", {"confirm": "1"})
    session.refresh_from_db()
    assert session.status == Session.Status.BALLOT_CLOSED
    for dossier in dossiers:
        dossier.refresh_from_db()
        assert dossier.state == DossierState.PROVINCIAL_PASSED
    page = client.get(f"/hoi-dong/phien/{session.pk}/").content.decode()
    assert 'id="tally"' in page
    documents = client.get(f"/hoi-dong/phien/{session.pk}/?part=documents", HTTP_HX_REQUEST="true")
    assert documents.status_code == 200 and 'id="session-documents"' in documents.content.decode()
    assert "Biên bản" in documents.content.decode()  # Forms 05 and 06, the minutes


def test_a_member_cannot_open_or_close_the_ballot(client, council):
    _council, voters, secretary, session, dossiers = council
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    login(client, voters[0].user)
    response = client.post(f"/hoi-dong/phien/{session.pk}/mo-bo-phieu/", {"confirm": "1"}, follow=True)
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED
    assert "thư ký" in response.content.decode()


def test_one_screen_one_confirmation_then_read_only(client, council):
    _council, voters, secretary, session, dossiers = council
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    council_ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, dossiers, voters[2:3])
    login(client, voters[2].user)
    url = f"/hoi-dong/phien/{session.pk}/bo-phieu/"
    page = client.get(url).content.decode()
    assert all(f'name="choice-{d.pk}"' in page for d in dossiers)
    choices = {f"choice-{dossiers[0].pk}": "agree", f"choice-{dossiers[1].pk}": "disagree"}
    client.post(url, choices)  # no confirmation: nothing cast
    assert not BallotParticipation.objects.exists()
    client.post(url, {**choices, "confirm": "1"})
    assert BallotParticipation.objects.filter(membership=voters[2]).count() == 2
    assert SealedBallot.objects.count() == 2 and not Ballot.objects.exists()  # sealed until the close
    after = client.get(url).content.decode()
    assert 'name="choice-' not in after and "Already voted" not in after  # Vietnamese page
    assert "Đã bỏ phiếu" in after
    assert "agree" not in after.lower().replace("disagree", "")  # the choice is not shown back
    client.post(url, {**choices, "confirm": "1"})  # a second try changes nothing
    assert SealedBallot.objects.count() == 2
    ballot_close(session=session, by=secretary.user)
    assert sorted(Ballot.objects.values_list("dossier_id", "choice")) == sorted(
        [(dossiers[0].pk, "agree"), (dossiers[1].pk, "disagree")]
    )


def test_conflict_declared_on_the_page_recuses_from_the_ballot(client, council):
    _council, voters, secretary, session, dossiers = council
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    login(client, voters[3].user)
    base = f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/"
    client.post(base + "xung-dot/", {"status": "declared", "relation": "relative", "note": ""})
    assert ConflictDeclaration.objects.get(membership=voters[3]).status == "declared"
    client.post(base + "ghi-chu/", {"assessment-trainees": "not_met", "text-trainees": "Thiếu"})
    other = f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[1].pk}/"
    client.post(other + "xung-dot/", {"status": "none", "relation": "", "note": ""})
    council_ballot_open(session=session, by=secretary.user)
    page = client.get(f"/hoi-dong/phien/{session.pk}/bo-phieu/").content.decode()
    assert f'name="choice-{dossiers[0].pk}"' not in page and f'name="choice-{dossiers[1].pk}"' in page


def test_others_notes_show_only_after_ones_own_ballot(client, council):
    _council, voters, secretary, session, dossiers = council
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    login(client, voters[1].user)
    base = f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/"
    client.post(base + "ghi-chu/", {"assessment-trainees": "not_met", "text-trainees": "Ghi chú kín"})
    council_ballot_open(session=session, by=secretary.user)
    login(client, voters[2].user)
    assert "Ghi chú kín" not in client.get(base).content.decode()
    declare_no_conflict(session, dossiers[:1], voters[2:3])
    ballot_cast(session=session, dossier=dossiers[0], choice="agree", by=voters[2].user)
    page = client.get(base).content.decode()
    assert "Ghi chú kín" in page and voters[1].user.username not in page
