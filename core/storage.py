"""Files under MEDIA_ROOT are written whole or not at all, and the files no row points to can be found.

Every file is first written under a temporary name in its final folder (a dot-name ending in `.part`),
flushed to disk, then linked into place under its final name: the final name appears only once the
content is complete, an existing name is never overwritten (the link fails, as O_EXCL would), and a
failed write (a full disk, a killed process) leaves no final name behind. A `.part` left by a process
killed mid-write is referenced by nothing and is found by `orphan_files` like any other orphan.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection, models
from django.utils import timezone

PART_SUFFIX = ".part"


def write_whole(path: Path, chunks: Iterable[bytes], *, mode: int = 0o444) -> None:
    """Write `chunks` to `path`, which must not exist (FileExistsError), all or nothing."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}{PART_SUFFIX}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in chunks:
                out.write(chunk.encode() if isinstance(chunk, str) else chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.link(temporary, path)  # atomic; refuses an existing name
        _fsync_folder(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be opened for fsync
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class WholeFileSystemStorage(FileSystemStorage):
    """Django's file system storage, but a file is written whole or not at all (`write_whole`); Django's
    own leaves a partly written file behind when a write fails."""

    def _save(self, name, content):
        full_path = Path(self.path(name))
        full_path.parent.mkdir(parents=True, exist_ok=True)
        mode = self.file_permissions_mode if self.file_permissions_mode is not None else 0o644
        while True:
            if hasattr(content, "seek"):
                content.seek(0)
            try:
                write_whole(full_path, content.chunks(), mode=mode)
            except FileExistsError:
                name = self.get_available_name(name)
                full_path = Path(self.path(name))
            else:
                break
        return os.path.relpath(full_path, self.location).replace("\\", "/")


def referenced_media(query: Callable[[str], list] | None = None) -> set[str]:
    """The names under MEDIA_ROOT that rows point to: every FileField, and the CharFields a model lists in
    `MEDIA_NAME_FIELDS` (generated documents keep their names that way). `query(sql)` runs one SELECT and
    returns its rows, so that a backup can read the names inside its own snapshot; by default, the
    default connection."""
    if query is None:

        def query(sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()

    names: set[str] = set()
    quote = connection.ops.quote_name
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        columns += [model._meta.get_field(name).column for name in getattr(model, "MEDIA_NAME_FIELDS", ())]
        for column in columns:
            sql = f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} WHERE {quote(column)} <> ''"  # noqa: S608
            names.update(row[0] for row in query(sql) if row[0])
    return names


def orphan_files(*, older_than: timedelta) -> list[str]:
    """Files under MEDIA_ROOT that no row points to and that were last written more than `older_than`
    ago (a younger one may belong to a transaction still open), including `.part` files left by a
    process killed mid-write. Names relative to MEDIA_ROOT, sorted."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    cutoff = (timezone.now() - older_than).timestamp()
    referenced = referenced_media()
    return sorted(
        name
        for path in root.rglob("*")
        if path.is_file()
        and (name := path.relative_to(root).as_posix()) not in referenced
        and path.stat().st_mtime < cutoff
    )
