"""Documents in the web pages: the dossier page's list with statuses, downloads that check permission,
the documents page, retry and correction."""

import hashlib
import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.kinds import Kind
from documents.models import GeneratedDocument
from documents.services import document_generate, document_request
from dossiers.models import SensitiveDataAccess
from tests import factories as f
from tests.councils.conftest import make_council, make_session
from tests.documents import samples as s
from tests.workflows.conftest import complete_eligible_dossier
from workflows import services as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared():
    dossier, officer = complete_eligible_dossier()
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    document = GeneratedDocument.objects.get(kind=Kind.FORM_02)
    document = document_generate(document_id=document.pk)
    return dossier, officer, document


def test_the_dossier_page_lists_its_documents_with_their_status(client, declared):
    dossier, officer, document = declared
    client.force_login(officer)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Mẫu 02: bản khai thành tích (Nghệ nhân ưu tú)" in page
    assert "sẵn sàng" in page and f"/ho-so/van-ban/{document.uid}/tai-ve/" in page
    assert "Không có bản PDF: máy chủ chưa cài LibreOffice" in page  # said plainly where there is no PDF
    assert "Lập lại từ hồ sơ (đính chính)" in page


def test_the_receiving_officer_downloads_the_declaration_and_the_read_is_logged(client, declared):
    dossier, officer, document = declared
    client.force_login(officer)
    response = client.get(f"/ho-so/van-ban/{document.uid}/tai-ve/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment;" in response["Content-Disposition"]
    logged = SensitiveDataAccess.objects.filter(user=officer, artisan=dossier.artisan)
    assert set(logged.values_list("field", flat=True)) == {"cccd", "ethnicity"}
    assert all(dossier.artisan.cccd not in row.purpose for row in logged)


@pytest.mark.parametrize("who", ["other officer", "leader", "member of another council", "no role"])
def test_others_get_404_for_the_declaration_as_if_it_did_not_exist(client, declared, who):
    _dossier, _officer, document = declared
    user = {
        "other officer": lambda: f.officer("79"),
        "leader": lambda: f.user("ministry_leader", f.ministry()),
        "member of another council": lambda: f.user("council_member", f.department("79")),
        "no role": lambda: f.user(),
    }[who]()
    client.force_login(user)
    assert client.get(f"/ho-so/van-ban/{document.uid}/tai-ve/").status_code == 404
    assert document.title not in client.get("/ho-so/van-ban/").content.decode()
    # only the officer's read when the declaration was built at receipt, none by the refused user
    assert not SensitiveDataAccess.objects.filter(user=user).exists()


def test_a_document_not_ready_cannot_be_downloaded(client, declared):
    dossier, officer, _document = declared
    queued = document_request(
        kind=Kind.FORM_04, data=s.listing(), title="Danh sách", dossier=dossier, province=dossier.province
    )
    client.force_login(officer)
    assert client.get(f"/ho-so/van-ban/{queued.uid}/tai-ve/").status_code == 404
    assert "Đang chuẩn bị" in client.get(f"/ho-so/{dossier.pk}/").content.decode()


def test_a_failed_document_shows_its_error_and_the_officer_retries_it(client, declared):
    dossier, officer, _document = declared
    failed = document_request(
        kind=Kind.FORM_04, data=s.listing(), title="Danh sách", dossier=dossier, province=dossier.province
    )
    GeneratedDocument.objects.filter(pk=failed.pk).update(status="failed", error="OSError: disk full")
    client.force_login(officer)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "Lỗi khi tạo văn bản" in page and "OSError: disk full" in page
    response = client.post(f"/ho-so/van-ban/{failed.uid}/lam-lai/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "queued"
    client.force_login(f.officer("79"))
    assert client.post(f"/ho-so/van-ban/{failed.uid}/lam-lai/").status_code == 404


def test_the_officer_rebuilds_the_declaration_as_a_correction_with_confirmation_and_reason(client, declared):
    _dossier, officer, document = declared
    client.force_login(officer)
    url = f"/ho-so/van-ban/{document.uid}/dinh-chinh/"
    client.post(url, {"reason": "Bổ sung tác phẩm"})  # not confirmed
    client.post(url, {"confirm": "on", "reason": ""})  # no reason
    assert GeneratedDocument.objects.filter(kind=Kind.FORM_02).count() == 1
    client.post(url, {"confirm": "on", "reason": "Bổ sung tác phẩm"})
    correction = GeneratedDocument.objects.get(replaces=document)
    assert correction.correction_reason == "Bổ sung tác phẩm" and correction.requested_by == officer


def test_the_documents_page_runs_the_same_queries_for_few_and_many(client, declared):
    dossier, officer, _document = declared
    client.force_login(officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/ho-so/van-ban/").status_code == 200
        return len(captured)

    few = queries()
    for _ in range(30):
        document_request(
            kind=Kind.FORM_10, data=s.summary(), title="Tóm tắt", dossier=dossier, province=dossier.province
        )
    assert queries() == few


def test_the_documents_page_renders_in_english(client, declared):
    _dossier, officer, _document = declared
    client.force_login(officer)
    client.post("/ngon-ngu/", {"language": "en", "next": "/ho-so/van-ban/"})
    page = client.get("/ho-so/van-ban/").content.decode()
    assert "Form 02: achievement declaration (Excellent Artisan)" in page and "ready" in page


def test_the_documents_page_filters_by_kind(client, declared):
    _dossier, officer, document = declared
    client.force_login(officer)
    assert list(client.get("/ho-so/van-ban/", {"loai": Kind.FORM_02}).context["page"]) == [document]
    assert list(client.get("/ho-so/van-ban/", {"loai": Kind.FORM_01}).context["page"]) == []
    # an unknown kind is no filter
    assert list(client.get("/ho-so/van-ban/", {"loai": "khong-co"}).context["page"]) == [document]


def _disposition(response) -> tuple[str, str]:
    """The ASCII `filename` and the decoded UTF-8 `filename*` of an attachment (RFC 6266)."""
    header = response["Content-Disposition"]
    match = re.fullmatch(r"attachment; filename=\"([^\"]*)\"; filename\*=UTF-8''(\S+)", header)
    assert match, header
    return match.group(1), unquote(match.group(2), errors="strict")


def test_a_download_is_named_for_what_it_is_in_vietnamese_with_an_ascii_fallback(client, declared):
    dossier, officer, document = declared
    client.force_login(officer)
    fallback, name = _disposition(client.get(f"/ho-so/van-ban/{document.uid}/tai-ve/"))
    day = f"{document.issued_on:%d.%m.%Y}"
    assert dossier.code and dossier.code != str(dossier.pk)
    assert name == f"Bản khai thành tích - Hồ sơ {dossier.code} - Ngày {day}.docx"
    assert fallback == f"ban-khai-thanh-tich_ho-so-{dossier.code}_ngay-{day}.docx"
    assert fallback.isascii()


def test_a_numbered_documents_download_carries_its_number_and_a_sessions_its_date(client, declared):
    dossier, officer, _document = declared
    letter = document_request(
        kind=Kind.SUPPLEMENT_LETTER,
        data=s.supplement_letter(),
        title="Công văn",
        dossier=dossier,
        province=dossier.province,
    )
    document_generate(document_id=letter.pk)
    client.force_login(officer)
    fallback, name = _disposition(client.get(f"/ho-so/van-ban/{letter.uid}/tai-ve/"))
    assert name == f"Công văn bổ sung hồ sơ - Hồ sơ {dossier.code} - Số 01-SCT.docx"
    assert fallback == f"cong-van-bo-sung-ho-so_ho-so-{dossier.code}_so-01-sct.docx"
    council, _voters, secretary = make_council(11)
    session, _agenda = make_session(council)
    minutes = document_request(
        kind=Kind.FORM_05,
        data=s.minutes(),
        title="Biên bản",
        province=council.province,
        council_ref=council.pk,
        session_ref=session.pk,
    )
    document_generate(document_id=minutes.pk)
    client.force_login(secretary.user)
    fallback, name = _disposition(client.get(f"/ho-so/van-ban/{minutes.uid}/tai-ve/"))
    assert name == "Biên bản họp - Phiên 20.11.2025 - Số 01-BB-HĐXT.docx"
    assert fallback == "bien-ban-hop_phien-20.11.2025_so-01-bb-hdxt.docx"
