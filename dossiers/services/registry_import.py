"""A list of artisans of earlier rounds imported from Excel: keeping the previewed rows until the clerk
confirms them.

The web layer reads the file and checks every row with `conferral_import` in a transaction it rolls
back; what is kept here is the outcome, owned by the clerk who uploaded it, for
``NOMINEE_IMPORT_TTL_SECONDS`` (the same limits as the nominees' import). Confirming locks the row, so
that two confirmations of the same preview enter the titles once: the second finds it confirmed. A
preview is found only by its owner before it expires: for anyone else, another clerk included, it does
not exist (the page answers 404), as for the nominees' import.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.permissions import require

from ..models import RegistryImport
from .conferrals import can_import_conferral


def _invalid(rows: list[dict]) -> int:
    return sum(1 for row in rows if row.get("errors") or row.get("row_errors"))


def registry_imports_expired_delete() -> int:
    deleted, _ = RegistryImport.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@transaction.atomic
def registry_import_create(*, by, rows: list[dict], file_name: str = "") -> RegistryImport:
    """Keep a checked list for its preview and confirmation. `rows`: one dict a row of the file, with
    its `line`, `values` (column → text as read), `errors` (column → messages) and `row_errors`."""
    require(can_import_conferral(by))
    registry_imports_expired_delete()
    invalid = _invalid(rows)
    return RegistryImport.objects.create(
        created_by=by,
        file_name=file_name[:255],
        rows=rows,
        valid_count=len(rows) - invalid,
        invalid_count=invalid,
        expires_at=timezone.now() + timedelta(seconds=settings.NOMINEE_IMPORT_TTL_SECONDS),
    )


def _owned(by):
    return RegistryImport.objects.filter(created_by=by, expires_at__gt=timezone.now())


def registry_import_of(*, pk: int, by) -> RegistryImport:
    """The user's own preview, not expired; RegistryImport.DoesNotExist for anything else."""
    return _owned(by).get(pk=pk)


def registry_import_lock(*, pk: int, by) -> RegistryImport:
    """The user's own preview, locked for the rest of the caller's transaction (select_for_update):
    a parallel confirmation waits, then finds it confirmed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("registry_import_lock must run inside a transaction")
    return _owned(by).select_for_update().get(pk=pk)


def registry_import_recheck(*, registry_import: RegistryImport, rows: list[dict]) -> RegistryImport:
    """Replace the preview's rows by a newer check of them (a confirmation refused on a row that had
    become invalid since the upload shows why)."""
    invalid = _invalid(rows)
    registry_import.rows = rows
    registry_import.valid_count = len(rows) - invalid
    registry_import.invalid_count = invalid
    registry_import.save(update_fields=["rows", "valid_count", "invalid_count"])
    return registry_import


def registry_import_mark_confirmed(
    *, registry_import: RegistryImport, conferral_ids: list[int]
) -> RegistryImport:
    """Record the confirmation (in the caller's transaction, with the row locked) and drop the rows: the
    registry now holds them."""
    registry_import.confirmed_at = timezone.now()
    registry_import.conferral_ids = list(conferral_ids)
    registry_import.rows = []
    registry_import.save(update_fields=["confirmed_at", "conferral_ids", "rows"])
    return registry_import
