"""The officer's import of a list of nominees from Excel: the template, the upload and its preview, the
confirmation. Thin views over web.nominee_import (reading and checking rows) and
dossiers.services.nominee_import (keeping the preview). Nothing is received until the officer confirms,
and then every row or none."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.security_log import security_event
from dossiers.consent import CONSENT_TEXT, CONSENT_VERSION
from dossiers.models import NomineeImport
from dossiers.permissions import can_create_dossier
from dossiers.services.nominee_import import (
    nominee_import_create,
    nominee_import_lock,
    nominee_import_mark_confirmed,
    nominee_import_of,
    nominee_import_recheck,
    round_open,
)
from dossiers.uploads import check_filename, sanitize_filename

from .dossier_forms import NomineeImportConfirmForm, NomineeImportUploadForm
from .nominee_import import COLUMNS, check_rows, headers, read_upload, template_response


def _officer_agency(request: HttpRequest):
    """The officer's department, or 403 with the reason: only provincial officers import."""
    agency = request.user.agency
    decision = can_create_dossier(request.user, agency) if agency is not None else None
    if not decision:
        raise PermissionDenied(decision.reason if decision is not None else _("You belong to no department."))
    return agency


class _RowRefused(Exception):
    def __init__(self, checked):
        super().__init__("a row was refused")
        self.checked = checked


def _request_id(request) -> str:
    return request.headers.get("X-Request-ID", "")[:64]


def nominee_import_template(request: HttpRequest) -> HttpResponse:
    """The template to fill in (GET writes nothing)."""
    agency = _officer_agency(request)
    return template_response(agency=agency)


def nominee_import_start(request: HttpRequest) -> HttpResponse:
    """The upload page; a posted file is read and every row checked, then kept for its preview."""
    agency = _officer_agency(request)
    round_ = round_open()
    form = NomineeImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and round_ is None:
        form.add_error(None, _("No round is open: dossiers cannot be received yet."))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_filename(upload)
            rows = read_upload(upload)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            checked = check_rows(
                rows, by=request.user, agency=agency, round_=round_, request_id=_request_id(request)
            )
            preview = nominee_import_create(
                by=request.user,
                agency=agency,
                round=round_,
                rows=checked.rows,
                file_name=sanitize_filename(upload.name, ".xlsx"),
            )
            security_event(
                "nominee_import_uploaded",
                request=request,
                rows=len(checked.rows),
                invalid=checked.invalid,
                import_id=preview.pk,
            )
            return redirect("nominee_import_preview", import_id=preview.pk)
    context = {
        "form": form,
        "round": round_,
        "columns": [(column.header, column) for column in COLUMNS],
        "consent_text": CONSENT_TEXT,
        "consent_version": CONSENT_VERSION,
    }
    return render(request, "dossiers/import_upload.html", context)


def _preview_or_404(request, import_id: int) -> NomineeImport:
    try:
        return nominee_import_of(pk=import_id, by=request.user)
    except NomineeImport.DoesNotExist:
        raise Http404 from None


def nominee_import_preview(request: HttpRequest, import_id: int) -> HttpResponse:
    """Each row with its values and its errors beside the cells, the counts, and the confirmation."""
    _officer_agency(request)
    preview = _preview_or_404(request, import_id)
    return render(
        request, "dossiers/import_preview.html", _preview_context(preview, NomineeImportConfirmForm())
    )


def _preview_context(preview: NomineeImport, form) -> dict:
    fields = [column.field for column in COLUMNS]
    rows = [
        {
            "line": row["line"],
            "cells": [
                {"value": row["values"].get(field, ""), "errors": row["errors"].get(field, [])}
                for field in fields
            ],
            "row_errors": row["row_errors"],
            "warnings": row.get("warnings", []),
            "valid": not row["errors"] and not row["row_errors"],
        }
        for row in preview.rows
    ]
    return {"preview": preview, "headers": headers(), "rows": rows, "form": form}


@require_POST
def nominee_import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    """Receive every row of the preview in one transaction, through the receipt service, or none: refused
    while a row is invalid, refused again (nothing more is created) once confirmed."""
    agency = _officer_agency(request)
    form = NomineeImportConfirmForm(request.POST)
    if not form.is_valid():
        preview = _preview_or_404(request, import_id)
        return render(request, "dossiers/import_preview.html", _preview_context(preview, form))
    rechecked = None
    with transaction.atomic():
        try:
            preview = nominee_import_lock(pk=import_id, by=request.user)
        except NomineeImport.DoesNotExist:
            raise Http404 from None
        if preview.confirmed_at is not None:
            messages.info(request, _("This list was already confirmed; its dossiers were received once."))
            return redirect("dossier_list")
        if preview.invalid_count:
            messages.error(
                request, _("Correct the rows with errors in the file and upload it again: nothing was saved.")
            )
            return redirect("nominee_import_preview", import_id=preview.pk)
        open_round = round_open()
        if open_round is None or open_round.pk != preview.round_id:
            messages.error(request, _("The open round has changed since the upload: upload the list again."))
            return redirect("nominee_import_preview", import_id=preview.pk)
        rows = [{"line": row["line"], "values": row["values"]} for row in preview.rows]
        try:
            with transaction.atomic():  # every dossier of the list, or none
                checked = check_rows(
                    rows,
                    by=request.user,
                    agency=agency,
                    round_=preview.round,
                    request_id=_request_id(request),
                    keep=True,
                )
                if checked.invalid:
                    raise _RowRefused(checked)
        except _RowRefused as refused:
            rechecked = refused.checked.rows
            nominee_import_recheck(nominee_import=preview, rows=rechecked)
        else:
            nominee_import_mark_confirmed(
                nominee_import=preview, dossier_ids=[d.pk for d in checked.dossiers]
            )
    if rechecked is not None:
        messages.error(
            request,
            _(
                "A row is no longer valid (see below); nothing was saved. Correct the file and upload it "
                "again."
            ),
        )
        return redirect("nominee_import_preview", import_id=import_id)
    security_event(
        "nominee_import_confirmed", request=request, import_id=import_id, dossiers=len(checked.dossiers)
    )
    messages.success(request, _("Dossiers received from the list: %(n)d.") % {"n": len(checked.dossiers)})
    return redirect("dossier_list")
