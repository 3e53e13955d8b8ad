"""Attachments of a dossier: adding one (checked, sniffed, de-duplicated, stored) and opening one to read.

Refusals:
- permission → ``django.core.exceptions.PermissionDenied`` carrying the checker's reason (a view turns it
  into 403, or into 404 where existence must not be revealed);
- bad input → ``ValidationError`` with a stable code: ``kind_invalid``, ``file_empty``,
  ``file_too_large``, ``file_type_not_allowed``, ``file_duplicate``.

Files are stored under ``attachments/<dossier id>/<uuid4 hex><canonical extension>`` in the default
storage (MEDIA_ROOT, outside the web root); the name the user gave is kept, sanitised, only in
``original_name`` and as the download name. A refused upload leaves neither a row nor a file: everything
is checked before the file is written, and a failure after it is written deletes it. When the caller wraps
``attachment_add`` in a transaction of its own that later rolls back, no hook runs on rollback (Django has
none): ``attachment_orphan_files_delete`` removes such files (no row points to them) and can run
periodically.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.permissions import require
from core.storage import orphan_files

from ..models import Attachment, Dossier
from ..permissions import can_edit_dossier, can_view_dossier, can_view_sensitive
from ..sensitive import log_sensitive_read
from ..uploads import check_filename, inspect_upload, sanitize_filename

logger = logging.getLogger("nghenhan.attachments")

STORAGE_ROOT = "attachments"


def _duplicate_error(existing: Attachment) -> ValidationError:
    return ValidationError(
        _("This file is already attached to the dossier as “%(name)s”.") % {"name": existing.original_name},
        code="file_duplicate",
    )


@transaction.atomic
def attachment_add(
    *, dossier: Dossier, kind: str, uploaded_file: UploadedFile, by, permission=can_edit_dossier
) -> Attachment:
    """Attach an uploaded file to a dossier, for a user who may edit it. `permission(by, dossier)` is the
    action check: a service of a higher app attaching a paper of its own (the council's secretary and
    the signed report of a field visit) passes its own check instead of the officers' one."""
    require(permission(by, dossier))
    if kind not in Attachment.Kind.values:
        raise ValidationError(_("Choose the kind of document."), code="kind_invalid")
    check_filename(uploaded_file)
    inspected = inspect_upload(uploaded_file, kind=kind)
    existing = Attachment.objects.filter(dossier=dossier, sha256=inspected.sha256).first()
    if existing is not None:
        raise _duplicate_error(existing)

    extension = inspected.file_type.extension
    original_name = sanitize_filename(getattr(uploaded_file, "name", ""), extension)
    path = f"{STORAGE_ROOT}/{dossier.pk}/{uuid.uuid4().hex}{extension}"
    uploaded_file.seek(0)
    stored = None
    try:
        # The storage writes the file whole or not at all; a row that cannot be written removes it below.
        stored = default_storage.save(path, uploaded_file)
        try:
            with transaction.atomic():  # a savepoint, so that the duplicate can be read after a race
                attachment = Attachment.objects.create(
                    dossier=dossier,
                    kind=kind,
                    file=stored,
                    original_name=original_name,
                    content_type=inspected.file_type.content_type,
                    size=inspected.size,
                    sha256=inspected.sha256,
                    uploaded_by=by,
                )
        except IntegrityError:
            # Another upload of the same content won the race between the check above and the insert.
            existing = Attachment.objects.filter(dossier=dossier, sha256=inspected.sha256).first()
            if existing is None:
                raise
            raise _duplicate_error(existing) from None
    except BaseException:
        _delete_quietly(stored or path)
        raise
    logger.info(
        "attachment added id=%s dossier=%s kind=%s size=%s by=%s",
        attachment.pk,
        dossier.pk,
        kind,
        inspected.size,
        getattr(by, "pk", None),
    )
    return attachment


def attachments_discard(attachments: list[Attachment]) -> None:
    """Remove the stored files of attachments whose rows were rolled back with the transaction that
    added them (a receipt refused after its files were written), so that storage keeps no orphan."""
    for attachment in attachments:
        _delete_quietly(attachment.file.name)
        logger.info("attachment discarded with its rolled-back receipt dossier=%s", attachment.dossier_id)


def _delete_quietly(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:
        logger.exception("could not delete the stored file %s of a refused upload", name)


def attachment_open(*, attachment: Attachment, by) -> tuple[IO[bytes], str, str]:
    """The file of an attachment opened for reading, its content type and its download name.

    Needs permission to view the dossier; a kind that carries identity data (Attachment.SENSITIVE_KINDS)
    also needs permission to read sensitive data, and its read is logged (after the file is opened,
    before any byte is returned).
    """
    dossier = attachment.dossier
    require(can_view_dossier(by, dossier))
    sensitive = attachment.is_sensitive
    if sensitive:
        require(can_view_sensitive(by, dossier))
    handle = default_storage.open(attachment.file.name, "rb")
    if sensitive:
        try:
            log_sensitive_read(user=by, artisan=dossier.artisan, field=attachment.kind, purpose="download")
        except BaseException:
            handle.close()
            raise
    return handle, attachment.content_type, attachment.original_name


def attachment_orphan_files_delete(*, older_than: timedelta = timedelta(hours=1)) -> list[str]:
    """Delete stored attachment files that no row points to and that are older than ``older_than``
    (younger ones may belong to an upload whose transaction is still open). Returns the deleted names.
    The finding is `core.storage.orphan_files`, the one for every file under MEDIA_ROOT."""
    deleted = [name for name in orphan_files(older_than=older_than) if name.startswith(f"{STORAGE_ROOT}/")]
    for name in deleted:
        default_storage.delete(name)
    if deleted:
        logger.warning("deleted %d orphan attachment files", len(deleted))
    return deleted
