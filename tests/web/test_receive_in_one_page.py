"""The receipt in one page: the artisan, the dossier, its evidence tables (ten works in one post) and its
files are saved together or not at all, then the receipt step; a refusal anywhere leaves no dossier, no
artisan, no row and no stored file. An evidence row is checked as it is typed, by the same form, with
nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Artisan, Attachment, Dossier, DossierState, Work
from tests import factories as f
from tests.web.test_dossier_pages import docx_bytes, receive_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def works(n: int) -> dict:
    return formset(
        "works", [{"name": f"Tác phẩm số {i + 1}", "completed_on": f"0{1 + i % 9}/05/2015"} for i in range(n)]
    )


def evidence(n_works: int = 10) -> dict:
    return {
        **formset("periods", [{"start": "01/01/1990", "end": "31/12/2024", "place": "Làng gốm Bát Tràng"}]),
        **works(n_works),
        **formset("trainees", [{"count": "12", "start": "01/01/2005", "end": "31/12/2020"}]),
        **formset("prior_titles", []),
    }


def files(*rows) -> dict:
    data = {"files-TOTAL_FORMS": str(len(rows)), "files-INITIAL_FORMS": "0"}
    for i, (kind, name, content) in enumerate(rows):
        data[f"files-{i}-kind"] = kind
        data[f"files-{i}-file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return data


def test_ten_works_and_two_files_are_received_in_one_post(officer_client, media):
    data = {
        **receive_data(),
        **evidence(10),
        **files(
            ("declaration", "Bản khai.docx", docx_bytes()),
            ("certified_copy", "Giấy khen.pdf", f.pdf_bytes("giay-khen")),
        ),
    }
    response = officer_client.post("/ho-so/tiep-nhan/", data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ho-so/{dossier.pk}/"
    assert dossier.state == DossierState.SUBMITTED and dossier.code
    assert sorted(Work.objects.filter(dossier=dossier).values_list("name", flat=True)) == sorted(
        f"Tác phẩm số {i + 1}" for i in range(10)
    )
    assert dossier.craft_periods.count() == 1 and dossier.trainee_records.get().count == 12
    assert sorted(Attachment.objects.filter(dossier=dossier).values_list("kind", flat=True)) == [
        "certified_copy",
        "declaration",
    ]
    assert len(stored_files(media)) == 2
    page = officer_client.get(response["Location"]).content.decode()
    assert "Tác phẩm số 10" in page and "Giấy khen.pdf" in page


def test_a_file_refused_by_its_content_leaves_nothing_behind(officer_client, media):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
    data = {
        **receive_data(),
        **evidence(3),
        **files(("declaration", "Bản khai.docx", docx_bytes()), ("certified_copy", "quyet-dinh.pdf", exe)),
    }
    response = officer_client.post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not Dossier.objects.exists() and not Artisan.objects.exists() and not Work.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []  # the declaration written before the refusal went with the rollback


def test_a_bad_row_is_shown_where_it_is_and_nothing_is_saved(officer_client, media):
    data = {
        **receive_data(),
        **evidence(0),
        **formset("works", [{"name": "Bình gốm men lam", "completed_on": "31/02/2015"}]),
    }
    response = officer_client.post("/ho-so/tiep-nhan/", data)
    body = response.content.decode()
    assert response.status_code == 200 and not Dossier.objects.exists()
    assert 'href="#id_works-0-completed_on"' in body  # the summary links to the field


def test_a_post_with_only_the_receipts_fields_still_receives(officer_client, media):
    response = officer_client.post("/ho-so/tiep-nhan/", receive_data())
    assert response.status_code == 302
    assert Dossier.objects.get().state == DossierState.SUBMITTED


def test_a_row_is_checked_as_it_is_typed_and_nothing_is_saved(officer_client):
    url = "/ho-so/kiem-tra-dong/works/"
    answer = officer_client.post(url, {"name": "Bình gốm", "completed_on": "31/02/2015"}).json()
    assert list(answer["errors"]) == ["completed_on"]
    assert "ngày" in answer["errors"]["completed_on"][0].lower()
    assert officer_client.post(url, {"name": "Bình gốm", "completed_on": "28/02/2015"}).json() == {
        "errors": {}
    }
    prize = officer_client.post(
        url, {"name": "Bình gốm", "completed_on": "28/02/2015", "award_level": "first"}
    )
    assert "__all__" in prize.json()["errors"]  # a prize needs its competition, scope and date
    periods = officer_client.post("/ho-so/kiem-tra-dong/periods/", {"start": "01/01/1990", "end": ""}).json()
    assert list(periods["errors"]) == ["end"]
    assert officer_client.post("/ho-so/kiem-tra-dong/khac/", {}).status_code == 404
    assert not Work.objects.exists()


def test_only_officers_use_the_row_check(client):
    member = f.user("council_member", f.department("01"))
    client.force_login(member)
    assert client.post("/ho-so/kiem-tra-dong/works/", {"name": "x"}).status_code == 403
    client.logout()
    assert client.post("/ho-so/kiem-tra-dong/works/", {"name": "x"}).status_code == 302  # to the login


def test_the_page_offers_a_template_row_for_each_table(officer_client):
    page = officer_client.get("/ho-so/tiep-nhan/").content.decode()
    for prefix in ("periods", "works", "trainees", "prior_titles"):
        assert f'data-formset="{prefix}"' in page and f'name="{prefix}-__prefix__-' in page
    assert 'enctype="multipart/form-data"' in page and 'name="files-0-file"' in page
    assert "Thêm dòng" in page
