"""The Ministry's import of the artisans of earlier rounds into the registry, from Excel: the template,
the preview checked by `conferral_import`, the all-or-nothing confirmation that runs once, the refused
files, and who may do it."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AdministrativeUnit
from dossiers.models import Conferral, Craft, RegistryImport
from tests import factories as f
from web.registry_import import COLUMNS, headers

pytestmark = pytest.mark.django_db

URL = "/nghe-nhan/nhap-excel/"
FIELDS = [column.field for column in COLUMNS]


def former_province() -> AdministrativeUnit:
    """A province merged on 01/07/2025 into another (not one that kept its name)."""
    current = AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True).values("name")
    return (
        AdministrativeUnit.objects.filter(level="province", valid_to__isnull=False, successor__isnull=False)
        .exclude(name__in=current)
        .order_by("code")
        .first()
    )


def artisan_row(n: int = 1, **over) -> dict:
    row = {
        "full_name": f"Phạm Thị Hồng {chr(64 + n)}",
        "title": "Nghệ nhân ưu tú",
        "round_number": "4",
        "year": "2019",
        "decision_number": f"{n}/QĐ-CTN",
        "decision_date": "30/08/2019",
        "province": f.province("01").name,
        "craft": Craft.objects.order_by("code").first().name,
        "posthumous": "Không",
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
def clerk(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))
    return client


def preview_of(response) -> RegistryImport:
    assert response.status_code == 302, response.content.decode()[:2000]
    return RegistryImport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def confirm(client, preview, **data):
    return client.post(f"{URL}{preview.pk}/xac-nhan/", {"confirm": "on", **data})


def test_the_template_round_trips_with_the_services_fields_and_notes(clerk):
    response = clerk.get(f"{URL}mau/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mau-so-nghe-nhan-')
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    found = [cell.value for cell in next(book.worksheets[0].iter_rows(max_row=1))]
    assert found == headers()
    assert found[0] == "Họ và tên" and "Truy tặng" in found and "Năm" in found
    assert "Tỉnh, thành phố khi được phong tặng" in found
    notes = " ".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "dd/mm/yyyy" in notes and "Nghệ nhân nhân dân" in notes and "01/07/2025" in notes
    assert Craft.objects.order_by("code").first().name in [c.value for c in book["Danh mục nghề"]["A"]]
    assert former_province().name in [c.value for c in book["Tỉnh, thành phố"]["A"]]

    # the template itself, filled and uploaded, is read back row for row
    sheet = book.worksheets[0]
    row = artisan_row(1)
    sheet.append([row[field] for field in FIELDS])
    out = io.BytesIO()
    book.save(out)
    preview = preview_of(upload(clerk, out.getvalue()))
    assert (preview.valid_count, preview.invalid_count) == (1, 0)
    assert preview.rows[0]["values"] == row


def test_the_registry_links_the_import_for_clerks_only(clerk, client):
    assert URL in clerk.get("/nghe-nhan/").content.decode()
    client.logout()
    assert URL not in client.get("/nghe-nhan/").content.decode()


def test_a_good_file_previews_then_confirms_and_the_artisans_appear_in_the_registry(clerk):
    former = former_province()
    rows = [
        artisan_row(1),
        artisan_row(
            2, full_name="Lê Văn Đức", province=former.name, posthumous="Có", title="Nghệ nhân nhân dân"
        ),
        artisan_row(3, full_name="Tra\u0302\u0300n Va\u0306n Bi\u0300nh"),  # decomposed: stored NFC
    ]
    response = upload(clerk, workbook_bytes(rows))
    preview = preview_of(response)
    assert not Conferral.objects.exists()  # nothing saved before the confirmation
    assert (preview.valid_count, preview.invalid_count) == (3, 0)
    page = clerk.get(response["Location"]).content.decode()
    assert "Lê Văn Đức" in page and 'name="confirm"' in page and "Tôi xác nhận" in page

    response = confirm(clerk, preview)
    assert response.status_code == 302 and response["Location"] == "/nghe-nhan/"
    assert Conferral.objects.count() == 3
    duc = Conferral.objects.get(full_name="Lê Văn Đức")
    assert duc.artisan is None and duc.source_dossier is None and duc.posthumous
    assert (duc.title, duc.round_number, duc.year, duc.decision_number) == ("peoples", 4, 2019, "2/QĐ-CTN")
    assert duc.province == former and duc.current_province == former.successor
    assert Conferral.objects.filter(full_name="Trần Văn Bình").exists()
    preview.refresh_from_db()
    assert preview.confirmed_at is not None and preview.rows == [] and len(preview.conferral_ids) == 3

    body = clerk.get("/nghe-nhan/?q=le+van+duc").content.decode()
    assert "Lê Văn Đức" in body and "Phạm Thị Hồng" not in body
    assert "Trần Văn Bình" in clerk.get("/nghe-nhan/?q=TRAN VAN BINH").content.decode()
    assert clerk.get(f"/nghe-nhan/{duc.public_id}/").status_code == 200


def test_a_bad_row_shows_its_errors_per_cell_and_confirmation_is_refused(clerk):
    rows = [
        artisan_row(1),
        artisan_row(2, province="Tỉnh Không Có", decision_date="31/02/2001", title="Nghệ nhân xuất sắc"),
        artisan_row(3, year="2018", round_number="năm"),
    ]
    response = upload(clerk, workbook_bytes(rows))
    preview = preview_of(response)
    assert (preview.valid_count, preview.invalid_count) == (1, 2)
    assert set(preview.rows[1]["errors"]) == {"province", "decision_date", "title"}
    assert set(preview.rows[2]["errors"]) == {"year", "round_number"}
    page = clerk.get(response["Location"]).content.decode()
    assert "Tỉnh Không Có" in page and "không phải là tỉnh" in page
    assert "Ngày này không tồn tại" in page or "không tồn tại" in page
    assert "Nghệ nhân xuất sắc" in page and "không phải là số nguyên" in page
    assert 'name="confirm"' not in page

    response = confirm(clerk, preview)
    assert response.status_code == 302
    assert not Conferral.objects.exists()
    preview.refresh_from_db()
    assert preview.confirmed_at is None


def test_the_service_refuses_a_title_already_in_the_registry_and_a_row_given_twice(clerk):
    first = preview_of(upload(clerk, workbook_bytes([artisan_row(1)])))
    assert confirm(clerk, first).status_code == 302
    again = preview_of(upload(clerk, workbook_bytes([artisan_row(1), artisan_row(2), artisan_row(2)])))
    assert [list(row["errors"]) for row in again.rows] == [["full_name"], [], ["full_name"]]
    assert "đã có danh hiệu này" in again.rows[0]["errors"]["full_name"][0]
    assert Conferral.objects.count() == 1


def test_all_or_nothing_a_row_refused_at_confirmation_leaves_none(clerk):
    preview = preview_of(upload(clerk, workbook_bytes([artisan_row(1), artisan_row(2), artisan_row(3)])))
    # since the preview, the third row was entered by another list
    other = preview_of(upload(clerk, workbook_bytes([artisan_row(3)])))
    assert confirm(clerk, other).status_code == 302
    response = confirm(clerk, preview)
    assert response.status_code == 302
    assert list(Conferral.objects.values_list("decision_number", flat=True)) == ["3/QĐ-CTN"]
    preview.refresh_from_db()
    assert preview.confirmed_at is None and list(preview.rows[2]["errors"]) == ["full_name"]
    page = clerk.get(response["Location"]).content.decode()
    assert "chưa có gì được lưu" in page and 'name="confirm"' not in page


def test_a_second_confirmation_enters_nothing_more(clerk):
    preview = preview_of(upload(clerk, workbook_bytes([artisan_row(1), artisan_row(2)])))
    assert confirm(clerk, preview).status_code == 302
    assert confirm(clerk, preview).status_code == 302
    assert Conferral.objects.count() == 2


def test_confirming_without_the_box_is_refused(clerk):
    preview = preview_of(upload(clerk, workbook_bytes([artisan_row(1)])))
    response = clerk.post(f"{URL}{preview.pk}/xac-nhan/", {})
    assert response.status_code == 200
    assert not Conferral.objects.exists()


def _refusal(response) -> str:
    assert response.status_code == 200
    assert not RegistryImport.objects.exists()
    return response.content.decode()


def test_a_word_file_renamed_xlsx_is_refused(clerk):
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            "<Types><Override ContentType='application/vnd.openxmlformats-officedocument"
            ".wordprocessingml.document.main+xml'/></Types>",
        )
        archive.writestr("word/document.xml", "<w:document/>")
    assert "không phải là sổ tính Excel" in _refusal(upload(clerk, content.getvalue()))
    assert "không phải là sổ tính Excel" in _refusal(upload(clerk, f.pdf_bytes("x")))


def test_a_workbook_with_macros_is_refused(clerk):
    good = workbook_bytes([artisan_row(1)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 64)
    assert "macro" in _refusal(upload(clerk, out.getvalue()))


def test_a_formula_is_refused(clerk):
    def formula(sheet):
        sheet["E2"] = '=CONCAT("1/","QĐ-CTN")'

    page = _refusal(upload(clerk, workbook_bytes([artisan_row(1)], edit=formula)))
    assert "E2" in page and "công thức" in page


def test_too_many_rows_and_oversized_files_are_refused(clerk, settings):
    settings.NOMINEE_IMPORT_MAX_ROWS = 2
    assert "nhiều hơn 2 dòng" in _refusal(upload(clerk, workbook_bytes([artisan_row(n) for n in (1, 2, 3)])))
    settings.NOMINEE_IMPORT_MAX_BYTES = 1000
    assert "tối đa" in _refusal(upload(clerk, workbook_bytes([artisan_row(1)])))


def test_a_wrong_header_row_is_refused(clerk):
    header = headers()
    header[2] = "Đợt"
    page = _refusal(upload(clerk, workbook_bytes([artisan_row(1)], header=header)))
    assert "dòng tiêu đề" in page and "Đợt" in page
    # the nominees' template is not this one either
    from web.nominee_import import headers as nominee_headers

    assert "dòng tiêu đề" in _refusal(upload(clerk, workbook_bytes([], header=nominee_headers())))


def test_other_roles_get_403_and_administrators_may_import(client):
    for user in (f.officer("01"), f.user("ministry_leader", f.ministry()), f.user("council_member")):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(f"{URL}mau/").status_code == 403
        assert client.post(URL, {"file": SimpleUploadedFile("a.xlsx", b"x")}).status_code == 403
    client.force_login(f.user("system_administrator"))
    assert client.get(URL).status_code == 200
    preview = preview_of(upload(client, workbook_bytes([artisan_row(1)])))
    assert confirm(client, preview).status_code == 302
    assert Conferral.objects.count() == 1


def test_another_clerk_cannot_see_or_confirm_someone_elses_preview(clerk, client):
    preview = preview_of(upload(clerk, workbook_bytes([artisan_row(1)])))
    from django.test import Client

    other = Client()
    other.force_login(f.user("ministry_clerk", f.ministry()))
    assert other.get(f"{URL}{preview.pk}/").status_code == 404
    assert confirm(other, preview).status_code == 404
    assert not Conferral.objects.exists()


def test_an_expired_preview_is_gone(clerk, settings):
    settings.NOMINEE_IMPORT_TTL_SECONDS = -1
    preview = preview_of(upload(clerk, workbook_bytes([artisan_row(1)])))
    assert clerk.get(f"{URL}{preview.pk}/").status_code == 404
    assert confirm(clerk, preview).status_code == 404
    assert not Conferral.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the reference data stays for the next
def test_committed_the_preview_keeps_nothing_and_a_late_refusal_keeps_none_of_the_rows(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))
    preview = preview_of(upload(client, workbook_bytes([artisan_row(1), artisan_row(2), artisan_row(3)])))
    assert not Conferral.objects.exists()  # checked, not kept
    other = preview_of(upload(client, workbook_bytes([artisan_row(3)])))
    assert confirm(client, other).status_code == 302
    assert confirm(client, preview).status_code == 302
    assert Conferral.objects.count() == 1
    preview.refresh_from_db()
    assert preview.confirmed_at is None
