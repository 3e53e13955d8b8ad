"""A list of nominees imported from Excel: keeping the previewed rows until the officer confirms them.

The web layer reads the file and checks every row with the receipt form and the receipt service
(`dossier_receive`) in a transaction it rolls back; what is kept here is the outcome, owned by the officer
who uploaded it, encrypted (it holds CCCD numbers), for ``NOMINEE_IMPORT_TTL_SECONDS``. Confirming locks
the row, so that two confirmations of the same preview create the dossiers once: the second finds it
confirmed. A preview is found only by its owner, in their department, before it expires: for anyone
else it does not exist (the page answers 404).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.permissions import require

from ..models import NomineeImport, Round
from ..permissions import can_create_dossier


def round_open() -> Round | None:
    """The round dossiers are received into now: the newest one (rounds are numbered in order)."""
    return Round.objects.select_related("rulebook").order_by("-number").first()


def nominee_imports_expired_delete() -> int:
    """Delete the previews past their expiry, with the personal data they hold."""
    deleted, _ = NomineeImport.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@transaction.atomic
def nominee_import_create(
    *, by, agency, round: Round, rows: list[dict], file_name: str = ""
) -> NomineeImport:
    """Keep a checked list for its preview and confirmation. `rows`: one dict a row of the file, with
    its `line`, `values` (column → text as read), `errors` (column → messages) and `row_errors`."""
    require(can_create_dossier(by, agency))
    nominee_imports_expired_delete()
    invalid = sum(1 for row in rows if row.get("errors") or row.get("row_errors"))
    return NomineeImport.objects.create(
        created_by=by,
        agency=agency,
        round=round,
        file_name=file_name[:255],
        rows=rows,
        valid_count=len(rows) - invalid,
        invalid_count=invalid,
        expires_at=timezone.now() + timedelta(seconds=settings.NOMINEE_IMPORT_TTL_SECONDS),
    )


def _owned(by):
    return NomineeImport.objects.filter(
        created_by=by, agency_id=getattr(by, "agency_id", None), expires_at__gt=timezone.now()
    ).select_related("round", "agency")


def nominee_import_of(*, pk: int, by) -> NomineeImport:
    """The user's own preview, not expired; NomineeImport.DoesNotExist for anything else."""
    return _owned(by).get(pk=pk)


def nominee_import_lock(*, pk: int, by) -> NomineeImport:
    """The user's own preview, locked for the rest of the caller's transaction (select_for_update):
    a parallel confirmation waits, then finds it confirmed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("nominee_import_lock must run inside a transaction")
    return _owned(by).select_for_update(of=("self",)).get(pk=pk)


def nominee_import_recheck(*, nominee_import: NomineeImport, rows: list[dict]) -> NomineeImport:
    """Replace the preview's rows by a newer check of them (a confirmation refused on a row that had
    become invalid since the upload shows why)."""
    invalid = sum(1 for row in rows if row.get("errors") or row.get("row_errors"))
    nominee_import.rows = rows
    nominee_import.valid_count = len(rows) - invalid
    nominee_import.invalid_count = invalid
    nominee_import.save(update_fields=["rows", "valid_count", "invalid_count"])
    return nominee_import


def nominee_import_mark_confirmed(*, nominee_import: NomineeImport, dossier_ids: list[int]) -> NomineeImport:
    """Record the confirmation (in the caller's transaction, with the row locked) and drop the rows: the
    dossiers now hold the data, and nothing is kept twice."""
    nominee_import.confirmed_at = timezone.now()
    nominee_import.dossier_ids = list(dossier_ids)
    nominee_import.rows = []
    nominee_import.save(update_fields=["confirmed_at", "dossier_ids", "rows"])
    return nominee_import
