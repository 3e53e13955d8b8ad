"""Files are written whole or not at all: a full disk or a failed write leaves no half-written file, and
`media_orphans` finds (and removes) what no row points to."""

import errno
import hashlib
import os
import subprocess
import time
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from core import storage as core_storage
from core.storage import orphan_files, write_whole
from documents.kinds import Kind
from documents.models import GeneratedDocument
from documents.services import document_generate, document_request
from tests.documents import samples as s


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def failing_after(limit: int):
    """os.fdopen whose file refuses to hold more than `limit` bytes, as a full disk does (ENOSPC)."""
    real_fdopen = os.fdopen

    def fdopen(descriptor, *args, **kwargs):
        handle = real_fdopen(descriptor, *args, **kwargs)
        real_write, written = handle.write, [0]

        def write(data):
            if written[0] + len(data) > limit:
                real_write(data[: max(0, limit - written[0])])
                raise OSError(errno.ENOSPC, "No space left on device")
            written[0] += len(data)
            return real_write(data)

        handle.write = write
        return handle

    return fdopen


def test_a_write_that_fails_leaves_neither_the_file_nor_its_temporary(tmp_path, monkeypatch):
    monkeypatch.setattr(core_storage.os, "fdopen", failing_after(100))
    with pytest.raises(OSError) as failure:
        write_whole(tmp_path / "letter.docx", [b"x" * 80, b"y" * 80])
    assert failure.value.errno == errno.ENOSPC
    assert files_under(tmp_path) == []


def test_an_existing_name_is_never_overwritten(tmp_path):
    write_whole(tmp_path / "a.docx", [b"first"])
    with pytest.raises(FileExistsError):
        write_whole(tmp_path / "a.docx", [b"second"])
    assert (tmp_path / "a.docx").read_bytes() == b"first"
    assert files_under(tmp_path) == [tmp_path / "a.docx"]


@pytest.mark.django_db
def test_a_document_whose_file_cannot_be_written_fails_cleanly_and_leaves_no_file(media, monkeypatch):
    document = document_request(kind=Kind.FORM_04, data=s.listing(), title="Danh sách")
    monkeypatch.setattr(core_storage.os, "fdopen", failing_after(1000))
    document = document_generate(document_id=document.pk)
    assert document.status == GeneratedDocument.Status.FAILED and not document.file_name
    assert "No space left" in document.error
    assert files_under(media) == []
    monkeypatch.undo()
    document = document_generate(document_id=document.pk)  # the disk has room again: the retry works
    assert document.status == GeneratedDocument.Status.DONE


@pytest.fixture
def small_disk(settings, tmp_path):
    """MEDIA_ROOT on a real 192 KiB filesystem (tmpfs); skipped where mounting is not permitted."""
    mount_point = tmp_path / f"small-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("a small filesystem cannot be mounted here (needs CAP_SYS_ADMIN)")
    settings.MEDIA_ROOT = mount_point
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.django_db
def test_filling_a_real_disk_leaves_only_whole_files_each_one_a_done_documents(small_disk):
    documents = [
        document_generate(
            document_id=document_request(kind=Kind.FORM_04, data=s.listing(), title=f"Danh sách {n}").pk
        )
        for n in range(40)
    ]
    failed = [d for d in documents if d.status == GeneratedDocument.Status.FAILED]
    done = [d for d in documents if d.status == GeneratedDocument.Status.DONE]
    assert failed and done, "the disk should have filled up part-way"
    assert all("No space left" in d.error and not d.file_name for d in failed)
    on_disk = {p.relative_to(small_disk).as_posix(): p for p in files_under(small_disk)}
    stored = {d.file_name: d.sha256 for d in done} | {
        d.pdf_file_name: d.pdf_sha256 for d in done if d.pdf_file_name
    }
    assert set(on_disk) == set(stored)  # no zero-byte, partial or .part file
    assert all(hashlib.sha256(on_disk[name].read_bytes()).hexdigest() == stored[name] for name in stored)


@pytest.mark.django_db
def test_media_orphans_lists_and_removes_only_old_files_no_row_points_to(media):
    document = document_generate(
        document_id=document_request(kind=Kind.FORM_04, data=s.listing(), title="Danh sách").pk
    )
    (media / "documents").mkdir(exist_ok=True)
    orphan = media / "documents" / "left-by-a-rolled-back-step.docx"
    part = media / "documents" / ".x.docx.0123456789ab.part"
    young = media / "documents" / "young.docx"
    for path in (orphan, part, young):
        path.write_bytes(b"x")
    day_ago = time.time() - 25 * 3600
    for path in (orphan, part, media / document.file_name):
        os.utime(path, (day_ago, day_ago))

    assert orphan_files(older_than=timedelta(hours=24)) == sorted(
        [part.relative_to(media).as_posix(), orphan.relative_to(media).as_posix()]
    )
    out = StringIO()
    call_command("media_orphans", stdout=out)
    assert orphan.exists() and "Orphan files: 2" in out.getvalue()  # listing removes nothing
    call_command("media_orphans", "--delete", stdout=StringIO())
    assert not orphan.exists() and not part.exists()
    assert young.exists() and (media / document.file_name).exists()
