"""Writes of the documents app: numbers, requests, generation, retries and corrections.

Permission to ask for a document, retry or correct one is the caller's (workflows.permissions checks
the user's role and scope); these services keep the registers gap-free, the files immutable and the
status true.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import handover

from . import pdf, storage
from .data import Head, from_json, to_json
from .events import document_status_changed
from .kinds import SPECS, symbol_for
from .models import GeneratedDocument, NumberRegister

logger = logging.getLogger(__name__)


def number_take(*, key: str, issuer_name: str, on: date) -> tuple[NumberRegister, int]:
    """The next number of `key`'s register for the year of `on`. Call inside the transaction that
    creates the numbered document: the register row stays locked until it commits, so parallel
    requests queue, and a rolled-back request gives its number back (no gap)."""
    with transaction.atomic(savepoint=False):
        register = _register_locked(key, issuer_name, on.year)
        register.last_number += 1
        register.save(update_fields=["last_number"])
    return register, register.last_number


def _register_locked(key: str, issuer_name: str, year: int) -> NumberRegister:
    found = NumberRegister.objects.select_for_update().filter(key=key, year=year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # a savepoint: losing the race to create it is not an error
            NumberRegister.objects.create(key=key, issuer_name=issuer_name, year=year)
    except IntegrityError:
        pass
    return NumberRegister.objects.select_for_update().get(key=key, year=year)


def document_request(
    *,
    kind: str,
    data,
    title: str,
    by=None,
    dossier=None,
    dossiers: Iterable = (),
    province=None,
    council_ref: int | None = None,
    session_ref: int | None = None,
    replaces: GeneratedDocument | None = None,
    correction_reason: str = "",
) -> GeneratedDocument:
    """Record a document to build, with its number taken now, and queue its generation for after the
    transaction commits (a rolled-back step leaves neither a document nor a used number)."""
    spec = SPECS[kind]
    if not isinstance(data, spec.data_class):
        raise TypeError(f"{kind} is built from {spec.data_class.__name__}, not {type(data).__name__}")
    head: Head | None = getattr(data, "head", None)
    # no savepoint: nothing here is tried and undone; a failure fails the caller's transaction with it
    with transaction.atomic(savepoint=False):
        register = number = None
        number_text = head.fixed_number if head else ""
        if spec.numbered:
            register, number = number_take(
                key=head.issuer.register_key, issuer_name=head.issuer.name, on=head.issued_on
            )
            head = dataclasses.replace(head, number=number, symbol=symbol_for(kind, head.issuer.symbol))
            data = dataclasses.replace(data, head=head)
            number_text = f"{number:02d}/{head.symbol}"
        document = GeneratedDocument.objects.create(
            kind=kind,
            title=title[:500],
            dossier=dossier,
            province=province,
            council_ref=council_ref,
            session_ref=session_ref,
            register=register,
            number=number,
            number_text=number_text,
            issued_on=head.issued_on if head else timezone.localdate(),
            source_data=to_json(data),
            sensitive=spec.sensitive,
            requested_by=by,
            replaces=replaces,
            correction_reason=correction_reason,
        )
        covered = list(dossiers) or ([dossier] if dossier is not None else [])
        if covered:  # a new document: its links inserted in one statement, nothing to compare first
            through = GeneratedDocument.dossiers.through
            ids = dict.fromkeys(getattr(x, "pk", x) for x in covered)  # once each, in order
            through.objects.bulk_create(
                [through(generateddocument_id=document.pk, dossier_id=i) for i in ids]
            )
        _queue(document)
    return document


def _queue(document: GeneratedDocument) -> None:
    """After the commit: its build queued, and marked handed over with the rest of the commit's marks."""
    handover.after_commit(_publish, GeneratedDocument, [document.pk])


def _publish(document_ids: list[int]) -> list[int]:
    """Queue the builds; returns the documents queued. One the broker refused stays unmarked (never
    queued), and documents_requeue_stale queues it within a minute."""
    from .tasks import generate

    queued = []
    for document_id in document_ids:
        try:
            generate.delay(document_id)
        except Exception:  # the broker is down: the step has committed; the sweep sends it later
            logger.exception("document %s could not be queued; the sweep will queue it again", document_id)
            continue
        queued.append(document_id)
    return queued


def documents_requeue_stale(
    *, older_than_seconds: int, handover_after_seconds: int | None = None
) -> list[int]:
    """Queue again the documents still waiting: never queued for longer than `handover_after_seconds`
    (default: `older_than_seconds`), or queued (or left 'generating' by a worker that died) longer than
    `older_than_seconds` ago. A lost message or a broker that was down never loses a document."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    never_queued_since = now - timedelta(
        seconds=older_than_seconds if handover_after_seconds is None else handover_after_seconds
    )
    Status = GeneratedDocument.Status
    stale = list(
        GeneratedDocument.objects.filter(
            Q(status=Status.QUEUED, handed_over_at__isnull=True, requested_at__lt=never_queued_since)
            | Q(
                Q(handed_over_at__isnull=True) | Q(handed_over_at__lt=cutoff),
                status__in=(Status.QUEUED, Status.GENERATING),
                requested_at__lt=cutoff,
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    handover.hand_over([(_publish, GeneratedDocument, stale)])  # the marks in one UPDATE
    return stale


def document_generate(*, document_id: int) -> GeneratedDocument:
    """Build and store a queued (or failed, or interrupted) document; a ready one is left as it is, so a
    task delivered twice stores one file. Failures are recorded on the document, never raised."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == GeneratedDocument.Status.DONE:
            return document
        document.status = GeneratedDocument.Status.GENERATING
        document.attempts += 1
        document.save(update_fields=["status", "attempts"])
    try:
        content = render(document.kind, document.source_data)
    except Exception as exc:  # a builder's bug or bad data: visible on the document, retryable
        logger.exception("document %s (%s) failed to build", document.pk, document.kind)
        return _finish_failed(document, f"{type(exc).__name__}: {exc}")
    with transaction.atomic():
        locked = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if locked.status == GeneratedDocument.Status.DONE:  # another delivery finished first
            return locked
        try:
            name, digest, size = storage.store_once(
                content, stem=f"{locked.uid}-{locked.attempts}", suffix=".docx"
            )
        except OSError as exc:
            logger.exception("document %s could not be stored", document.pk)
            return _finish_failed(locked, f"{type(exc).__name__}: {exc}")
        locked.file_name, locked.sha256, locked.size = name, digest, size
        locked.status, locked.error = GeneratedDocument.Status.DONE, ""
        locked.generated_at = timezone.now()
        _add_pdf(locked, content)
        locked.save()
        _announce(locked)
    return locked


def render(kind: str, source_data: dict) -> bytes:
    """The .docx bytes of a document of `kind` built from its stored data."""
    import io

    spec = SPECS[kind]
    out = io.BytesIO()
    spec.builder(from_json(spec.data_class, source_data)).save(out)
    return out.getvalue()


def _add_pdf(document: GeneratedDocument, content: bytes) -> None:
    try:
        rendition = pdf.to_pdf(content)
    except pdf.PdfUnavailable as exc:
        document.pdf_note = exc.code
        return
    name, digest, _size = storage.store_once(
        rendition, stem=f"{document.uid}-{document.attempts}", suffix=".pdf"
    )
    document.pdf_file_name, document.pdf_sha256, document.pdf_note = name, digest, ""


def _finish_failed(document: GeneratedDocument, error: str) -> GeneratedDocument:
    with transaction.atomic():
        GeneratedDocument.objects.filter(pk=document.pk).exclude(status=GeneratedDocument.Status.DONE).update(
            status=GeneratedDocument.Status.FAILED, error=error[:2000]
        )
        document.refresh_from_db()
        if document.status == GeneratedDocument.Status.FAILED:
            _announce(document)
    return document


def _announce(document: GeneratedDocument) -> None:
    """Said inside the transaction that records the document's state: its "ready" or "failed" event is
    written with it, or neither is (the receivers only write rows; handing them over waits for commit)."""
    event = {
        "document_id": document.pk,
        "dossier_id": document.dossier_id,
        "kind": document.kind,
        "status": document.status,
        "error": document.error,
        "requested_by_id": document.requested_by_id,
    }
    document_status_changed.send(sender=GeneratedDocument, **event)


def document_retry(*, document: GeneratedDocument, by) -> GeneratedDocument:
    """Queue a failed document again (the caller has checked that `by` may)."""
    with transaction.atomic():
        locked = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status != GeneratedDocument.Status.FAILED:
            raise ValidationError(_("Only a document whose generation failed can be retried."), code="stale")
        locked.status = GeneratedDocument.Status.QUEUED
        locked.save(update_fields=["status"])
        logger.info("document %s retried by user %s", locked.pk, getattr(by, "pk", None))
        _queue(locked)
    return locked


def document_correct(*, original: GeneratedDocument, data, title: str, by, reason: str) -> GeneratedDocument:
    """A correction: a new document, with a number of its own, that references the one it replaces; the
    original and its file stay as they were."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."), code="reason_required")
    with transaction.atomic():
        locked = GeneratedDocument.objects.select_for_update().get(pk=original.pk)
        if GeneratedDocument.objects.filter(replaces=locked).exists():
            raise ValidationError(
                _("This document has already been replaced by a correction; correct the newer one."),
                code="stale",
            )
        head = getattr(data, "head", None)
        if head is not None:
            data = dataclasses.replace(data, head=dataclasses.replace(head, number=None, symbol=""))
        return document_request(
            kind=locked.kind,
            data=data,
            title=title,
            by=by,
            dossier=locked.dossier,
            dossiers=list(locked.dossiers.all()),
            province=locked.province,
            council_ref=locked.council_ref,
            session_ref=locked.session_ref,
            replaces=locked,
            correction_reason=reason,
        )
