"""The council secretary's field-visit page: team from the council's members, date (not in the future),
place, report and the signed report; only the secretary records, only for its council's agenda, and the
members read the visits on the agenda dossier page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.services import action_records_of
from councils.models import FieldVisit
from councils.services import session_agenda_add
from dossiers.models import Attachment
from tests import factories as f
from tests.councils.conftest import make_council, make_session

pytestmark = pytest.mark.django_db

PDF_BYTES = f.pdf_bytes("bien-ban")
REPORT = "Đoàn đã xem xưởng gốm và các tác phẩm; nghệ nhân đang truyền nghề cho 12 học trò."


@pytest.fixture
def agenda():
    council, voters, secretary = make_council(5)
    session, (dossier,) = make_session(council)
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    return council, voters, secretary, session, dossier


def url(session, dossier) -> str:
    return f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/thuc-te/"


def form_data(voters, visited_on, **extra):
    return {
        "members": [voters[0].pk, voters[2].pk],
        "visited_on": f"{visited_on:%d/%m/%Y}",
        "place": "Xưởng gốm Bát Tràng, Gia Lâm",
        "report": REPORT,
        **extra,
    }


def test_the_secretary_records_a_visit_with_its_signed_report(client, agenda):
    council, voters, secretary, session, dossier = agenda
    client.force_login(secretary.user)
    page = client.get(url(session, dossier)).content.decode()
    assert 'type="file"' in page and f'value="{voters[4].pk}"' in page  # the council's members to choose
    day = timezone.localdate() - timedelta(days=2)
    response = client.post(
        url(session, dossier),
        {**form_data(voters, day), "report_upload": SimpleUploadedFile("bien-ban.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/"
    visit = FieldVisit.objects.get()
    assert (visit.council, visit.dossier, visit.visited_on, visit.recorded_by) == (
        council,
        dossier,
        day,
        secretary.user,
    )
    assert visit.place == "Xưởng gốm Bát Tràng, Gia Lâm" and visit.report == REPORT
    assert set(visit.members.all()) == {voters[0], voters[2]}
    assert visit.report_file.dossier == dossier and visit.report_file.kind == Attachment.Kind.OTHER
    assert visit.report_file.original_name == "bien-ban.pdf"
    (record,) = action_records_of(visit)
    assert (record.action, record.actor, record.data["report_file"]) == (
        "field_visit_record",
        secretary.user,
        visit.report_file.pk,
    )


def test_a_visit_in_the_future_is_refused(client, agenda):
    _council, voters, secretary, session, dossier = agenda
    client.force_login(secretary.user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url(session, dossier), form_data(voters, tomorrow))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'href="#id_visited_on"' in page
    assert not FieldVisit.objects.exists()


def test_a_visit_without_its_team_is_refused_and_the_summary_links_to_the_first_box(client, agenda):
    _council, voters, secretary, session, dossier = agenda
    client.force_login(secretary.user)
    data = form_data(voters, timezone.localdate())
    del data["members"]
    page = client.post(url(session, dossier), data).content.decode()
    assert 'href="#id_members_0"' in page and 'id="id_members_0"' in page
    assert not FieldVisit.objects.exists()


def test_a_member_who_is_not_the_secretary_may_not_record(client, agenda):
    _council, voters, _secretary, session, dossier = agenda
    client.force_login(voters[1].user)
    assert client.get(url(session, dossier)).status_code == 403
    day = timezone.localdate()
    assert client.post(url(session, dossier), form_data(voters, day)).status_code == 403
    assert not FieldVisit.objects.exists()


def test_another_councils_secretary_and_a_dossier_off_the_agenda_answer_404(client, agenda):
    _council, voters, _secretary, session, dossier = agenda
    other_council, _other_voters, other_secretary = make_council(5, code="31")
    client.force_login(other_secretary.user)
    assert client.get(url(session, dossier)).status_code == 404
    assert client.post(url(session, dossier), form_data(voters, timezone.localdate())).status_code == 404
    _other_session, (off_agenda,) = make_session(other_council, code="31")
    _council, _voters, secretary, session, _dossier = agenda
    client.force_login(secretary.user)
    assert client.get(url(session, off_agenda)).status_code == 404
    assert not FieldVisit.objects.exists()


def test_members_see_the_visits_on_the_agenda_dossier_page(client, agenda):
    _council, voters, secretary, session, dossier = agenda
    client.force_login(secretary.user)
    page = client.get(f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/").content.decode()
    assert f'href="{url(session, dossier)}"' in page  # the secretary's way to the page
    client.post(url(session, dossier), form_data(voters, timezone.localdate() - timedelta(days=1)))
    client.force_login(voters[3].user)
    page = client.get(f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/").content.decode()
    assert 'id="field-visits"' in page
    assert REPORT in page and "Xưởng gốm Bát Tràng, Gia Lâm" in page and str(voters[2].user) in page
    assert f'href="{url(session, dossier)}"' not in page  # members read, the secretary records


def test_a_refused_signed_report_is_said_beside_its_field(client, agenda):
    """A file that is not what its name says (a program named .pdf) is refused; the error is under the
    file's field and the summary links to it, as for any other field."""
    _council, voters, secretary, session, dossier = agenda
    client.force_login(secretary.user)
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(
        url(session, dossier), {**form_data(voters, timezone.localdate()), "report_upload": fake}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'href="#id_report_upload"' in page
    assert 'id="id_report_upload_error"' in page and "PDF" in page
    assert not FieldVisit.objects.exists() and not Attachment.objects.exists()
