"""Faults: a database error in the middle of a transition leaves no partial change (state, viewflow tasks,
audit entry, document request, number register), through the service and through the web page; and a
worker killed in the middle of building a document does not lose it or build it twice."""

import signal
import stat
import time

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from viewflow.workflow.models import Task

import documents.services as document_services
import workflows.document_requests as document_requests
import workflows.services.transitions as workflow_services
from documents import storage
from documents.models import GeneratedDocument, NumberRegister
from notifications.models import EventRecord
from tests.workflows.conftest import complete_eligible_dossier
from workflows.models import AuditEntry


def everything(dossier) -> tuple:
    dossier.refresh_from_db()
    return (
        dossier.state,
        tuple(Task.objects.order_by("pk").values_list("pk", "status", "flow_task")),
        AuditEntry.objects.count(),
        tuple(GeneratedDocument.objects.values_list("pk", "status")),
        tuple(NumberRegister.objects.values_list("pk", "last_number")),
        EventRecord.objects.count(),
    )


def failing_after(real):
    """The real step runs (its writes reach the database), then the connection 'fails'."""

    def step(*args, **kwargs):
        real(*args, **kwargs)
        raise DatabaseError("server closed the connection unexpectedly")

    return step


FAULTS = {
    "after the viewflow task step": (workflow_services, "tasks_follow", "submit"),
    "after the documents are requested": (document_requests, "declaration_request", "submit"),
    "after a number is taken from the register": (document_services, "number_take", "return_for_supplement"),
    "after the document row is written": (document_services, "_queue", "return_for_supplement"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("where", sorted(FAULTS))
def test_a_database_error_in_the_middle_of_a_transition_leaves_no_partial_change(where, monkeypatch):
    dossier, officer = complete_eligible_dossier()
    module, name, transition = FAULTS[where]
    extra = {}
    if transition == "return_for_supplement":  # a numbered letter: from a submitted dossier
        workflow_services.dossier_transition(name="submit", dossier=dossier, by=officer)
        dossier.refresh_from_db()
        extra = {"on": timezone.localdate()}
    before = everything(dossier)

    def step():
        return workflow_services.dossier_transition(
            dossier=dossier, name=transition, by=officer, reason="Thiếu bản sao giấy chứng nhận", **extra
        )

    with monkeypatch.context() as patch:
        patch.setattr(module, name, failing_after(getattr(module, name)))
        with pytest.raises(DatabaseError):
            step()
    assert everything(dossier) == before
    # the same step, taken again once the database is back, happens once
    step()
    assert everything(dossier)[0] != before[0]
    assert AuditEntry.objects.filter(dossier=dossier, transition=transition).count() == 1


@pytest.mark.django_db
def test_a_database_error_behind_the_page_says_the_step_was_not_recorded_and_saves_nothing(monkeypatch):
    """The connection fails in the middle of the step: the page asks the database (on a new connection)
    whether the step was recorded, and says it was not, so the officer may take it again."""
    dossier, officer = complete_eligible_dossier()
    before = everything(dossier)
    monkeypatch.setattr(workflow_services, "tasks_follow", failing_after(workflow_services.tasks_follow))
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.post(f"/ho-so/{dossier.pk}/buoc/", {"name": "submit", "confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert "bước xử lý chưa được ghi nhận" in response.content.decode()
    assert everything(dossier) == before


@pytest.mark.worker
def test_a_worker_killed_while_building_a_document_is_replaced_and_the_document_built_once(
    worker_factory, tmp_path, monkeypatch
):
    """The first worker is killed in the middle of the task (while the PDF converter runs: a stand-in
    that never returns); beat's sweep queues the document again and the next worker builds it once."""
    from documents.kinds import Kind
    from documents.services import document_request, documents_requeue_stale
    from documents.tasks import generate
    from tests.documents import samples as s

    marker = tmp_path / "converter-started"
    converter = tmp_path / "soffice"
    converter.write_text(f"#!/bin/sh\ntouch {marker}\nsleep 600\n")
    converter.chmod(converter.stat().st_mode | stat.S_IXUSR)

    first = worker_factory(env={"DOCUMENTS_SOFFICE": str(converter)})
    # the application queues on the default queue; these workers read the test's own queue
    monkeypatch.setattr(generate, "delay", lambda pk: generate.apply_async((pk,), queue=first.queue))
    document = document_request(kind=Kind.FORM_05, data=s.minutes(), title="Biên bản")
    number = (document.number, document.number_text)
    assert first.wait_for(marker.exists, timeout=90), first.log.read_text()[-3000:]
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=20)
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.GENERATING and not document.file_name

    second = worker_factory(queue=first.queue)  # the same queue, without the stand-in converter
    time.sleep(1.1)
    assert documents_requeue_stale(older_than_seconds=1) == [document.pk]  # what beat runs every 5 min

    def done():
        document.refresh_from_db()
        return document.status == GeneratedDocument.Status.DONE

    assert second.wait_for(done, timeout=90), second.log.read_text()[-3000:]
    assert (document.number, document.number_text) == number  # the same number, none taken again
    assert document.attempts >= 2  # the killed attempt counts; a redelivered message may add one
    assert storage.sha256_of(document.file_name) == document.sha256
    assert GeneratedDocument.objects.filter(kind=Kind.FORM_05).count() == 1
