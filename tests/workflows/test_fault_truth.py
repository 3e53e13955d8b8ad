"""A connection lost at or right after COMMIT: the caller is told what happened, every committed step
has all its events (written with it: the sweep hands them over, once), and every dossier of a batch cut
short gets its batch document. On SQLite in `make test` and on PostgreSQL in CI; the PostgreSQL run
also kills the connection for real (pg_terminate_backend) right after the commit."""

import contextlib
from datetime import date

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from documents.kinds import Kind
from documents.models import GeneratedDocument
from dossiers.models import Dossier
from dossiers.models import DossierState as S
from notifications.models import EventRecord, Notification
from notifications.services import event_dispatch
from tests import factories as f
from tests.workflows.conftest import complete_eligible_dossier, set_state
from workflows import services as wf
from workflows.models import AuditEntry, PendingBatchDocument

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class LostAcknowledgement:
    """The `nth` COMMIT from now is applied by the database, then the connection is gone before the
    caller hears of it: the caller gets an OperationalError and no after-commit work runs. With
    `kill=True` (PostgreSQL) the backend is really terminated after its commit, and the error comes
    from the next statement the process sends."""

    def __init__(self, monkeypatch, nth: int = 1, kill: bool = False):
        self.wrapper = connections["default"]
        self.real_commit = self.wrapper.commit
        self.count, self.nth, self.kill = 0, nth, kill
        monkeypatch.setattr(self.wrapper, "commit", self.commit)

    def commit(self):
        self.real_commit()
        self.count += 1
        if self.count != self.nth:
            return
        if self.kill:
            # the raw connection (no Django hooks); its own error is the point: the connection is gone
            with self.wrapper.connection.cursor() as cursor, contextlib.suppress(Exception):
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            return  # the after-commit work now meets a dead connection
        self.wrapper.run_commit_hooks_on_set_autocommit_on = False
        self.wrapper.run_on_commit = []
        raise OperationalError("server closed the connection unexpectedly")


def events_of(dossier) -> list[str]:
    return sorted(EventRecord.objects.filter(dossier=dossier).values_list("type", flat=True))


def sweep_hands_over_once():
    """What the sweep does with events never dispatched, twice: the second time does nothing new."""
    pending = list(EventRecord.objects.filter(dispatched_at__isnull=True).values_list("pk", flat=True))
    for pk in pending:
        event_dispatch(event_id=pk)
    before = Notification.objects.count()
    for pk in pending:
        event_dispatch(event_id=pk)
    assert Notification.objects.count() == before
    return pending


@pytest.fixture
def officer_client():
    dossier, officer = complete_eligible_dossier("01")
    client = Client()
    client.force_login(officer)
    return client, dossier, officer


@pytest.mark.parametrize("kill", [False, True], ids=["acknowledgement-lost", "killed-after-commit"])
def test_a_step_whose_commit_went_through_is_reported_done_with_all_its_events(
    officer_client, monkeypatch, kill
):
    if kill and connection.vendor != "postgresql":
        pytest.skip("terminating a backend needs PostgreSQL (CI runs it)")
    client, dossier, _officer = officer_client
    LostAcknowledgement(monkeypatch, kill=kill)
    response = client.post(f"/ho-so/{dossier.pk}/buoc/", {"name": "submit", "confirm": "on"}, follow=True)
    monkeypatch.undo()
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã thực hiện" in page and "chưa được ghi nhận" not in page
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED
    assert AuditEntry.objects.filter(dossier=dossier, transition="submit").count() == 1
    assert events_of(dossier)[:2] == ["dossier_state_changed", "task_assigned"]
    assert GeneratedDocument.objects.filter(dossiers=dossier, kind=Kind.FORM_02).count() == 1
    sweep_hands_over_once()
    assert Notification.objects.filter(event__dossier=dossier).exists()


def test_a_step_lost_before_its_commit_is_reported_not_done_and_can_be_taken_again(
    officer_client, monkeypatch
):
    client, dossier, _officer = officer_client
    from workflows.services import transitions

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(transitions, "tasks_follow", lost)
    response = client.post(f"/ho-so/{dossier.pk}/buoc/", {"name": "submit", "confirm": "on"}, follow=True)
    monkeypatch.undo()
    assert "chưa được ghi nhận" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == S.DRAFT and not AuditEntry.objects.exists() and not EventRecord.objects.exists()
    client.post(f"/ho-so/{dossier.pk}/buoc/", {"name": "submit", "confirm": "on"})
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED


DECISION = {"decision_number": "1234/QĐ-CTN", "decision_date": date(2026, 8, 30)}


def proposed(n):
    """A clerk and `n` dossiers proposed to the President: recording the decision is a batch step whose
    batch document (the notice of the decision) lists every dossier it was taken for."""
    f.ministry()
    clerk = f.user("ministry_clerk", f.ministry())
    ready = [set_state(f.dossier("01"), S.PROPOSED) for _ in range(n)]
    return clerk, ready


def conferral_batch(dossiers, clerk):
    return wf.dossiers_transition_batch(dossiers=dossiers, name="record_conferral", by=clerk, **DECISION)


def listed_in(kind) -> list[int]:
    return sorted(
        pk
        for document in GeneratedDocument.objects.filter(kind=kind)
        for pk in document.dossiers.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("kill", [False, True], ids=["acknowledgement-lost", "killed-after-commit"])
def test_a_batch_whose_connection_is_lost_at_the_third_dossier_says_what_was_done(monkeypatch, kill):
    if kill and connection.vendor != "postgresql":
        pytest.skip("terminating a backend needs PostgreSQL (CI runs it)")
    clerk, ready = proposed(6)
    LostAcknowledgement(monkeypatch, nth=3, kill=kill)  # the third dossier's step: one commit each
    result = conferral_batch(ready, clerk)
    monkeypatch.undo()
    assert sorted(result.done) == sorted(d.pk for d in ready) and not result.refused and not result.unknown
    assert all(Dossier.objects.get(pk=d.pk).state == S.CONFERRED for d in ready)
    # every dossier conferred is in the notice of the decision, once; nothing left waiting
    assert listed_in(Kind.DECISION_RECORD) == sorted(d.pk for d in ready)
    assert not PendingBatchDocument.objects.exists()
    for d in ready:
        assert "dossier_state_changed" in events_of(d)


def test_a_batch_cut_short_leaves_its_documents_to_the_next_batch_or_the_sweep(monkeypatch):
    """The process dies after two dossiers' steps committed and before the batch's documents were
    asked for: a retry of the others covers the first two as well, and the sweep covers a batch that
    is never retried."""
    clerk, ready = proposed(5)
    from workflows.services import transitions

    monkeypatch.setattr(transitions, "batch_documents_flush", lambda **kw: None)  # "dies" before it
    first = conferral_batch(ready[:2], clerk)
    monkeypatch.undo()
    assert len(first.done) == 2 and listed_in(Kind.DECISION_RECORD) == []
    assert PendingBatchDocument.objects.count() == 2

    conferral_batch(ready[2:4], clerk)
    assert listed_in(Kind.DECISION_RECORD) == sorted(d.pk for d in ready[:4])
    assert not PendingBatchDocument.objects.exists()

    monkeypatch.setattr(transitions, "batch_documents_flush", lambda **kw: None)
    conferral_batch(ready[4:], clerk)
    monkeypatch.undo()
    assert wf.batch_documents_flush(older_than_seconds=60) == 0  # too young: its batch may be running
    PendingBatchDocument.objects.update(created_at="2020-01-01T00:00:00Z")
    assert wf.batch_documents_flush(older_than_seconds=60) == 1
    assert listed_in(Kind.DECISION_RECORD) == sorted(d.pk for d in ready)
    assert wf.batch_documents_flush() == 0  # never twice


def test_a_documents_ready_event_is_written_with_its_completion(monkeypatch):
    from documents import services as documents
    from tests.documents import samples as s

    monkeypatch.setattr(documents, "_publish", lambda ids: [])  # recorded, not handed to the worker yet
    document = documents.document_request(kind=Kind.FORM_04, data=s.listing(), title="Danh sách")
    monkeypatch.undo()
    LostAcknowledgement(monkeypatch, nth=2)  # the first commit marks it generating; the second, done
    with pytest.raises(OperationalError):
        documents.document_generate(document_id=document.pk)
    monkeypatch.undo()
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE
    assert EventRecord.objects.filter(key=f"document:{document.pk}:done").count() == 1
