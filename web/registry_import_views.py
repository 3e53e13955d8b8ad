"""The Ministry's import of the artisans of earlier rounds into the registry, from Excel: the template,
the upload and its preview, the confirmation. Thin views over web.registry_import (reading and checking
rows with `conferral_import`) and dossiers.services.registry_import (keeping the preview). Nothing is
entered until the clerk confirms, and then every row or none."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.security_log import security_event
from dossiers.models import RegistryImport
from dossiers.services.conferrals import can_import_conferral
from dossiers.services.registry_import import (
    registry_import_create,
    registry_import_lock,
    registry_import_mark_confirmed,
    registry_import_of,
    registry_import_recheck,
)
from dossiers.uploads import check_filename, sanitize_filename

from .dossier_forms import NomineeImportUploadForm, RegistryImportConfirmForm
from .registry_import import COLUMNS, check_rows, column_note, headers, read_upload, template_response


def _require_importer(request: HttpRequest) -> None:
    """403 with the reason for anyone but the Ministry's clerks and the administrators."""
    decision = can_import_conferral(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)


class _RowRefused(Exception):
    def __init__(self, checked):
        super().__init__("a row was refused")
        self.checked = checked


@require_http_methods(["GET", "HEAD"])
def registry_import_template(request: HttpRequest) -> HttpResponse:
    """The template to fill in (GET writes nothing)."""
    _require_importer(request)
    return template_response()


def registry_import_start(request: HttpRequest) -> HttpResponse:
    """The upload page; a posted file is read and every row checked, then kept for its preview."""
    _require_importer(request)
    form = NomineeImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_filename(upload)
            rows = read_upload(upload)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            checked = check_rows(rows, by=request.user)
            preview = registry_import_create(
                by=request.user, rows=checked.rows, file_name=sanitize_filename(upload.name, ".xlsx")
            )
            security_event(
                "registry_import_uploaded",
                request=request,
                rows=len(checked.rows),
                invalid=checked.invalid,
                import_id=preview.pk,
            )
            return redirect("registry_import_preview", import_id=preview.pk)
    columns = [(column.header, column.required, column_note(column)) for column in COLUMNS]
    return render(request, "public/registry_import_upload.html", {"form": form, "columns": columns})


def _preview_or_404(request, import_id: int) -> RegistryImport:
    try:
        return registry_import_of(pk=import_id, by=request.user)
    except RegistryImport.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "HEAD"])
def registry_import_preview(request: HttpRequest, import_id: int) -> HttpResponse:
    """Each row with its values and its errors beside the cells, the counts, and the confirmation."""
    _require_importer(request)
    preview = _preview_or_404(request, import_id)
    return render(
        request, "public/registry_import_preview.html", _preview_context(preview, RegistryImportConfirmForm())
    )


def _preview_context(preview: RegistryImport, form) -> dict:
    fields = [column.field for column in COLUMNS]
    rows = [
        {
            "line": row["line"],
            "cells": [
                {"value": row["values"].get(field, ""), "errors": row["errors"].get(field, [])}
                for field in fields
            ],
            "row_errors": row["row_errors"],
            "valid": not row["errors"] and not row["row_errors"],
        }
        for row in preview.rows
    ]
    return {"preview": preview, "headers": headers(), "rows": rows, "form": form}


@require_POST
def registry_import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    """Enter every row of the preview in one transaction, through `conferral_import`, or none: refused
    while a row is invalid, refused again (nothing more is entered) once confirmed."""
    _require_importer(request)
    form = RegistryImportConfirmForm(request.POST)
    if not form.is_valid():
        preview = _preview_or_404(request, import_id)
        return render(request, "public/registry_import_preview.html", _preview_context(preview, form))
    rechecked = None
    with transaction.atomic():
        try:
            preview = registry_import_lock(pk=import_id, by=request.user)
        except RegistryImport.DoesNotExist:
            raise Http404 from None
        if preview.confirmed_at is not None:
            messages.info(request, _("This list was already confirmed; its titles were entered once."))
            return redirect("registry_list")
        if preview.invalid_count:
            messages.error(
                request, _("Correct the rows with errors in the file and upload it again: nothing was saved.")
            )
            return redirect("registry_import_preview", import_id=preview.pk)
        rows = [{"line": row["line"], "values": row["values"]} for row in preview.rows]
        try:
            with transaction.atomic():  # every title of the list, or none
                checked = check_rows(rows, by=request.user, keep=True)
                if checked.invalid:
                    raise _RowRefused(checked)
        except _RowRefused as refused:
            rechecked = refused.checked.rows
            registry_import_recheck(registry_import=preview, rows=rechecked)
        else:
            registry_import_mark_confirmed(
                registry_import=preview, conferral_ids=[c.pk for c in checked.conferrals]
            )
    if rechecked is not None:
        messages.error(
            request,
            _(
                "A row is no longer valid (see below); nothing was saved. Correct the file and upload it "
                "again."
            ),
        )
        return redirect("registry_import_preview", import_id=import_id)
    security_event(
        "registry_import_confirmed", request=request, import_id=import_id, conferrals=len(checked.conferrals)
    )
    messages.success(
        request, _("Titles entered in the registry from the list: %(n)d.") % {"n": len(checked.conferrals)}
    )
    return redirect("registry_list")
