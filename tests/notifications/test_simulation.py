"""simulate_round reports the notification rows its round really created (committed transitions, as in
a real run: each event dispatched after its commit)."""

import io
import json

import pytest
from django.core.management import call_command

from notifications.models import EventRecord, Notification


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simulate_round_counts_the_notifications_it_created():
    out = io.StringIO()
    call_command(
        "simulate_round",
        "--provinces",
        "2",
        "--dossiers-per-province",
        "3",
        "--seed",
        "5",
        "--json",
        "--allow-without-debug",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["notifications"] == Notification.objects.count() > report["dossiers"]
    changed = EventRecord.objects.filter(type="dossier_state_changed").count()
    assert changed == report["transitions"]  # one event per transition, none lost
    assert not EventRecord.objects.filter(dispatched_at__isnull=True).exists()
