"""The officer's dossier pages, end to end through the test client: receive, evidence, attach, report."""

import io
from datetime import date

import pytest
from docx import Document

from dossiers.consent import CONSENT_VERSION
from dossiers.models import Artisan, Attachment, Dossier, SensitiveDataAccess
from tests import factories as f

pytestmark = pytest.mark.django_db


def receive_data(**over):
    prov = f.province("01")
    data = {
        "full_name": "Nguyễn Thị Hồng",
        "gender": "female",
        "date_of_birth": "12/03/1968",
        "ethnicity": "Kinh",
        "cccd": "001 168 012 345",
        "province": prov.pk,
        "commune": f.commune_of(prov).pk,
        "address_detail": "",
        "craft": f.Craft.objects.first().pk,
        "date_of_death": "",
        "round": f.round_().pk,
        "title": "excellent",
        "channel": "in_person",
        "received_on": "20/09/2025",
        "consent": "on",
        "consent_version": CONSENT_VERSION,
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_officer_receives_a_dossier_through_the_form(officer_client):
    response = officer_client.post("/ho-so/tiep-nhan/", receive_data())
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/"
    assert dossier.artisan.cccd == "001168012345"
    assert dossier.received_on == date(2025, 9, 20)
    page = officer_client.get(response["Location"]).content.decode()
    assert "Nguyễn Thị Hồng" in page
    assert "Điều 7" in page  # the eligibility report cites the decree
    assert "001168012345" not in page  # the CCCD is not shown until asked for


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"date_of_birth": "29/02/2025"}, "không tồn tại"),
        ({"cccd": "12345"}, "12 chữ số"),
        ({"received_on": "2025-09-20"}, "dd/mm/yyyy"),
    ],
)
def test_bad_input_shows_a_vietnamese_message_and_saves_nothing(officer_client, over, message):
    response = officer_client.post("/ho-so/tiep-nhan/", receive_data(**over))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Artisan.objects.exists() and not Dossier.objects.exists()


def test_error_raised_by_the_service_is_shown_on_the_form(officer_client):
    # alive, with a date of death: only the service knows that rule
    response = officer_client.post("/ho-so/tiep-nhan/", receive_data(date_of_death="01/01/2020"))
    assert response.status_code == 200
    assert not Artisan.objects.exists()


def test_only_officers_may_open_the_receive_form(client):
    client.force_login(f.user("council_member", f.department("01")))
    assert client.get("/ho-so/tiep-nhan/").status_code == 403


def test_another_provinces_dossier_is_not_found(officer_client):
    other = f.dossier("31")
    assert officer_client.get(f"/ho-so/{other.pk}/").status_code == 404
    assert officer_client.get(f"/ho-so/{other.pk}/chung-cu/").status_code == 404
    assert officer_client.post(f"/ho-so/{other.pk}/ca-nhan/").status_code == 404
    listed = officer_client.get("/ho-so/").context["dossiers"]
    assert other.pk not in {row.pk for row in listed}


def test_evidence_form_saves_and_refuses_overlaps(officer_client):
    dossier = f.dossier("01")
    data = {
        "periods-TOTAL_FORMS": "2",
        "periods-INITIAL_FORMS": "0",
        "periods-0-start": "01/01/1990",
        "periods-0-end": "31/12/2004",
        "periods-1-start": "01/01/2006",
        "periods-1-end": "31/08/2025",
        "works-TOTAL_FORMS": "1",
        "works-INITIAL_FORMS": "0",
        "works-0-name": "Bình gốm men lam",
        "works-0-completed_on": "01/05/2019",
        "works-0-award_competition": "Hội thi toàn quốc",
        "works-0-award_organiser": "Bộ Công Thương",
        "works-0-award_competent": "on",
        "works-0-award_level": "second",
        "works-0-award_scope": "national",
        "works-0-award_on": "01/09/2019",
        "trainees-TOTAL_FORMS": "1",
        "trainees-INITIAL_FORMS": "0",
        "trainees-0-count": "120",
        "trainees-0-start": "01/01/2000",
        "trainees-0-end": "31/12/2024",
        "prior_titles-TOTAL_FORMS": "0",
        "prior_titles-INITIAL_FORMS": "0",
    }
    response = officer_client.post(f"/ho-so/{dossier.pk}/chung-cu/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert dossier.craft_periods.count() == 2 and dossier.works.get().awards.get().level == "second"
    # As a browser posts it after the first save: the saved rows are now the formsets' initial rows.
    saved = {"periods-INITIAL_FORMS": "2", "works-INITIAL_FORMS": "1", "trainees-INITIAL_FORMS": "1"}
    overlapping = {**data, **saved, "periods-1-start": "01/06/2004"}
    response = officer_client.post(f"/ho-so/{dossier.pk}/chung-cu/", overlapping)
    assert response.status_code == 200
    assert "trùng nhau" in response.content.decode()  # "overlap" in Vietnamese
    assert dossier.craft_periods.filter(start=date(2006, 1, 1)).exists()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Bản khai thành tích")
    document.save(buffer)
    return buffer.getvalue()


def test_attach_a_file_from_the_dossier_page_and_refuse_a_disguised_executable(officer_client):
    dossier = f.dossier("01")
    content = docx_bytes()  # built once: the zip records the time it was saved, to two seconds
    upload = io.BytesIO(content)
    upload.name = "Bản khai.docx"
    response = officer_client.post(f"/ho-so/{dossier.pk}/tep/", {"kind": "declaration", "file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    download = officer_client.get(f"/ho-so/tep/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content

    fake = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    fake.name = "quyet-dinh.pdf"
    response = officer_client.post(
        f"/ho-so/{dossier.pk}/tep/", {"kind": "certified_copy", "file": fake}, follow=True
    )
    assert Attachment.objects.count() == 1
    assert "PDF" in response.content.decode()


def test_revealing_the_cccd_is_logged(officer_client):
    dossier = f.dossier("01")
    response = officer_client.post(f"/ho-so/{dossier.pk}/ca-nhan/")
    assert dossier.artisan.cccd in response.content.decode()
    assert SensitiveDataAccess.objects.filter(user=officer_client.officer, field="cccd").count() == 1


def test_ministry_clerk_sees_every_province_but_cannot_edit(client):
    dossiers = [f.dossier("01"), f.dossier("31")]
    client.force_login(f.user("ministry_clerk", f.ministry()))
    assert {row.pk for row in client.get("/ho-so/").context["dossiers"]} == {d.pk for d in dossiers}
    assert client.get(f"/ho-so/{dossiers[0].pk}/chung-cu/").status_code == 403


def test_list_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    clerk = f.user("ministry_clerk", f.ministry())
    client.force_login(clerk)
    f.dossier("01")
    with django_assert_max_num_queries(9) as small:  # 8, and the user's saved searches
        client.get("/ho-so/")
    for code in ("31", "48", "79", "01", "31"):
        f.dossier(code)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/ho-so/")


def test_received_dossier_is_submitted_and_the_officer_can_take_the_next_steps(officer_client):
    officer_client.post("/ho-so/tiep-nhan/", receive_data())
    dossier = Dossier.objects.get()
    assert dossier.state == "submitted"
    page = officer_client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Trả lại" in page and "bổ sung" in page
    # without the confirmation nothing happens
    officer_client.post(
        f"/ho-so/{dossier.pk}/buoc/", {"name": "return_for_supplement", "reason": "Thiếu bản khai"}
    )
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    response = officer_client.post(
        f"/ho-so/{dossier.pk}/buoc/",
        {"name": "return_for_supplement", "reason": "Thiếu bản khai", "on": "25/09/2025", "confirm": "on"},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.state == "needs_supplement" and dossier.returned_on == date(2025, 9, 25)
    assert "Thiếu bản khai" in response.content.decode()  # in the history


def test_a_refused_step_explains_why(officer_client):
    officer_client.post("/ho-so/tiep-nhan/", receive_data())
    dossier = Dossier.objects.get()
    response = officer_client.post(
        f"/ho-so/{dossier.pk}/buoc/", {"name": "admit", "confirm": "on"}, follow=True
    )
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert "chưa đầy đủ" in response.content.decode()


def test_steps_on_another_provinces_dossier_are_not_found(officer_client):
    other = f.dossier("31")
    response = officer_client.post(f"/ho-so/{other.pk}/buoc/", {"name": "submit", "confirm": "on"})
    assert response.status_code == 404


def test_page_title_is_the_artisans_name_only(officer_client):
    import re

    dossier = f.dossier("01")
    page = officer_client.get(f"/ho-so/{dossier.pk}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip().startswith(dossier.artisan.full_name)
    assert "<" not in title
    assert page.count("<h2>Lịch sử</h2>") == 1  # the history section, once, in the page body


def test_inbox_lists_the_officers_tasks_with_the_last_day_and_overdue_first(officer_client):
    officer_client.post("/ho-so/tiep-nhan/", receive_data(received_on="20/09/2025"))
    dossier = Dossier.objects.get()
    response = officer_client.get("/ho-so/viec-can-lam/")
    items = response.context["items"]
    assert [i.dossier for i in items] == [dossier]
    assert items[0].last_day == date(2025, 9, 30)  # received 20/09 + 10 days
    page = response.content.decode()
    assert "30/09/2025" in page and "quá hạn" in page


def test_inbox_of_another_province_is_empty(client):
    f.dossier("01")
    client.force_login(f.officer("31"))
    assert list(client.get("/ho-so/viec-can-lam/").context["items"]) == []


def test_a_posthumous_dossier_is_received_with_its_filer_and_a_death_before_the_receipt(officer_client):
    posthumous = {"is_deceased": "on", "filer_kind": "organisation", "filer_name": "Hội Làng nghề Vạn Phúc"}
    late = receive_data(
        **posthumous, date_of_death="20/09/2025", filer_relationship="nơi nghệ nhân sinh hoạt"
    )
    response = officer_client.post("/ho-so/tiep-nhan/", late)
    assert (
        response.status_code == 200 and "trước ngày tiếp nhận hồ sơ (20/09/2025)" in response.content.decode()
    )
    assert not Dossier.objects.exists()
    response = officer_client.post("/ho-so/tiep-nhan/", {**late, "date_of_death": "19/09/2025"})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and dossier.posthumous
    assert (dossier.filer_kind, dossier.filer_name) == ("organisation", "Hội Làng nghề Vạn Phúc")


def test_a_blank_prior_title_row_is_skipped_without_ticking_delete(officer_client):
    dossier = f.dossier("01")
    page = officer_client.get(f"/ho-so/{dossier.pk}/chung-cu/").content.decode()
    assert 'name="prior_titles-0-title"' in page
    data = {
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-start": "01/01/1990",
        "periods-0-end": "31/12/2024",
        "works-TOTAL_FORMS": "0",
        "works-INITIAL_FORMS": "0",
        "trainees-TOTAL_FORMS": "0",
        "trainees-INITIAL_FORMS": "0",
        # the blank row as the browser sends it: the selects' defaults, nothing typed
        "prior_titles-TOTAL_FORMS": "1",
        "prior_titles-INITIAL_FORMS": "0",
        "prior_titles-0-title": "",
        "prior_titles-0-field": "handicraft",
        "prior_titles-0-decision_number": "",
        "prior_titles-0-decision_date": "",
    }
    response = officer_client.post(f"/ho-so/{dossier.pk}/chung-cu/", data)
    assert response.status_code == 302
    assert dossier.craft_periods.count() == 1 and not dossier.artisan.prior_titles.exists()


def test_an_upload_sent_by_the_script_keeps_its_message_for_the_page(officer_client):
    """The progress-bar script sends the form itself (header X-Upload-Progress): the answer tells it where
    to go and leaves the message ("attached", or the refusal) for that page, where the user reads it."""
    dossier = f.dossier("01")
    upload = io.BytesIO(docx_bytes())
    upload.name = "Bản khai.docx"
    response = officer_client.post(
        f"/ho-so/{dossier.pk}/tep/",
        {"kind": "declaration", "file": upload},
        HTTP_X_UPLOAD_PROGRESS="1",
    )
    assert response.status_code == 200 and response.json() == {"redirect": f"/ho-so/{dossier.pk}/"}
    assert "Đã đính kèm tệp." in officer_client.get(response.json()["redirect"]).content.decode()

    fake = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    fake.name = "quyet-dinh.pdf"
    response = officer_client.post(
        f"/ho-so/{dossier.pk}/tep/",
        {"kind": "certified_copy", "file": fake},
        HTTP_X_UPLOAD_PROGRESS="1",
    )
    page = officer_client.get(response.json()["redirect"]).content.decode()
    assert 'id="message-errors"' in page and "PDF" in page and "Đã đính kèm tệp." not in page
    assert Attachment.objects.count() == 1
