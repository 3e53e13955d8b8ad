"""A real worker builds a requested document: on the embedded broker in `make test`, on Redis in CI."""

import pytest
from django.db import transaction

from documents import storage
from documents.kinds import Kind
from documents.models import GeneratedDocument
from documents.services import document_request
from documents.tasks import generate
from tests.documents import samples as s
from tests.documents.reading import header_table, reopen

pytestmark = pytest.mark.worker


def test_a_worker_builds_and_stores_a_committed_request_once(live_worker, monkeypatch):
    sent = []
    # the application queues on the default queue; this test's worker reads its own queue
    monkeypatch.setattr(
        generate, "delay", lambda pk: sent.append(generate.apply_async((pk,), queue=live_worker.queue))
    )
    with transaction.atomic():
        document = document_request(kind=Kind.FORM_05, data=s.minutes(), title="Biên bản")
        assert sent == []  # nothing is sent before the request commits
    assert len(sent) == 1

    def ready():
        document.refresh_from_db()
        return document.status == GeneratedDocument.Status.DONE

    assert live_worker.wait_for(ready), live_worker.log.read_text()[-3000:]
    content = storage.path_of(document.file_name).read_bytes()
    assert storage.sha256_of(document.file_name) == document.sha256
    assert header_table(reopen(content))[1][0] == "Số: 01/BB-HĐXT"
    # delivered again (as after a lost acknowledgement): the ready document is left as it is
    generate.apply_async((document.pk,), queue=live_worker.queue)
    generate.apply_async((document.pk,), queue=live_worker.queue)
    from core.tasks import heartbeat

    heartbeat.apply_async(kwargs={"source": "after-documents"}, queue=live_worker.queue)  # FIFO marker
    from core.models import WorkerHeartbeat

    assert live_worker.wait_for(
        lambda: WorkerHeartbeat.objects.filter(
            hostname=live_worker.hostname, last_source="after-documents"
        ).exists()
    )
    document.refresh_from_db()
    assert document.attempts == 1
    assert len(list(storage.path_of(document.file_name).parent.glob(f"{document.uid}-*"))) == 1
