"""Documents: the list a user may see, downloads (the only way a generated file leaves the server),
and the two actions on a document: retry a failed build, rebuild a declaration as a correction."""

import logging
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from councils.models import Session
from documents import naming, pdf, storage
from documents.data import ListData, from_json
from documents.kinds import DECLARATION_KIND, Kind
from documents.models import GeneratedDocument
from dossiers.sensitive import log_sensitive_read
from workflows.permissions import can_manage_document
from workflows.selectors import documents_covering, documents_listed_for, documents_visible_to
from workflows.services import declaration_correct, document_retry_by

from .errors import refusal_to_messages
from .xlsx import NUMBER, Column, wants_xlsx, xlsx_response

logger = logging.getLogger("nghenhan.documents")


def page_size() -> int:
    """Rows a page of the lists (settings.LIST_PAGE_SIZE)."""
    return settings.LIST_PAGE_SIZE


CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


def pdf_explanation(document: GeneratedDocument) -> str:
    """Why a ready document has no PDF, in the user's language."""
    return {
        pdf.NOT_INSTALLED: _(
            "No PDF: LibreOffice is not installed on the server. The .docx is the document."
        ),
        pdf.TIMEOUT: _("No PDF: the conversion took too long. The .docx is the document."),
        pdf.FAILED: _("No PDF: the conversion failed. The .docx is the document."),
    }.get(document.pdf_note, "")


def _visible_or_404(request: HttpRequest, uid) -> GeneratedDocument:
    return get_object_or_404(documents_visible_to(request.user), uid=uid)


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("loai", "")
    queryset = documents_listed_for(user=request.user, kind=kind)
    page = Paginator(queryset, page_size()).get_page(request.GET.get("trang"))
    return render(
        request,
        "documents/list.html",
        {"page": page, "kinds": GeneratedDocument._meta.get_field("kind").choices, "kind": kind},
    )


@require_GET
@never_cache
def document_download(request: HttpRequest, uid) -> FileResponse:
    """The stored file as a download; 404 (not 403) out of scope, so a guessed id reveals nothing.
    A declaration holds identification data: each download is logged (without the values)."""
    document = _visible_or_404(request, uid)
    if wants_xlsx(request):
        return _proposed_list_xlsx(request, document)
    want_pdf = request.GET.get("dang") == "pdf"
    name = document.pdf_file_name if want_pdf else document.file_name
    if document.status != GeneratedDocument.Status.DONE or not name:
        raise Http404
    try:
        handle = storage.path_of(name).open("rb")
    except (FileNotFoundError, ValueError):
        logger.error("document %s: stored file %s is missing", document.pk, name)
        raise Http404 from None
    if document.sensitive and document.dossier_id:
        for field in ("cccd", "ethnicity"):
            log_sensitive_read(
                user=request.user,
                artisan=document.dossier.artisan,
                field=field,
                purpose=f"document:{document.kind}",
            )
    suffix = Path(name).suffix
    response = FileResponse(handle, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = attachment_disposition(*_download_names(document, suffix))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


PROPOSED_COLUMNS = (
    Column(gettext_lazy("No."), 6, NUMBER),
    Column(gettext_lazy("Title sought"), 22),
    Column(gettext_lazy("Full name"), 28),
    Column(gettext_lazy("Gender"), 10),
    Column(gettext_lazy("Craft"), 24),
    Column(gettext_lazy("Province"), 22),
    Column(gettext_lazy("Agree"), 10, NUMBER),
    Column(gettext_lazy("Base"), 12, NUMBER),
    Column(gettext_lazy("Posthumous"), 12),
)


def _proposed_list_xlsx(request: HttpRequest, document: GeneratedDocument) -> HttpResponse:
    """Form 04 (the list of persons proposed) as a sheet, from the data the document was built from, so
    the sheet and the .docx never differ: grouped by title and numbered within each as the form is. Only
    a Form 04 that is ready has one (404 otherwise). The year of birth the form prints is left out: no
    download carries identification data."""
    if document.kind != Kind.FORM_04 or document.status != GeneratedDocument.Status.DONE:
        raise Http404
    data = from_json(ListData, document.source_data)
    groups: dict[str, list] = {}
    for row in data.rows:
        groups.setdefault(row.person.title, []).append(row)
    posthumous = _("posthumous")
    rows = (
        (
            number,
            row.person.title,
            row.person.full_name,
            row.person.gender,
            row.person.craft,
            row.person.province,
            row.agree,
            row.base,
            posthumous if row.person.posthumous else "",
        )
        for group in groups.values()
        for number, row in enumerate(group, 1)
    )
    return xlsx_response(
        request,
        stem=f"danh-sach-de-nghi-{document.uid.hex[:8]}",
        sheet_name=_("Form 04: list of persons proposed")[:31],
        columns=PROPOSED_COLUMNS,
        rows=rows,
        list_name="form_04",
        filters={"document": document.uid},
    )


def _download_names(document: GeneratedDocument, suffix: str) -> tuple[str, str]:
    """What the document is, as its file name says it (documents.naming.download_name)."""
    session = ""
    if document.session_ref:
        held_on = Session.objects.filter(pk=document.session_ref).values_list("held_on", flat=True).first()
        session = f"{held_on:%d.%m.%Y}" if held_on else ""
    return naming.download_name(
        kind=document.kind,
        number_text=document.number_text,
        issued_on=document.issued_on,
        suffix=suffix,
        dossier_code=document.dossier.code if document.dossier_id else "",
        session=session,
    )


def attachment_disposition(name: str, ascii_name: str) -> str:
    """RFC 6266: the Vietnamese name as `filename*` (UTF-8, percent-encoded, RFC 5987) and an ASCII
    `filename` for clients that do not read it."""
    fallback = ascii_name.replace("\\", "").replace('"', "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _back(request: HttpRequest, document: GeneratedDocument):
    if document.dossier_id:
        return redirect("dossier_detail", pk=document.dossier_id)
    return redirect("document_list")


@require_POST
def document_retry_view(request: HttpRequest, uid) -> HttpResponse:
    document = _visible_or_404(request, uid)
    try:
        document_retry_by(document=document, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("The document is queued for generation again."))
    return _back(request, document)


@require_POST
def document_correct_view(request: HttpRequest, uid) -> HttpResponse:
    document = _visible_or_404(request, uid)
    if not request.POST.get("confirm"):
        messages.error(request, _("Confirm that a corrected document replaces this one."))
        return _back(request, document)
    try:
        declaration_correct(document=document, by=request.user, reason=request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("A corrected declaration is being generated; the earlier one is kept."))
    return _back(request, document)


def documents_of_dossier(user, dossier) -> list[dict]:
    """For the dossier page: the documents covering this dossier that the user may see, newest first,
    with what the user may do with each."""
    rows = []
    visible = documents_covering(user=user, dossier=dossier)
    for document in visible:
        may_manage = bool(can_manage_document(user, document))
        rows.append(
            {
                "document": document,
                "pdf_note": pdf_explanation(document),
                "may_manage": may_manage,
                "may_correct": may_manage
                and document.kind in DECLARATION_KIND.values()
                and document.is_current
                and document.status in (GeneratedDocument.Status.DONE, GeneratedDocument.Status.FAILED),
            }
        )
    return rows
