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
