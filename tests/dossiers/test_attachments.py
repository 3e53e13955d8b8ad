"""Attachments: content sniffing, file names, size limits, storage, clean refusals, checked download."""

import hashlib
import io
import re
import unicodedata
import zipfile
from datetime import date, timedelta

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import transaction
from django.utils import translation

from dossiers import uploads
from dossiers.models import Attachment, SensitiveDataAccess
from dossiers.services import attachments as service
from dossiers.services.attachments import attachment_add, attachment_open, attachment_orphan_files_delete
from dossiers.uploads import DOCX, JPEG, MP4, PDF, PNG, inspect_upload, max_bytes, sanitize_filename, sniff
from tests import factories as f

Kind = Attachment.Kind

PDF_BYTES = f.pdf_bytes("ban-khai")
JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # a legacy .doc


def docx_bytes(text: str = "Bản khai thành tích") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:
    """A copy of a ZIP with entries added or removed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info, src.read(info))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def mark_encrypted(data: bytes) -> bytes:
    """Set the "encrypted" flag of every entry, in the local headers and the central directory."""
    raw = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), bytes(raw)):
            raw[match.start() + flag_offset] |= 0x01
    return bytes(raw)


def upload(content: bytes, name: str = "tep.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def files_under(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def code_of(excinfo) -> str:
    return excinfo.value.error_list[0].code


# --- sniffing and file names (no database) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, PDF),
        (JPEG_BYTES, JPEG),
        (PNG_BYTES, PNG),
        (MP4_BYTES, MP4),
        (b"\x00\x00\x00\x1cftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 32, MP4),
        (b"\x00\x00\x00\x14ftypM4V \x00\x00\x00\x00M4V " + b"\x00" * 32, MP4),
        (EXE_BYTES, None),
        (ELF_BYTES, None),
        (b"", None),
        ("Đơn đề nghị xét tặng\n".encode(), None),
        (OLE_BYTES, None),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32, None),  # HEIC photo
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 32, None),  # QuickTime .mov
        (
            b"\x00\x00\x00\x18ftyp3gp5\x00\x00\x00\x00isom3gp5" + b"\x00" * 32,
            None,
        ),  # 3GP: major brand decides
        (b"\x00\x00\x00\x08ftyp", None),  # truncated box
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_sniff_reads_the_content_not_the_name(content, expected):
    assert sniff(io.BytesIO(content)) == expected


def test_sniff_recognises_a_real_docx_and_rewinds():
    stream = io.BytesIO(docx_bytes())
    assert sniff(stream) == DOCX
    assert stream.tell() == 0


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda d: rezip(d, drop=("word/document.xml",)), id="no-document-part"),
        pytest.param(lambda d: rezip(d, drop=("[Content_Types].xml",)), id="no-content-types"),
        pytest.param(lambda d: rezip(d, add={"word/vbaProject.bin": b"\x00" * 16}), id="macros"),
        pytest.param(mark_encrypted, id="encrypted"),
        pytest.param(
            lambda d: rezip(d, add={"word/media/bomb.bin": b"\x00" * (3 * 1024 * 1024)}), id="zip-bomb-ratio"
        ),
    ],
)
def test_zip_that_is_not_a_plain_safe_docx_is_refused(make):
    assert sniff(io.BytesIO(make(docx_bytes()))) is None


def test_docx_over_the_uncompressed_total_is_refused(monkeypatch):
    data = docx_bytes()
    assert sniff(io.BytesIO(data)) == DOCX
    monkeypatch.setattr(uploads, "DOCX_MAX_UNCOMPRESSED", 1000)
    assert sniff(io.BytesIO(data)) is None


def test_a_docx_with_damaged_compressed_data_is_refused():
    data = bytearray(docx_bytes())
    entry = data.index(b"[Content_Types].xml") + len(b"[Content_Types].xml")
    data[entry : entry + 40] = b"\xff" * 40  # inside its deflated content
    assert sniff(io.BytesIO(bytes(data))) is None


def test_a_plain_zip_is_not_a_docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert sniff(io.BytesIO(out.getvalue())) is None


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd.pdf", ".pdf", "passwd.pdf"),
        ("C:\\Windows\\x.pdf", ".pdf", "x.pdf"),
        ("..\\..//mixed/sep\\Bản khai.pdf", ".pdf", "Bản khai.pdf"),
        ("ảnh chân dung.JPEG", ".jpg", "ảnh chân dung.jpg"),
        ("virus.exe", ".pdf", "virus.pdf"),
        ("Giấy chứng nhận", ".pdf", "Giấy chứng nhận.pdf"),
        ("Quyết định v1.2", ".pdf", "Quyết định v1.2.pdf"),
        ("  Bản   khai\tthành\ntích  .docx", ".docx", "Bản khai thành tích.docx"),
        ("bad\x00na\x1fme\x7f.pdf", ".pdf", "badname.pdf"),
        ("invoice\u202efdp.exe", ".pdf", "invoicefdp.pdf"),  # right-to-left override removed
        ('a<b>c:d"e|f?g*h.pdf', ".pdf", "a b c d e f g h.pdf"),
        ("", ".pdf", "tep.pdf"),
        ("../..", ".pdf", "tep.pdf"),
        ("\x00\x01", ".png", "tep.png"),
        (".pdf", ".pdf", "pdf.pdf"),
        (None, ".mp4", "tep.mp4"),
        ("Báo cáo.PDF", None, "Báo cáo.pdf"),
    ],
)
def test_sanitize_filename(name, extension, expected):
    assert sanitize_filename(name, extension) == expected


def test_sanitize_filename_stores_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc.pdf")
    assert decomposed != "Nguyễn Thị Ngọc.pdf"
    assert sanitize_filename(decomposed, ".pdf") == "Nguyễn Thị Ngọc.pdf"


def test_sanitize_filename_limits_the_length_and_keeps_the_extension():
    result = sanitize_filename("Đơn " * 100 + ".pdf", ".pdf")
    assert len(result) <= 120
    assert result.endswith(".pdf")
    assert result.startswith("Đơn Đơn")
    assert not result[:-4].endswith(" ")


def test_size_limits_come_from_the_setting(settings):
    assert max_bytes(Kind.DECLARATION) == 20 * 1024 * 1024
    assert max_bytes(Kind.SKILLS_MEDIA) == 200 * 1024 * 1024
    settings.ATTACHMENT_MAX_BYTES = {"default": 1000, "identity_card": 50}
    assert max_bytes(Kind.DECLARATION) == 1000
    assert max_bytes(Kind.SKILLS_MEDIA) == 1000
    assert max_bytes(Kind.IDENTITY_CARD) == 50


def test_refusal_names_the_accepted_types():
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        inspect_upload(upload(OLE_BYTES, "don.doc"), kind=Kind.DECLARATION)
    assert code_of(excinfo) == "file_type_not_allowed"
    message = excinfo.value.messages[0]
    assert "PDF, JPEG, PNG, DOCX" in message
    assert "DOCX" in message and ".doc" in message


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        (lambda: mark_encrypted(docx_bytes()), "Password-protected"),
        (lambda: rezip(docx_bytes(), add={"word/media/x.bin": b"\x00" * (3 * 1024 * 1024)}), "implausible"),
        (lambda: rezip(docx_bytes(), add={"word/vbaProject.bin": b"\x00"}), "macros"),
        (lambda: EXE_BYTES, "not of an accepted type"),
    ],
)
def test_refusal_says_why_when_it_can(content, hint):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        inspect_upload(upload(content()), kind=Kind.OTHER)
    assert code_of(excinfo) == "file_type_not_allowed"
    assert hint in excinfo.value.messages[0]
    assert "PDF, JPEG, PNG, DOCX" in excinfo.value.messages[0]


def test_an_upload_of_unknown_size_is_measured():
    unknown = upload(PDF_BYTES)
    unknown.size = None
    assert inspect_upload(unknown, kind=Kind.OTHER).size == len(PDF_BYTES)
    empty = upload(b"")
    empty.size = None
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(empty, kind=Kind.OTHER)
    assert code_of(excinfo) == "file_empty"


# --- adding (database, files under a temporary MEDIA_ROOT) --------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def dossier(db):
    return f.dossier("01")


@pytest.fixture
def officer(db):
    return f.officer("01")


def assert_nothing_stored(media, dossier):
    assert not Attachment.objects.filter(dossier=dossier).exists()
    assert files_under(media) == []


def test_a_pdf_is_stored_under_a_random_name_with_its_facts(media, dossier, officer):
    attachment = attachment_add(
        dossier=dossier, kind=Kind.DECLARATION, uploaded_file=upload(PDF_BYTES, "Bản khai.pdf"), by=officer
    )
    attachment.refresh_from_db()
    assert re.fullmatch(rf"attachments/{dossier.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
    assert (media / attachment.file.name).read_bytes() == PDF_BYTES
    assert files_under(media) == [media / attachment.file.name]
    assert attachment.original_name == "Bản khai.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.uploaded_by == officer
    assert attachment.kind == Kind.DECLARATION


@pytest.mark.parametrize(
    ("kind", "content", "name", "content_type", "stored_name"),
    [
        (Kind.IDENTITY_CARD, JPEG_BYTES, "cccd mat truoc.jpeg", "image/jpeg", "cccd mat truoc.jpg"),
        (Kind.IDENTITY_CARD, PNG_BYTES, "cccd.png", "image/png", "cccd.png"),
        (Kind.SKILLS_MEDIA, MP4_BYTES, "thao tác.MP4", "video/mp4", "thao tác.mp4"),
        (
            Kind.TRAINEE_EVIDENCE,
            None,
            "danh sách học viên.docx",
            DOCX.content_type,
            "danh sách học viên.docx",
        ),
        (Kind.CERTIFIED_COPY, PDF_BYTES, "bản sao", "application/pdf", "bản sao.pdf"),
    ],
)
def test_each_kind_accepts_its_types(media, dossier, officer, kind, content, name, content_type, stored_name):
    content = content if content is not None else docx_bytes()
    attachment = attachment_add(dossier=dossier, kind=kind, uploaded_file=upload(content, name), by=officer)
    assert attachment.content_type == content_type
    assert attachment.original_name == stored_name
    assert attachment.file.name.endswith(stored_name.rsplit(".", 1)[1])


def test_a_large_upload_kept_on_disk_is_moved_into_storage(media, dossier, officer):
    temporary = TemporaryUploadedFile("Quyết định.pdf", "application/pdf", 0, None)
    content = PDF_BYTES + b"0" * (300 * 1024)
    temporary.write(content)
    temporary.size = len(content)
    temporary.seek(0)
    attachment = attachment_add(dossier=dossier, kind=Kind.OTHER, uploaded_file=temporary, by=officer)
    assert (media / attachment.file.name).read_bytes() == content
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
    temporary.close()  # what the end of a request does; the temporary file has been moved away


@pytest.mark.parametrize(
    ("kind", "content", "name", "code"),
    [
        (Kind.DECLARATION, EXE_BYTES, "ban-khai.pdf", "file_type_not_allowed"),
        (Kind.DECLARATION, ELF_BYTES, "ban-khai.pdf", "file_type_not_allowed"),
        (Kind.DECLARATION, b"", "rong.pdf", "file_empty"),
        (Kind.DECLARATION, b"Just text, not a PDF", "ghi-chu.pdf", "file_type_not_allowed"),
        (Kind.DECLARATION, OLE_BYTES, "don.doc", "file_type_not_allowed"),
        (Kind.IDENTITY_CARD, MP4_BYTES, "cccd.mp4", "file_type_not_allowed"),
        (Kind.IDENTITY_CARD, None, "cccd.docx", "file_type_not_allowed"),
        (Kind.DECLARATION, MP4_BYTES, "video.mp4", "file_type_not_allowed"),
        (Kind.SKILLS_MEDIA, None, "mo-ta.docx", "file_type_not_allowed"),
        ("passport", PDF_BYTES, "x.pdf", "kind_invalid"),
    ],
)
def test_bad_uploads_are_refused_and_leave_nothing(media, dossier, officer, kind, content, name, code):
    content = content if content is not None else docx_bytes()
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(dossier=dossier, kind=kind, uploaded_file=upload(content, name), by=officer)
    assert code_of(excinfo) == code
    assert_nothing_stored(media, dossier)


def test_a_file_over_the_limit_is_refused(media, settings, dossier, officer):
    settings.ATTACHMENT_MAX_BYTES = {"default": 50, "skills_media": 10_000}
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(dossier=dossier, kind=Kind.DECLARATION, uploaded_file=upload(PDF_BYTES), by=officer)
    assert code_of(excinfo) == "file_too_large"
    assert_nothing_stored(media, dossier)
    # the same file is within the limit of another kind
    attachment_add(dossier=dossier, kind=Kind.SKILLS_MEDIA, uploaded_file=upload(PDF_BYTES), by=officer)


def test_a_file_larger_than_it_claims_is_refused(media, settings, dossier, officer):
    settings.ATTACHMENT_MAX_BYTES = {"default": 50}
    lying = upload(PDF_BYTES)
    lying.size = 10
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(dossier=dossier, kind=Kind.DECLARATION, uploaded_file=lying, by=officer)
    assert code_of(excinfo) == "file_too_large"
    assert_nothing_stored(media, dossier)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\x.pdf", "C:\\Windows\\x.pdf", "/etc/x.pdf"]
)
def test_a_path_in_the_name_is_refused_with_a_message_and_nothing_stored(media, dossier, officer, name):
    uploaded = upload(PDF_BYTES, name)
    uploaded.name_as_sent = name  # what the page's parser keeps (core.middleware.UploadNamesMiddleware)
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(dossier=dossier, kind=Kind.DECLARATION, uploaded_file=uploaded, by=officer)
    assert code_of(excinfo) == "file_name_path"
    assert assert_nothing_stored(media, dossier) is None


def test_a_decomposed_name_is_stored_nfc(media, dossier, officer):
    decomposed = unicodedata.normalize("NFD", "Giấy chứng nhận nghề.pdf")
    attachment = attachment_add(
        dossier=dossier, kind=Kind.CERTIFIED_COPY, uploaded_file=upload(PDF_BYTES, decomposed), by=officer
    )
    attachment.refresh_from_db()
    assert attachment.original_name == "Giấy chứng nhận nghề.pdf"
    assert unicodedata.is_normalized("NFC", attachment.original_name)


def test_the_same_content_twice_is_refused_naming_the_first(media, dossier, officer):
    first = attachment_add(
        dossier=dossier, kind=Kind.DECLARATION, uploaded_file=upload(PDF_BYTES, "Bản khai.pdf"), by=officer
    )
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(
            dossier=dossier, kind=Kind.OTHER, uploaded_file=upload(PDF_BYTES, "khac-ten.pdf"), by=officer
        )
    assert code_of(excinfo) == "file_duplicate"
    assert "Bản khai.pdf" in excinfo.value.messages[0]
    assert list(Attachment.objects.filter(dossier=dossier)) == [first]
    assert files_under(media) == [media / first.file.name]
    # the same content in another dossier is fine
    other = f.dossier("01")
    attachment_add(dossier=other, kind=Kind.DECLARATION, uploaded_file=upload(PDF_BYTES), by=officer)


def test_a_duplicate_winning_the_race_is_reported_and_our_file_removed(media, dossier, officer, monkeypatch):
    """Another upload of the same content commits between our check and our insert."""
    real_save = default_storage.save
    rival = {}

    def save_then_rival_commits(name, content, **kwargs):
        stored = real_save(name, content, **kwargs)
        rival["row"] = Attachment.objects.create(
            dossier=dossier,
            kind=Kind.OTHER,
            file=f"attachments/{dossier.pk}/rival.pdf",
            original_name="Bản của người khác.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
            uploaded_by=officer,
        )
        return stored

    monkeypatch.setattr(service.default_storage, "save", save_then_rival_commits)
    with pytest.raises(ValidationError) as excinfo:
        attachment_add(dossier=dossier, kind=Kind.DECLARATION, uploaded_file=upload(PDF_BYTES), by=officer)
    assert code_of(excinfo) == "file_duplicate"
    assert "Bản của người khác.pdf" in excinfo.value.messages[0]
    assert files_under(media) == []


def test_a_failure_after_the_file_is_written_removes_it(media, dossier, officer, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(RuntimeError):
        attachment_add(dossier=dossier, kind=Kind.DECLARATION, uploaded_file=upload(PDF_BYTES), by=officer)
    monkeypatch.undo()
    assert_nothing_stored(media, dossier)


def test_a_failure_while_writing_removes_the_partial_file(media, dossier, officer, monkeypatch):
    class BrokenUpload(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            yield PDF_BYTES[:10]
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        attachment_add(
            dossier=dossier,
            kind=Kind.DECLARATION,
            uploaded_file=BrokenUpload("a.pdf", PDF_BYTES, "application/pdf"),
            by=officer,
        )
    assert_nothing_stored(media, dossier)


def test_a_rolled_back_caller_leaves_an_orphan_that_the_sweep_removes(media, dossier, officer):
    kept = attachment_add(dossier=dossier, kind=Kind.DECLARATION, uploaded_file=upload(PDF_BYTES), by=officer)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        attachment_add(dossier=dossier, kind=Kind.OTHER, uploaded_file=upload(PNG_BYTES), by=officer)
        1 / 0  # noqa: B018
    assert list(Attachment.objects.filter(dossier=dossier)) == [kept]
    assert len(files_under(media)) == 2
    assert attachment_orphan_files_delete() == []  # too young: its transaction might still be open
    deleted = attachment_orphan_files_delete(older_than=timedelta(0))
    assert len(deleted) == 1
    assert files_under(media) == [media / kept.file.name]


def test_an_officer_of_another_province_cannot_attach(media, dossier):
    stranger = f.officer("31")
    with pytest.raises(PermissionDenied) as excinfo:
        attachment_add(dossier=dossier, kind=Kind.DECLARATION, uploaded_file=upload(PDF_BYTES), by=stranger)
    assert str(excinfo.value)
    assert_nothing_stored(media, dossier)


def test_permission_is_checked_before_the_content(media, dossier):
    """A refused user learns nothing about the dossier's files (not even that one is a duplicate)."""
    stranger = f.user("ministry_leader", f.ministry())
    with pytest.raises(PermissionDenied):
        attachment_add(dossier=dossier, kind=Kind.DECLARATION, uploaded_file=upload(EXE_BYTES), by=stranger)


# --- opening and downloading --------------------------------------------------------------------------------


@pytest.fixture
def stored_pdf(media, dossier, officer):
    return attachment_add(
        dossier=dossier,
        kind=Kind.DECLARATION,
        uploaded_file=upload(PDF_BYTES, "Bản khai thành tích.pdf"),
        by=officer,
    )


@pytest.fixture
def stored_identity_card(media, dossier, officer):
    return attachment_add(
        dossier=dossier, kind=Kind.IDENTITY_CARD, uploaded_file=upload(JPEG_BYTES, "cccd.jpg"), by=officer
    )


def test_open_returns_the_handle_type_and_name(stored_pdf, officer):
    handle, content_type, name = attachment_open(attachment=stored_pdf, by=officer)
    with handle:
        assert handle.read() == PDF_BYTES
    assert (content_type, name) == ("application/pdf", "Bản khai thành tích.pdf")


def read_response(response) -> bytes:
    """The body of a streamed response (the test client closes the response once it is consumed)."""
    return b"".join(response.streaming_content)


def test_the_receiving_officer_downloads_the_file(client, stored_pdf, officer):
    client.force_login(officer)
    response = client.get(f"/ho-so/tep/{stored_pdf.pk}/")
    assert response.status_code == 200
    assert read_response(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''B%E1%BA%A3n%20khai%20th%C3%A0nh%20t%C3%ADch.pdf" in disposition
    assert "no-store" in response["Cache-Control"]


def test_an_officer_of_another_province_gets_404(client, stored_pdf):
    client.force_login(f.officer("31"))
    response = client.get(f"/ho-so/tep/{stored_pdf.pk}/")
    assert response.status_code == 404
    missing = client.get(f"/ho-so/tep/{stored_pdf.pk + 1000}/")
    assert missing.status_code == 404  # the same answer as for an id that does not exist


def test_anonymous_is_sent_to_the_login_page(client, stored_pdf):
    response = client.get(f"/ho-so/tep/{stored_pdf.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_only_get_is_allowed(client, stored_pdf, officer):
    client.force_login(officer)
    assert client.post(f"/ho-so/tep/{stored_pdf.pk}/").status_code == 405


def test_a_missing_stored_file_is_a_404(client, stored_pdf, officer, media):
    (media / stored_pdf.file.name).unlink()
    client.force_login(officer)
    assert client.get(f"/ho-so/tep/{stored_pdf.pk}/").status_code == 404


def test_identity_card_download_is_logged(client, stored_identity_card, officer, dossier):
    client.force_login(officer)
    response = client.get(f"/ho-so/tep/{stored_identity_card.pk}/")
    assert response.status_code == 200
    assert read_response(response) == JPEG_BYTES
    assert response["Content-Type"] == "image/jpeg"
    log = SensitiveDataAccess.objects.get()
    assert (log.user, log.artisan, log.field, log.purpose) == (
        officer,
        dossier.artisan,
        "identity_card",
        "download",
    )


def test_identity_card_needs_the_sensitive_data_permission(client, stored_identity_card, stored_certificate):
    leader = f.user("ministry_leader", f.ministry())  # sees the dossier, not personal identification data
    client.force_login(leader)
    response = client.get(f"/ho-so/tep/{stored_certificate.pk}/")
    assert response.status_code == 200
    read_response(response)
    assert client.get(f"/ho-so/tep/{stored_identity_card.pk}/").status_code == 404
    assert not SensitiveDataAccess.objects.exists()
    with pytest.raises(PermissionDenied):
        attachment_open(attachment=stored_identity_card, by=leader)


@pytest.fixture
def stored_certificate(media, dossier, officer):
    return attachment_add(
        dossier=dossier,
        kind=Kind.CERTIFIED_COPY,
        uploaded_file=upload(f.pdf_bytes("giay-chung-nhan"), "Giấy chứng nhận giải nhất.pdf"),
        by=officer,
    )


@pytest.fixture
def stored_photo(media, dossier, officer):
    return attachment_add(
        dossier=dossier, kind=Kind.SKILLS_MEDIA, uploaded_file=upload(JPEG_BYTES, "tac-pham.jpg"), by=officer
    )


def test_the_declaration_carries_the_cccd_so_only_officers_and_clerks_open_it_and_each_read_is_logged(
    client, stored_pdf, dossier, officer
):
    from tests.councils.conftest import make_council

    leader = f.user("ministry_leader", f.ministry())
    council, voters, secretary = make_council(3)
    session = council.sessions.create(held_on=date(2025, 11, 20), place="Sở Công Thương")
    session.agenda.add(dossier)  # the council sees the dossier on its agenda
    for user in (leader, voters[0].user, secretary.user):
        client.force_login(user)
        assert client.get(f"/ho-so/tep/{stored_pdf.pk}/").status_code == 404, user
    assert not SensitiveDataAccess.objects.exists()
    clerk = f.user("ministry_clerk", f.ministry())
    for user in (officer, clerk):
        client.force_login(user)
        response = client.get(f"/ho-so/tep/{stored_pdf.pk}/")
        assert response.status_code == 200
        read_response(response)
    logged = SensitiveDataAccess.objects.filter(field="declaration", purpose="download")
    assert sorted(logged.values_list("user__username", flat=True)) == sorted(
        [officer.username, clerk.username]
    )


def test_council_members_open_the_photos_and_certificates_of_a_dossier_on_their_agenda(
    client, stored_photo, stored_certificate, dossier
):
    from tests.councils.conftest import make_council

    council, voters, _secretary = make_council(3)
    client.force_login(voters[0].user)
    assert client.get(f"/ho-so/tep/{stored_photo.pk}/").status_code == 404  # not on their agenda yet
    session = council.sessions.create(held_on=date(2025, 11, 20), place="Sở Công Thương")
    session.agenda.add(dossier)
    for attachment in (stored_photo, stored_certificate):
        response = client.get(f"/ho-so/tep/{attachment.pk}/")
        assert response.status_code == 200
        read_response(response)
    assert not SensitiveDataAccess.objects.exists()  # not identity data: not a sensitive read


def test_ministry_clerk_may_open_the_identity_card(stored_identity_card):
    clerk = f.user("ministry_clerk", f.ministry())
    handle, content_type, _name = attachment_open(attachment=stored_identity_card, by=clerk)
    handle.close()
    assert content_type == "image/jpeg"
    assert SensitiveDataAccess.objects.filter(user=clerk, field="identity_card").count() == 1


def test_sweep_command_deletes_orphans_only(media, dossier, officer):
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    kept = attachment_add(dossier=dossier, kind="declaration", uploaded_file=upload(PDF_BYTES), by=officer)
    orphan = default_storage.save(f"attachments/{dossier.pk}/orphan.pdf", ContentFile(b"%PDF-1.4 x"))
    out = io.StringIO()
    call_command("attachments_sweep", "--older-than-minutes", "0", stdout=out)
    assert "1 orphan" in out.getvalue()
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name)


def test_the_dossier_page_offers_no_link_the_reader_may_not_follow(client, stored_pdf, stored_certificate):
    leader = f.user("ministry_leader", f.ministry())
    client.force_login(leader)
    page = client.get(f"/ho-so/{stored_pdf.dossier_id}/").content.decode()
    assert f"/ho-so/tep/{stored_certificate.pk}/" in page
    assert f"/ho-so/tep/{stored_pdf.pk}/" not in page and stored_pdf.original_name in page


def test_the_agenda_page_lists_what_the_council_judges_from_and_not_the_declaration(
    client, stored_pdf, stored_photo, stored_certificate, dossier
):
    from accounts.auth import session_pass_second_factor
    from tests.councils.conftest import make_council

    council, voters, _secretary = make_council(3)
    session = council.sessions.create(held_on=date(2025, 11, 20), place="Sở Công Thương")
    session.agenda.add(dossier)
    member = voters[0].user
    client.force_login(member)
    stored = client.session
    session_pass_second_factor(stored, member, device_name="app")
    stored.save()
    page = client.get(f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/").content.decode()
    assert f"/ho-so/tep/{stored_photo.pk}/" in page and f"/ho-so/tep/{stored_certificate.pk}/" in page
    assert f"/ho-so/tep/{stored_pdf.pk}/" not in page
