"""A PDF that carries active content (JavaScript, an action run on opening, actions on events, launch or
submit actions, embedded files, an XFA form), an encrypted PDF and a PDF too damaged to inspect are all
refused with a message; an ordinary PDF, including one that opens at a chosen page, is accepted."""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Attachment
from dossiers.services.attachments import attachment_add
from tests import factories as f

pytestmark = pytest.mark.django_db


def build(change=None, **save) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def js_on_open(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )
    )


def launch_link(pdf):
    action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    annot = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=action)
    )
    pdf.pages[0].Annots = pikepdf.Array([annot])


def named_javascript(pdf):
    script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x")))
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script]))
    )


def embedded_file(pdf):
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def xfa_form(pdf):
    pdf.Root.AcroForm = pdf.make_indirect(
        pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp/>"))
    )


def page_event_action(pdf):
    pdf.pages[0].AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x"))
    )


def submit_form(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("http://x"))


def opens_at_a_page(pdf):
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])


def link_to_a_website(pdf):
    action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://moit.gov.vn"))
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 9, 9], A=action
    )
    pdf.pages[0].Annots = pikepdf.Array([pdf.make_indirect(annot)])


def attach(content: bytes, name: str = "ban-khai.pdf") -> Attachment:
    dossier = f.dossier("01")
    return attachment_add(
        dossier=dossier,
        kind=Attachment.Kind.DECLARATION,
        uploaded_file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        by=f.officer("01"),
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    "change",
    [js_on_open, launch_link, named_javascript, embedded_file, xfa_form, page_event_action, submit_form],
)
def test_active_content_is_refused_with_a_message(change):
    with pytest.raises(ValidationError) as excinfo:
        attach(build(change))
    assert excinfo.value.error_list[0].code == "file_active_content"
    assert "không được tiếp nhận" in str(excinfo.value.messages[0])
    assert not Attachment.objects.exists()


def test_active_content_hidden_in_compressed_object_streams_is_found():
    content = build(js_on_open, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    assert b"/JavaScript" not in content  # not visible to a byte scan
    with pytest.raises(ValidationError) as excinfo:
        attach(content)
    assert excinfo.value.error_list[0].code == "file_active_content"


def test_an_encrypted_pdf_is_refused():
    content = build(encryption=pikepdf.Encryption(owner="chu", user="", R=6))
    with pytest.raises(ValidationError) as excinfo:
        attach(content)
    assert excinfo.value.error_list[0].code == "file_active_content"


def test_a_pdf_too_damaged_to_inspect_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        attach(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert excinfo.value.error_list[0].code == "file_damaged"


@pytest.mark.parametrize("change", [None, opens_at_a_page, link_to_a_website])
def test_ordinary_pdfs_are_accepted(change):
    assert attach(build(change)).content_type == "application/pdf"


def test_a_folder_path_sent_by_a_client_is_refused_on_the_page(client):
    """Django's parser keeps only a file name's last part; the page still refuses the name as sent."""
    officer = f.officer("01")
    client.force_login(officer)
    dossier = f.dossier("01")
    boundary = "----ranh-gioi"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndeclaration\r\n'
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="../../etc/passwd.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + f.pdf_bytes("x")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.generic(
        "POST",
        f"/ho-so/{dossier.pk}/tep/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    page = client.get(response.url)
    assert "đường dẫn thư mục" in page.content.decode()
    assert not Attachment.objects.exists()
