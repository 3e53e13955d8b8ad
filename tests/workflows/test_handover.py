"""The relay of the outbox: a step's events are rows of its transaction, queued after the commit, which
records `handed_over_at`. What nobody queued (the broker was down, the process died after its commit) is
queued by the half-minute sweep, so it is dispatched within a minute; what is already on its way is not
queued again, however long the worker's backlog."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import tasks
from notifications.events import Event, EventType
from notifications.models import EventRecord
from notifications.services import _hand_over, notify
from workflows import services as wf


def _age(seconds: int, **filters) -> None:
    EventRecord.objects.filter(**filters).update(created_at=timezone.now() - timedelta(seconds=seconds))


@pytest.mark.django_db
def test_events_never_queued_are_queued_by_the_sweep_within_a_minute_once(
    ready, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.HANDOVER_SECONDS = 30
    dossier, officer = ready
    queued = []

    def down(event_ids):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.dispatch_events, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)  # the step commits
    lost = set(EventRecord.objects.filter(dossier=dossier).values_list("pk", flat=True))
    assert lost and not EventRecord.objects.filter(pk__in=lost, handed_over_at__isnull=False).exists()

    monkeypatch.setattr(tasks.dispatch_events, "delay", queued.extend)  # back, with a busy worker
    with django_capture_on_commit_callbacks(execute=True):
        wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    on_its_way = set(EventRecord.objects.filter(dossier=dossier).values_list("pk", flat=True)) - lost
    assert set(queued) == on_its_way
    assert EventRecord.objects.filter(pk__in=on_its_way, handed_over_at__isnull=True).count() == 0

    assert tasks.hand_over() == 0  # younger than half a minute: the hand-over may still be running
    _age(31, dossier=dossier)
    EventRecord.objects.filter(pk__in=on_its_way).update(
        handed_over_at=timezone.now() - timedelta(seconds=31)
    )
    queued.clear()
    assert tasks.hand_over() == len(lost)
    assert set(queued) == lost  # the lost ones, not those waiting in the worker's backlog
    queued.clear()
    assert tasks.hand_over() == 0 and queued == []  # not twice


@pytest.mark.django_db
def test_a_queued_event_the_broker_lost_is_queued_again_after_the_stale_time(ready, monkeypatch, settings):
    settings.NOTIFICATIONS_STALE_SECONDS = 600
    dossier, _officer = ready
    queued = []
    monkeypatch.setattr(tasks.dispatch_events, "delay", queued.extend)

    event = notify(Event(EventType.COMMENT_RECEIVED, dossier_id=dossier.pk, data={"comment_id": 1}))
    assert _hand_over([event.pk]) == [event.pk]
    queued.clear()
    _age(3600, pk=event.pk)
    EventRecord.objects.filter(pk=event.pk).update(handed_over_at=timezone.now() - timedelta(seconds=599))
    assert tasks.hand_over() == 0
    EventRecord.objects.filter(pk=event.pk).update(handed_over_at=timezone.now() - timedelta(seconds=601))
    assert tasks.hand_over() == 1 and queued == [event.pk]


class _Statements:
    """Every statement on the default connection, and a "COMMIT" line where Django commits."""

    def __init__(self, monkeypatch):
        from django.db import connection

        self.lines: list[str] = []
        commit = connection.commit

        def counted_commit():
            self.lines.append("COMMIT")
            return commit()

        monkeypatch.setattr(connection, "commit", counted_commit)
        self.wrapper = connection.execute_wrapper(self)

    def __call__(self, execute, sql, params, many, context):
        self.lines.append(sql)
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the reference data stays
def test_a_step_marks_its_events_and_document_in_one_transaction_that_does_not_wait_for_the_disk(
    ready, monkeypatch
):
    """The step commits the ordinary way; then its events and its document are queued, and both marks
    are written in one more transaction with synchronous_commit off (PostgreSQL): one wait for the disk
    per step, not three. A lost mark only makes the sweep queue the row again (the tasks are idempotent)."""
    from django.db import connection

    from documents import tasks as document_tasks
    from documents.models import GeneratedDocument

    dossier, officer = ready
    events, builds = [], []
    monkeypatch.setattr(tasks.dispatch_events, "delay", events.extend)
    monkeypatch.setattr(document_tasks.generate, "delay", builds.append)
    recorder = _Statements(monkeypatch)
    with recorder.wrapper:
        dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    lines = recorder.lines
    assert lines.count("COMMIT") == 2, lines
    step_commit = lines.index("COMMIT")
    # the marks' transaction, up to its COMMIT (the last line); SQLite's BEGIN IMMEDIATE left out
    after = [s for s in lines[step_commit + 1 : -1] if not s.startswith("BEGIN")]
    assert lines[-1] == "COMMIT"
    on_postgres = connection.vendor == "postgresql"
    assert [s.startswith("SET LOCAL synchronous_commit TO OFF") for s in after] == (
        [True, False, False] if on_postgres else [False, False]
    ), after
    assert not [s for s in lines[:step_commit] if "synchronous_commit" in s]  # the step waits for the disk
    marked = [s for s in after if s.startswith("UPDATE")]
    tables = sorted(s.split('"')[1] for s in marked)
    assert tables == ["documents_generateddocument", "notifications_eventrecord"]
    written = set(EventRecord.objects.filter(dossier=dossier).values_list("pk", flat=True))
    assert written and set(events) == written
    assert not EventRecord.objects.filter(pk__in=written, handed_over_at__isnull=True).exists()
    declaration = GeneratedDocument.objects.get(dossiers=dossier)
    assert builds == [declaration.pk] and declaration.handed_over_at is not None


@pytest.mark.django_db
def test_what_a_rolled_back_savepoint_or_a_failed_unit_asked_for_is_never_handed_over(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    from core import handover

    published = []

    def publish(ids):
        published.extend(ids)
        return ids

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic(), handover.gathered():
            handover.after_commit(publish, EventRecord, [1])
            with pytest.raises(ZeroDivisionError), transaction.atomic():
                handover.after_commit(publish, EventRecord, [2])
                raise ZeroDivisionError
            handover.after_commit(publish, EventRecord, [3])
        with pytest.raises(ZeroDivisionError), transaction.atomic(), handover.gathered():
            handover.after_commit(publish, EventRecord, [4])
            raise ZeroDivisionError
    assert published == [1, 3]


@pytest.mark.django_db
def test_a_row_the_broker_refused_stays_unmarked_while_the_others_are_marked(ready, monkeypatch):
    from core import handover

    dossier, _officer = ready
    first = notify(Event(EventType.COMMENT_RECEIVED, dossier_id=dossier.pk, data={"comment_id": 1}))
    second = notify(Event(EventType.COMMENT_RECEIVED, dossier_id=dossier.pk, data={"comment_id": 2}))
    queued = handover.hand_over(
        [(lambda ids: [], EventRecord, [first.pk]), (lambda ids: ids, EventRecord, [second.pk])]
    )
    assert queued == {EventRecord: [second.pk]}
    assert EventRecord.objects.get(pk=first.pk).handed_over_at is None
    assert EventRecord.objects.get(pk=second.pk).handed_over_at is not None


def _posted(n):
    from dossiers.models import DossierState
    from tests import factories as f
    from tests.workflows.conftest import set_state

    officer = f.officer("01")
    ready = [set_state(f.dossier("01"), DossierState.PROVINCIAL_POSTED) for _ in range(n)]
    for d in ready:
        type(d).objects.filter(pk=d.pk).update(provincial_posted_on="2025-12-26")
    return officer, ready


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the reference data stays
def test_a_batch_hands_its_steps_to_the_worker_a_few_steps_at_a_time_each_event_once(monkeypatch):
    """Each dossier of a batch commits on its own; their events go to the worker together, every
    DEFERRED_EVERY steps and at the end, so one dispatch resolves the recipients they share once."""
    from core import handover
    from documents import tasks as document_tasks

    monkeypatch.setattr(handover, "DEFERRED_EVERY", 2)
    messages, builds = [], []
    monkeypatch.setattr(tasks.dispatch_events, "delay", messages.append)
    monkeypatch.setattr(document_tasks.generate, "delay", builds.append)
    officer, ready = _posted(5)
    result = wf.dossiers_transition_batch(dossiers=ready, name="forward_to_ministry", by=officer)
    assert sorted(result.done) == sorted(d.pk for d in ready)
    written = EventRecord.objects.filter(dossier__in=ready)
    assert [len({e.dossier_id for e in EventRecord.objects.filter(pk__in=m)}) for m in messages] == [2, 2, 1]
    handed = [pk for message in messages for pk in message]
    assert sorted(handed) == sorted(written.values_list("pk", flat=True))  # each once
    assert not written.filter(handed_over_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the reference data stays
def test_a_batch_cut_short_still_hands_over_the_steps_it_committed(monkeypatch):
    from workflows.services import transitions

    messages = []
    monkeypatch.setattr(tasks.dispatch_events, "delay", messages.append)
    officer, ready = _posted(3)
    real, calls = transitions.dossier_transition, []

    def dies_at_the_third(**kwargs):
        calls.append(kwargs["dossier"].pk)
        if len(calls) == 3:
            raise RuntimeError("the process is stopped")
        return real(**kwargs)

    monkeypatch.setattr(transitions, "dossier_transition", dies_at_the_third)
    with pytest.raises(RuntimeError):
        wf.dossiers_transition_batch(dossiers=ready, name="forward_to_ministry", by=officer)
    committed = EventRecord.objects.filter(dossier__in=ready[:2])
    assert committed.count() >= 2 and not EventRecord.objects.filter(dossier=ready[2]).exists()
    assert sorted(pk for m in messages for pk in m) == sorted(committed.values_list("pk", flat=True))
    assert not committed.filter(handed_over_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_unit_inside_another_is_handed_over_with_it(django_capture_on_commit_callbacks):
    """A council's close takes a result step per dossier inside its own transaction: the steps' events
    are published together when the close commits, in one call per table."""
    from django.db import transaction

    from core import handover

    calls = []

    def publish(ids):
        calls.append(list(ids))
        return ids

    # the close's transaction, and a result step's inside it for each dossier
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic(), handover.gathered():
        for pk in (1, 2, 3):
            with transaction.atomic(), handover.gathered():
                handover.after_commit(publish, EventRecord, [pk, pk + 10])
        assert calls == []
    assert calls == [[1, 11, 2, 12, 3, 13]]
