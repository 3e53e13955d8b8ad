"""Importing a list of nominees from Excel: the template, the checked preview, the all-or-nothing
confirmation, the refused files and who may do it."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Artisan, ConsentRecord, Craft, Dossier, NomineeImport
from tests import factories as f
from web.nominee_import import COLUMNS, headers
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/ho-so/nhap-excel/"
FIELDS = [column.field for column in COLUMNS]


def nominee(n: int = 1, **over) -> dict:
    prov = f.province("01")
    row = {
        "full_name": f"Nguyễn Thị Hồng {chr(64 + n)}",
        "gender": "Nữ",
        "date_of_birth": "12/03/1968",
        "ethnicity": "Kinh",
        "cccd": f"0011680123{n:02d}",
        "province": "",
        "commune": f.commune_of(prov).name,
        "address_detail": "Thôn Đông",
        "craft": Craft.objects.order_by("code").first().name,
        "is_deceased": "Không",
        "date_of_death": "",
        "filer_kind": "",
        "filer_name": "",
        "filer_relationship": "",
        "title": "Nghệ nhân ưu tú",
        "channel": "trực tiếp",
        "received_on": "20/09/2025",
        "special_branch_claimed": "",
        "consent": "Có",
    }
    row.update(over)
    return row


def workbook_bytes(rows, *, header=None, edit=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header if header is not None else headers())
    for row in rows:
        sheet.append([row.get(field, "") or None for field in FIELDS])
    if edit:
        edit(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str = "danh-sach.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def officer(officer_client):
    f.round_()
    return officer_client


def preview_of(response) -> NomineeImport:
    assert response.status_code == 302, response.content.decode()[:2000]
    return NomineeImport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def confirm(client, preview, **data):
    return client.post(f"{URL}{preview.pk}/xac-nhan/", {"confirm": "on", **data})


def test_the_template_downloads_with_the_receipt_forms_fields_and_notes(officer):
    response = officer.get(f"{URL}mau/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    first = book.worksheets[0]
    found = [cell.value for cell in next(first.iter_rows(max_row=1))]
    assert found == headers()
    assert found[0] == "Họ và tên" and "Số CCCD" in found and "Ngày sinh" in found
    assert "Đồng ý xử lý dữ liệu cá nhân" in found
    notes = book["Hướng dẫn"]
    text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "dd/mm/yyyy" in text and "12 chữ số" in text and "Nghệ nhân nhân dân" in text
    crafts = [c.value for c in book["Danh mục nghề"]["A"]][1:]
    assert Craft.objects.order_by("code").first().name in crafts


def test_the_pages_link_the_import_for_officers(officer):
    assert URL in officer.get("/ho-so/").content.decode()
    assert URL in officer.get("/ho-so/tiep-nhan/").content.decode()


def test_a_good_file_previews_then_confirms_into_dossiers_with_codes_and_audit_entries(officer):
    rows = [
        nominee(1),
        nominee(2, full_name="Tra\u0302\u0300n Va\u0306n Bi\u0300nh", gender="Nam", cccd="001068012399"),
        nominee(3, title="Nghệ nhân nhân dân"),
    ]
    response = upload(officer, workbook_bytes(rows))
    preview = preview_of(response)
    assert (
        not Dossier.objects.exists() and not Artisan.objects.exists()
    )  # nothing saved before the confirmation
    assert (preview.valid_count, preview.invalid_count) == (3, 0)
    page = officer.get(response["Location"]).content.decode()
    assert "Nguyễn Thị Hồng A" in page and 'name="confirm"' in page

    response = confirm(officer, preview)
    assert response.status_code == 302
    dossiers = Dossier.objects.order_by("code")
    assert dossiers.count() == 3
    assert all(d.code.startswith("01-06-") for d in dossiers)
    assert {d.state for d in dossiers} == {"submitted"}
    assert Artisan.objects.filter(full_name="Trần Văn Bình").exists()  # stored NFC
    assert Artisan.objects.with_cccd("001168012301").exists()
    assert ConsentRecord.objects.count() == 3
    assert AuditEntry.objects.filter(dossier__in=dossiers).count() >= 3
    preview.refresh_from_db()
    assert preview.confirmed_at is not None and preview.rows == []
    assert sorted(preview.dossier_ids) == sorted(d.pk for d in dossiers)


def test_a_second_confirmation_creates_nothing_more(officer):
    preview = preview_of(upload(officer, workbook_bytes([nominee(1), nominee(2)])))
    confirm(officer, preview)
    response = confirm(officer, preview)
    assert response.status_code == 302
    assert Dossier.objects.count() == 2


def test_a_bad_row_shows_its_errors_per_cell_and_confirmation_is_refused(officer):
    rows = [
        nominee(1),
        nominee(2, cccd="12345", date_of_birth="31/02/1960", craft="Nghề không có"),
    ]
    response = upload(officer, workbook_bytes(rows))
    preview = preview_of(response)
    assert (preview.valid_count, preview.invalid_count) == (1, 1)
    bad = preview.rows[1]
    assert bad["line"] == 3
    assert set(bad["errors"]) >= {"cccd", "date_of_birth", "craft"}
    page = officer.get(response["Location"]).content.decode()
    assert "12 chữ số" in page and "không tồn tại" in page and "Nghề không có" in page
    assert "danh mục nghề" in page.lower()
    assert 'name="confirm"' not in page

    response = confirm(officer, preview)
    assert response.status_code == 302
    assert (
        not Dossier.objects.exists() and not Artisan.objects.exists() and not ConsentRecord.objects.exists()
    )


def test_a_row_the_service_refuses_at_confirmation_leaves_nothing(officer):
    """All or nothing: row 3's CCCD was received in the round after the preview (by the form): the
    confirmation fails on that row and the first two rows are not kept either."""
    from tests.web.test_dossier_pages import receive_data

    preview = preview_of(upload(officer, workbook_bytes([nominee(1), nominee(2), nominee(3)])))
    assert preview.invalid_count == 0
    assert officer.post("/ho-so/tiep-nhan/", receive_data(cccd="001168012303")).status_code == 302
    before = (Dossier.objects.count(), Artisan.objects.count(), AuditEntry.objects.count())

    response = confirm(officer, preview)
    assert response.status_code == 302
    assert (Dossier.objects.count(), Artisan.objects.count(), AuditEntry.objects.count()) == before
    preview.refresh_from_db()
    assert preview.confirmed_at is None and preview.invalid_count == 1
    assert "cccd" in preview.rows[2]["errors"]


def test_a_cccd_given_twice_in_the_file_is_refused_on_its_second_row(officer):
    preview = preview_of(upload(officer, workbook_bytes([nominee(1), nominee(2, cccd="001168012301")])))
    assert preview.invalid_count == 1 and "cccd" in preview.rows[1]["errors"]


def test_confirming_without_the_box_is_refused(officer):
    preview = preview_of(upload(officer, workbook_bytes([nominee(1)])))
    response = officer.post(f"{URL}{preview.pk}/xac-nhan/", {})
    assert response.status_code == 200
    assert not Dossier.objects.exists()


def _refusal(response) -> str:
    assert response.status_code == 200
    assert not NomineeImport.objects.exists()
    return response.content.decode()


def test_a_word_file_renamed_xlsx_is_refused(officer):
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            "<Types><Override ContentType='application/vnd.openxmlformats-officedocument"
            ".wordprocessingml.document.main+xml'/></Types>",
        )
        archive.writestr("word/document.xml", "<w:document/>")
    page = _refusal(upload(officer, content.getvalue()))
    assert "không phải là sổ tính Excel" in page


def test_a_pdf_renamed_xlsx_is_refused(officer):
    page = _refusal(upload(officer, f.pdf_bytes("x")))
    assert "không phải là sổ tính Excel" in page


def test_a_workbook_with_macros_is_refused(officer):
    good = workbook_bytes([nominee(1)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 64)
    page = _refusal(upload(officer, out.getvalue()))
    assert "macro" in page


def test_a_formula_is_refused(officer):
    def formula(sheet):
        sheet["D2"] = '=CONCAT("Ki","nh")'

    page = _refusal(upload(officer, workbook_bytes([nominee(1)], edit=formula)))
    assert "D2" in page and "công thức" in page


def test_too_many_rows_are_refused(officer, settings):
    settings.NOMINEE_IMPORT_MAX_ROWS = 2
    page = _refusal(upload(officer, workbook_bytes([nominee(1), nominee(2), nominee(3)])))
    assert "nhiều hơn 2 dòng" in page


def test_an_oversized_file_is_refused(officer, settings):
    settings.NOMINEE_IMPORT_MAX_BYTES = 1000
    page = _refusal(upload(officer, workbook_bytes([nominee(1)])))
    assert "tối đa" in page


def test_a_wrong_header_row_is_refused(officer):
    header = headers()
    header[1] = "Giới"
    page = _refusal(upload(officer, workbook_bytes([nominee(1)], header=header)))
    assert "dòng tiêu đề" in page and "Giới" in page


def test_other_roles_get_403(client):
    f.round_()
    for user in (f.user("ministry_clerk", f.ministry()), f.user("council_member")):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(f"{URL}mau/").status_code == 403
        assert client.post(URL, {"file": SimpleUploadedFile("a.xlsx", b"x")}).status_code == 403


def test_another_officer_cannot_see_or_confirm_someone_elses_preview(officer, client):
    preview = preview_of(upload(officer, workbook_bytes([nominee(1)])))
    for other in (f.officer("79"), f.officer("01")):
        client.force_login(other)
        assert client.get(f"{URL}{preview.pk}/").status_code == 404
        assert confirm(client, preview).status_code == 404
    assert not Dossier.objects.exists()


def test_an_expired_preview_is_gone(officer, settings):
    settings.NOMINEE_IMPORT_TTL_SECONDS = -1
    preview = preview_of(upload(officer, workbook_bytes([nominee(1)])))
    assert officer.get(f"{URL}{preview.pk}/").status_code == 404
    assert confirm(officer, preview).status_code == 404
    assert not Dossier.objects.exists()


def test_the_preview_rows_are_encrypted_at_rest(officer):
    from django.db import connection

    preview = preview_of(upload(officer, workbook_bytes([nominee(1)])))
    with connection.cursor() as cursor:
        cursor.execute("SELECT rows FROM dossiers_nomineeimport WHERE id = %s", [preview.pk])
        stored = cursor.fetchone()[0]
    assert "001168012301" not in stored and "Kinh" not in stored


def _counts():
    from dossiers.models import DossierCodeCounter
    from notifications.models import EventRecord

    return {
        "dossiers": Dossier.objects.count(),
        "artisans": Artisan.objects.count(),
        "audit": AuditEntry.objects.count(),
        "events": EventRecord.objects.count(),
        "counters": DossierCodeCounter.objects.count(),
        "consents": ConsentRecord.objects.count(),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the reference data stays for the next
def test_committed_the_import_does_what_the_form_does_and_the_preview_nothing(client):
    """With real commits: the preview leaves no row at all (no code counter, no event); the confirmation
    writes, per dossier, the audit entries and events one receipt through the form writes."""
    from tests.web.test_dossier_pages import receive_data

    officer = f.officer("01")
    client.force_login(officer)
    f.round_()
    empty = _counts()
    assert client.post("/ho-so/tiep-nhan/", receive_data(cccd="001168012399")).status_code == 302
    one = _counts()
    per_receipt = {key: one[key] - empty[key] for key in one}
    assert per_receipt["events"] >= 1

    preview = preview_of(upload(client, workbook_bytes([nominee(1), nominee(2)])))
    assert _counts() == one  # checked, not kept
    assert confirm(client, preview).status_code == 302
    after = _counts()
    assert {key: after[key] - one[key] for key in after} == {
        **{key: 2 * value for key, value in per_receipt.items()},
        "counters": 0,  # the province's counter of the round already existed
    }
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == ["01-06-0001", "01-06-0002", "01-06-0003"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_a_refusal_on_row_k_keeps_none_of_the_rows_before_it(client):
    from tests.web.test_dossier_pages import receive_data

    officer = f.officer("01")
    client.force_login(officer)
    f.round_()
    preview = preview_of(upload(client, workbook_bytes([nominee(1), nominee(2), nominee(3)])))
    assert client.post("/ho-so/tiep-nhan/", receive_data(cccd="001168012302")).status_code == 302
    before = _counts()
    assert confirm(client, preview).status_code == 302
    assert _counts() == before
    preview.refresh_from_db()
    assert preview.confirmed_at is None and list(preview.rows[1]["errors"]) == ["cccd"]
