"""Reading sensitive personal data (CCCD, ethnicity, identity-card images): checked and logged.

Every read writes a SensitiveDataAccess row and a log line naming the user, the artisan, the field and the
purpose, never the value."""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from .models import Artisan, Dossier, SensitiveDataAccess
from .permissions import can_view_sensitive

logger = logging.getLogger("nghenhan.sensitive")


@dataclass(frozen=True)
class SensitiveFields:
    cccd: str
    cccd_is_legacy: bool
    ethnicity: str


def log_sensitive_read(*, user, artisan: Artisan, field: str, purpose: str) -> None:
    log_sensitive_reads(user=user, artisan=artisan, fields=(field,), purpose=purpose)


def log_sensitive_reads(*, user, artisan: Artisan, fields: tuple[str, ...], purpose: str) -> None:
    """One row per field read, written in one statement."""
    SensitiveDataAccess.objects.bulk_create(
        [SensitiveDataAccess(user=user, artisan=artisan, field=f, purpose=purpose) for f in fields]
    )
    for field in fields:
        logger.info(
            "sensitive read user=%s artisan=%s field=%s purpose=%s", user.pk, artisan.pk, field, purpose
        )


def artisan_sensitive_read(*, dossier: Dossier, by, purpose: str) -> SensitiveFields:
    decision = can_view_sensitive(by, dossier)
    if not decision:
        raise PermissionDenied(decision.reason)
    artisan = dossier.artisan
    sealed = artisan.get_deferred_fields() & set(artisan.SEALED)
    if sealed:  # a list's queryset left them out (sealed_fields): read both in one query
        artisan.refresh_from_db(fields=sorted(sealed))
    log_sensitive_reads(user=by, artisan=artisan, fields=("cccd", "ethnicity"), purpose=purpose)
    return SensitiveFields(
        cccd=artisan.cccd, cccd_is_legacy=artisan.cccd_is_legacy, ethnicity=artisan.ethnicity
    )
