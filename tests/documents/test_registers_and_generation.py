"""Number registers, generation, immutable storage, retries, corrections and the PDF rendition."""

import dataclasses
import hashlib
import os
import shutil
import stat
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from documents import storage
from documents.events import document_status_changed
from documents.kinds import Kind
from documents.models import GeneratedDocument, NumberRegister
from documents.services import (
    document_correct,
    document_generate,
    document_request,
    document_retry,
    number_take,
)
from tests import factories as f

from . import samples as s
from .reading import header_table, lines, reopen

pytestmark = pytest.mark.django_db


def minutes_on(day: date, key="council:1"):
    data = s.minutes()
    issuer = dataclasses.replace(data.head.issuer, register_key=key)
    return dataclasses.replace(data, head=dataclasses.replace(data.head, issuer=issuer, issued_on=day))


def request_minutes(day=date(2026, 7, 15), key="council:1"):
    return document_request(kind=Kind.FORM_05, data=minutes_on(day, key), title="Biên bản")


def worker_runs(document):
    """What the Celery task does once the request's transaction has committed (tests run inside one)."""
    return document_generate(document_id=document.pk)


def test_generation_is_queued_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = request_minutes()
    assert document.status == GeneratedDocument.Status.QUEUED and len(callbacks) == 1
    callbacks[0]()  # the task, eager here
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE


def stored_bytes(document):
    return storage.path_of(document.file_name).read_bytes()


# Registers -------------------------------------------------------------------------------------------


def test_numbers_run_from_01_with_no_gap_per_body_and_year():
    numbers = [request_minutes().number_text for _ in range(3)]
    assert numbers == ["01/BB-HĐXT", "02/BB-HĐXT", "03/BB-HĐXT"]
    assert request_minutes(key="council:2").number_text == "01/BB-HĐXT"  # another council: its own series


def test_a_council_keeps_a_series_apart_from_its_agency():
    letter = s.supplement_letter()
    first = document_request(kind=Kind.SUPPLEMENT_LETTER, data=letter, title="Công văn")
    request_minutes()
    second = document_request(kind=Kind.SUPPLEMENT_LETTER, data=letter, title="Công văn")
    assert (first.number, second.number) == (1, 2)


def test_the_series_starts_again_on_1_january():
    assert request_minutes(date(2026, 12, 30)).number == 1
    assert request_minutes(date(2026, 12, 31)).number == 2
    assert request_minutes(date(2027, 1, 1)).number == 1
    assert request_minutes(date(2027, 1, 2)).number == 2
    assert sorted(NumberRegister.objects.values_list("year", "last_number")) == [(2026, 2), (2027, 2)]


def test_a_rolled_back_request_gives_its_number_back():
    request_minutes()
    with pytest.raises(RuntimeError), transaction.atomic():
        request_minutes()
        raise RuntimeError("the step failed after asking for its document")
    assert request_minutes().number == 2
    assert GeneratedDocument.objects.count() == 2


def test_documents_without_a_number_take_none():
    document = document_request(kind=Kind.FORM_04, data=s.listing(), title="Danh sách")
    assert document.number is None and document.register is None and not NumberRegister.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_30_parallel_requests_get_01_to_30_without_gap_or_repeat():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock is tested on PostgreSQL (CI)")
    results, errors = [], []
    barrier = threading.Barrier(30)

    def take():
        try:
            barrier.wait()
            with transaction.atomic():
                _register, number = number_take(key="council:9", issuer_name="Hội đồng", on=date(2026, 5, 5))
                results.append(number)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(1, 31))
    assert NumberRegister.objects.get(key="council:9").last_number == 30


# Generation -------------------------------------------------------------------------------------------


def test_a_requested_document_is_built_stored_once_read_only_with_its_hash():
    document = worker_runs(request_minutes())
    assert document.status == GeneratedDocument.Status.DONE and document.attempts == 1
    content = stored_bytes(document)
    assert hashlib.sha256(content).hexdigest() == document.sha256 and len(content) == document.size
    assert not os.stat(storage.path_of(document.file_name)).st_mode & stat.S_IWUSR
    assert header_table(reopen(content))[1][0] == "Số: 01/BB-HĐXT"
    assert document.source_data["head"]["number"] == 1  # the data it was built from, number included


def test_a_stored_file_is_never_overwritten(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    storage.store_once(b"first", stem="x", suffix=".docx")
    with pytest.raises(FileExistsError):
        storage.store_once(b"second", stem="x", suffix=".docx")
    assert (tmp_path / storage.ROOT).rglob("x.docx").__next__().read_bytes() == b"first"


def test_generating_twice_keeps_the_first_file():
    document = worker_runs(request_minutes())
    again = document_generate(document_id=document.pk)
    assert (again.file_name, again.sha256, again.attempts) == (document.file_name, document.sha256, 1)


def test_a_failure_is_recorded_announced_and_retryable(monkeypatch, django_capture_on_commit_callbacks):
    from documents import kinds

    original = kinds.SPECS[Kind.FORM_05]
    monkeypatch.setitem(kinds.SPECS, Kind.FORM_05, dataclasses.replace(original, builder=_broken))
    seen = []
    document_status_changed.connect(lambda sender, **kw: seen.append(kw), weak=False, dispatch_uid="doc-test")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document = request_minutes()
        document.refresh_from_db()
        assert document.status == GeneratedDocument.Status.FAILED
        assert "disk on fire" in document.error and not document.file_name
        assert seen[-1]["status"] == "failed" and seen[-1]["document_id"] == document.pk
        monkeypatch.setitem(kinds.SPECS, Kind.FORM_05, original)
        with django_capture_on_commit_callbacks(execute=True):
            document_retry(document=document, by=None)
        document.refresh_from_db()
        assert document.status == GeneratedDocument.Status.DONE and document.attempts == 2
        assert document.number == 1  # the same number: a retry is the same document
        assert seen[-1]["status"] == "done"
    finally:
        document_status_changed.disconnect(dispatch_uid="doc-test")


def _broken(data):
    raise OSError("disk on fire")


def test_only_a_failed_document_can_be_retried():
    from django.core.exceptions import ValidationError

    document = request_minutes()
    with pytest.raises(ValidationError):
        document_retry(document=document, by=None)


def test_a_correction_is_a_new_document_that_references_the_old_one():
    user = f.officer()
    document = worker_runs(request_minutes())
    before = stored_bytes(document)
    fixed = dataclasses.replace(minutes_on(date(2026, 7, 15)), meeting_place="Hội trường lớn")
    correction = document_correct(
        original=document, data=fixed, title="Biên bản (đính chính)", by=user, reason="Sai địa điểm"
    )
    correction = worker_runs(correction)
    document.refresh_from_db()
    assert correction.replaces == document and correction.correction_reason == "Sai địa điểm"
    assert correction.number == 2 and correction.status == GeneratedDocument.Status.DONE
    assert not document.is_current and correction.is_current
    assert stored_bytes(document) == before
    assert any("Hội trường lớn" in line for line in lines(reopen(stored_bytes(correction))))


def test_a_correction_needs_a_reason_and_replaces_only_once():
    from django.core.exceptions import ValidationError

    document = request_minutes()
    with pytest.raises(ValidationError):
        document_correct(
            original=document, data=minutes_on(date(2026, 7, 15)), title="x", by=None, reason=" "
        )
    document_correct(original=document, data=minutes_on(date(2026, 7, 15)), title="x", by=None, reason="Sửa")
    with pytest.raises(ValidationError):
        document_correct(
            original=document, data=minutes_on(date(2026, 7, 15)), title="x", by=None, reason="Sửa"
        )


def test_the_wrong_data_class_is_refused():
    with pytest.raises(TypeError):
        document_request(kind=Kind.FORM_05, data=s.count(), title="x")


# PDF ---------------------------------------------------------------------------------------------------


def test_without_libreoffice_the_docx_alone_is_the_document(settings, monkeypatch):
    monkeypatch.setattr("documents.pdf.shutil.which", lambda name: None)
    settings.DOCUMENTS_SOFFICE = ""
    document = worker_runs(request_minutes())
    assert document.status == GeneratedDocument.Status.DONE
    assert document.pdf_file_name == "" and document.pdf_note == "not_installed"


def fake_soffice(tmp_path, body: str) -> str:
    """A stand-in for soffice that records its arguments and does what `body` says."""
    script = tmp_path / "soffice"
    script.write_text('#!/bin/sh\necho "$@" >> ' + str(tmp_path / "calls") + "\n" + body)
    script.chmod(0o755)
    return str(script)


def test_with_libreoffice_a_pdf_rendition_is_stored_too(tmp_path, settings):
    # the fake writes a PDF named like the input into --outdir (the 7th argument), as soffice does
    settings.DOCUMENTS_SOFFICE = fake_soffice(tmp_path, 'printf "%%PDF-1.7 fake" > "$7/document.pdf"\n')
    document = worker_runs(request_minutes())
    assert document.pdf_file_name.endswith(".pdf") and document.pdf_note == ""
    assert storage.path_of(document.pdf_file_name).read_bytes().startswith(b"%PDF")
    call = (tmp_path / "calls").read_text()
    assert "-env:UserInstallation=file://" in call and f"-{os.getpid()}" in call  # a profile per process
    assert "--headless" in call and "--convert-to pdf" in call


def test_a_libreoffice_that_hangs_is_stopped_by_the_timeout(tmp_path, settings):
    settings.DOCUMENTS_SOFFICE = fake_soffice(tmp_path, "sleep 30\n")
    settings.DOCUMENTS_PDF_TIMEOUT_SECONDS = 1
    document = worker_runs(request_minutes())
    assert document.status == GeneratedDocument.Status.DONE and document.pdf_note == "timeout"


def test_libreoffice_is_found_on_the_path_unless_configured(settings, monkeypatch):
    from documents import pdf

    settings.DOCUMENTS_SOFFICE = ""
    monkeypatch.setattr(
        "documents.pdf.shutil.which", lambda name: f"/usr/bin/{name}" if name == "soffice" else None
    )
    assert pdf.converter() == "/usr/bin/soffice"
    settings.DOCUMENTS_SOFFICE = "/nowhere/soffice"
    assert pdf.converter() is None


def test_a_failed_build_is_retried_with_backoff_then_left_failed(monkeypatch, settings):
    """The task's retry policy, outside eager mode: 30 s, 60 s, 120 s, then the document stays failed
    (visible, retryable by hand)."""
    from celery.exceptions import Retry

    from documents import kinds
    from documents.tasks import generate

    monkeypatch.setitem(
        kinds.SPECS, Kind.FORM_05, dataclasses.replace(kinds.SPECS[Kind.FORM_05], builder=_broken)
    )
    settings.DOCUMENTS_MAX_ATTEMPTS, settings.DOCUMENTS_RETRY_BACKOFF_SECONDS = 4, 30
    countdowns = []

    def retry(countdown):
        countdowns.append(countdown)
        return Retry()

    monkeypatch.setattr(generate, "retry", retry)
    document = request_minutes()
    generate.push_request(is_eager=False, retries=0)
    try:
        for _ in range(3):
            with pytest.raises(Retry):
                generate.run(document.pk)
        assert generate.run(document.pk) == GeneratedDocument.Status.FAILED
    finally:
        generate.pop_request()
    assert countdowns == [30, 60, 120]
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.FAILED and document.attempts == 4


def test_a_broker_that_is_down_loses_no_document(monkeypatch, django_capture_on_commit_callbacks, caplog):
    """The step commits whatever the broker does; the beat sweep queues the waiting document later."""
    from django.utils import timezone

    from documents.services import documents_requeue_stale
    from documents.tasks import generate

    def down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(generate, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        document = request_minutes()  # no exception reaches the step
    assert "could not be queued" in caplog.text
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.QUEUED
    assert documents_requeue_stale(older_than_seconds=600) == []  # too recent: it may still be on its way
    GeneratedDocument.objects.filter(pk=document.pk).update(
        requested_at=timezone.now() - timedelta(minutes=11)
    )
    monkeypatch.undo()
    assert documents_requeue_stale(older_than_seconds=600) == [document.pk]
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE  # eager here: built by the requeued task


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed on this machine")
def test_a_real_libreoffice_renders_the_vietnamese_text(settings):
    settings.DOCUMENTS_SOFFICE = shutil.which("soffice")
    document = worker_runs(request_minutes())
    assert document.pdf_note == "" and document.pdf_sha256
    pdf_path = storage.path_of(document.pdf_file_name)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        import subprocess

        text = subprocess.run(
            ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        assert "Phạm Quốc Bảo" in text and "Số: 01/BB-HĐXT" in text


def test_a_document_never_queued_is_queued_within_a_minute_and_a_queued_one_is_not_queued_again(
    monkeypatch, django_capture_on_commit_callbacks
):
    """The relay of the outbox: the hand-over records `handed_over_at`; the half-minute sweep queues only
    what nobody queued (the broker was down at the commit), and leaves what is on its way to the worker."""
    from django.utils import timezone

    from documents.services import documents_requeue_stale
    from documents.tasks import generate

    queued = []

    def down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(generate, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        lost = request_minutes()
    monkeypatch.setattr(generate, "delay", queued.append)  # the broker is back; the worker is busy
    with django_capture_on_commit_callbacks(execute=True):
        on_its_way = request_minutes()
    assert queued == [on_its_way.pk]
    assert GeneratedDocument.objects.get(pk=lost.pk).handed_over_at is None
    assert GeneratedDocument.objects.get(pk=on_its_way.pk).handed_over_at is not None

    def sweep():
        return documents_requeue_stale(older_than_seconds=600, handover_after_seconds=30)

    assert sweep() == []  # younger than half a minute: its own hand-over may still be running
    GeneratedDocument.objects.update(requested_at=timezone.now() - timedelta(seconds=31))
    GeneratedDocument.objects.filter(pk=on_its_way.pk).update(
        handed_over_at=timezone.now() - timedelta(seconds=31)
    )
    assert sweep() == [lost.pk]  # the one queued already is not queued again behind the backlog
    assert queued == [on_its_way.pk, lost.pk]
    assert sweep() == []  # and the lost one is now on its way: not twice
    # queued ten minutes ago and still not built: the broker lost it, so it is queued again
    GeneratedDocument.objects.filter(pk=on_its_way.pk).update(
        requested_at=timezone.now() - timedelta(minutes=11),
        handed_over_at=timezone.now() - timedelta(minutes=11),
    )
    assert sweep() == [on_its_way.pk]
