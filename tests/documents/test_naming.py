"""A downloaded document's file name says what it is: its kind, the dossier (by its code) or the council
session, and its number; in Vietnamese, and folded to lower-case ASCII for the clients that need it."""

from datetime import date

from documents.kinds import Kind
from documents.naming import download_name


def test_a_dossiers_document_is_named_by_its_kind_its_code_and_its_number():
    name, ascii_name = download_name(
        kind=Kind.RESULT_NOTICE,
        number_text="12/TB-HĐXT",
        issued_on=date(2026, 12, 3),
        suffix=".docx",
        dossier_code="01-06-0042",
    )
    assert name == "Thông báo kết quả xét chọn - Hồ sơ 01-06-0042 - Số 12-TB-HĐXT.docx"
    assert ascii_name == "thong-bao-ket-qua-xet-chon_ho-so-01-06-0042_so-12-tb-hdxt.docx"


def test_a_sessions_document_without_a_number_is_named_by_its_session_and_date():
    name, ascii_name = download_name(
        kind=Kind.FORM_08, number_text="", issued_on=date(2026, 7, 15), suffix=".pdf", session="15.07.2026"
    )
    assert name == "Phiếu bầu NNƯT - Phiên 15.07.2026 - Ngày 15.07.2026.pdf"
    assert ascii_name == "phieu-bau-nnut_phien-15.07.2026_ngay-15.07.2026.pdf"
    assert ascii_name.isascii()


def test_nothing_in_a_name_can_leave_the_download_folder():
    name, ascii_name = download_name(
        kind=Kind.FORM_03,
        number_text="../05/TTr",
        issued_on=date(2026, 1, 2),
        suffix=".docx",
        dossier_code='a"/b',
    )
    for text in (name, ascii_name):
        assert not set('/\\"') & set(text), text
