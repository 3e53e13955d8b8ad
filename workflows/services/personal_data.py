"""A data subject's request for their data (Law 91/2025/QH15 on personal data protection): everything the
system holds about one artisan, as one JSON-ready dict, with the sensitive fields decrypted.

It lives in workflows because it gathers from every layer below (dossiers, councils, documents, the audit
log). It holds the artisan's own data; other people appear only as the user names of the officials who
acted (who received, read or changed the data), never their other personal data. Public comments are
their authors' (third parties') data: they are counted, not quoted; council members' advisory notes come
without the member. The ballots are secret: only the tallies are given. Attachments and documents are
listed with their metadata and hash; the files themselves are handed over separately if asked for.

Every export is logged as a sensitive read (dossiers.sensitive) with the purpose "data-subject request".
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, roles_of
from councils.models import AdvisoryNote, FieldVisit, PublicComment, Tally
from documents.models import GeneratedDocument
from dossiers.models import Artisan, ConsentRecord, Dossier, SensitiveDataAccess
from dossiers.permissions import user_province_id
from dossiers.sensitive import log_sensitive_read

from ..models import AuditEntry

PURPOSE = "data-subject request"
FORMAT_VERSION = 1


def may_export_personal_data(user, artisan: Artisan) -> bool:
    """Ministry clerks and system administrators, and the officers of a province that received one of
    the artisan's dossiers (or where the artisan lives)."""
    if not getattr(user, "is_active", False):
        return False
    roles = roles_of(user)
    if roles & {Role.MINISTRY_CLERK, Role.SYSTEM_ADMINISTRATOR}:
        return True
    province = user_province_id(user)
    if Role.PROVINCIAL_OFFICER in roles and province is not None:
        return province == artisan.province_id or artisan.dossiers.filter(province_id=province).exists()
    return False


def _value(value):
    if isinstance(value, models.fields.files.FieldFile):
        return value.name
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _row(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict:
    """Every concrete field of `obj`: plain values as they are (encrypted ones decrypted), a foreign key
    as its id and its text (a user as the user name only)."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        if field.is_relation:
            related_id = getattr(obj, field.attname)
            if related_id is None:
                out[field.name] = None
                continue
            related = getattr(obj, field.name)
            label = getattr(related, "username", None) or str(related)
            out[field.name] = {"id": related_id, "text": label}
        else:
            out[field.name] = _value(field.value_from_object(obj))
    return out


def personal_data_export(*, artisan: Artisan, by) -> dict:
    """Everything held about `artisan`, for `by` (who must be allowed); the export is logged."""
    if not may_export_personal_data(by, artisan):
        raise PermissionDenied(_("You may not export this person's personal data."))
    for field in ("cccd", "ethnicity"):
        log_sensitive_read(user=by, artisan=artisan, field=field, purpose=PURPOSE)

    dossiers = list(
        Dossier.objects.filter(artisan=artisan)
        .select_related("round", "province", "receiving_agency", "created_by")
        .order_by("received_on", "pk")
    )
    dossier_ids = [d.pk for d in dossiers]
    documents = (
        GeneratedDocument.objects.filter(Q(dossier_id__in=dossier_ids) | Q(dossiers__in=dossier_ids))
        .distinct()
        .order_by("requested_at", "pk")
    )
    return {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "exported_by": by.username,
        "purpose": PURPOSE,
        "artisan": _row(artisan, exclude=("cccd_index",)),
        "titles_already_held": [_row(p, exclude=("artisan",)) for p in artisan.prior_titles.all()],
        "consents": [
            _row(c, exclude=("artisan",))
            for c in ConsentRecord.objects.filter(artisan=artisan).order_by("pk")
        ],
        "dossiers": [_dossier(d) for d in dossiers],
        "documents": [
            {
                **_row(doc, exclude=("source_data", "register", "council_ref", "session_ref")),
                "dossiers_covered": sorted(
                    {*doc.dossiers.values_list("pk", flat=True), doc.dossier_id} - {None}
                ),
                "data_it_was_built_from": doc.source_data if doc.dossier_id in dossier_ids else None,
            }
            for doc in documents
        ],
        "audit_entries": [
            _row(e)
            for e in AuditEntry.objects.filter(dossier_id__in=dossier_ids)
            .select_related("actor", "dossier")
            .order_by("at", "pk")
        ],
        "sensitive_data_accesses": [
            _row(a, exclude=("artisan",))
            for a in SensitiveDataAccess.objects.filter(artisan=artisan)
            .select_related("user")
            .order_by("at", "pk")
        ],
    }


def _dossier(dossier: Dossier) -> dict:
    return {
        **_row(dossier, exclude=("artisan",)),
        "craft_periods": [_row(p, exclude=("dossier",)) for p in dossier.craft_periods.all()],
        "works": [_row(w, exclude=("dossier",)) for w in dossier.works.all()],
        "awards": [_row(a, exclude=("dossier",)) for a in dossier.awards.all()],
        "trainees": [_row(t, exclude=("dossier",)) for t in dossier.trainee_records.all()],
        "attachments": [
            _row(a, exclude=("dossier",)) for a in dossier.attachments.select_related("uploaded_by")
        ],
        "council_results": [
            _row(t, exclude=("dossier",))
            for t in Tally.objects.filter(dossier=dossier).select_related("session")
        ],
        "council_advisory_notes": [
            _row(n, exclude=("dossier", "membership"))
            for n in AdvisoryNote.objects.filter(dossier=dossier).select_related("session")
        ],
        "field_visits": [
            _row(v, exclude=("dossier",))
            for v in FieldVisit.objects.filter(dossier=dossier).select_related("council", "recorded_by")
        ],
        # comments are the commenters' personal data: only that they exist and how they were handled
        "public_comments": [
            {"received_at": c.received_at.isoformat(), "status": c.status}
            for c in PublicComment.objects.filter(dossier=dossier).order_by("received_at")
        ],
    }
