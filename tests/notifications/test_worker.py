"""With a real worker (the server-less broker in `make test`, Redis in CI): an event gives exactly one
e-mail per recipient, and a worker killed in the middle of a send and restarted does not send it twice."""

import re
import signal
import time

import pytest

from config.celery import app
from notifications.events import Event, EventType
from notifications.models import EmailDelivery, EventRecord
from notifications.services import notify
from notifications.tasks import dispatch_event, reminder_sweep
from tests.notifications.conftest import People

pytestmark = pytest.mark.worker


@pytest.fixture
def mail_worker(worker_factory, tmp_path):
    """Start workers on one queue, e-mail written to files in `mail_worker.dir`; tasks sent by the test
    go to that queue too."""
    import uuid

    queue = f"test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue

    def start(**env):
        return worker_factory(
            queue=queue,
            settings_module="tests.notifications.worker_settings",
            env={"TEST_MAIL_DIR": str(mail_dir), "TEST_QUEUE": queue, **env},
        )

    start.dir, start.queue = mail_dir, queue
    yield start
    app.conf.task_default_queue = previous


def recipients_mailed(mail_dir) -> list[str]:
    found = []
    for path in mail_dir.iterdir():
        found += re.findall(r"^To: (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    return sorted(found)


def state_changed(dossier):
    return Event(
        EventType.DOSSIER_STATE_CHANGED,
        dossier_id=dossier.pk,
        data={"from_state": "submitted", "to_state": "forwarded", "reason": ""},
    )


def all_settled(record):
    def check():
        statuses = set(
            EmailDelivery.objects.filter(notification__event=record).values_list("status", flat=True)
        )
        return bool(statuses) and statuses <= {"sent", "interrupted", "failed"}

    return check


def test_an_event_gives_exactly_one_email_per_recipient(mail_worker):
    from tests import factories as f

    people = People()
    people.mail_state_changes_at_once()
    dossier = f.dossier("01")
    worker = mail_worker()
    record = notify(state_changed(dossier))  # no transaction open: handed to the worker at once
    assert worker.wait_for(all_settled(record)), worker.log.read_text()[-3000:]
    expected = sorted([people.officer.email, people.officer_en.email, people.clerk.email])
    assert recipients_mailed(mail_worker.dir) == expected

    dispatch_event.delay(record.pk)  # the same event handed over again (a redelivery)
    reminder_sweep.delay()
    time.sleep(3)
    assert worker.wait_for(lambda: not EventRecord.objects.filter(dispatched_at__isnull=True).exists())
    assert recipients_mailed(mail_worker.dir) == expected
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_worker_killed_in_the_middle_of_a_send_and_restarted_does_not_send_it_twice(mail_worker, tmp_path):
    from tests import factories as f

    people = People()
    people.mail_state_changes_at_once()
    dossier = f.dossier("01")
    marker = tmp_path / "paused"
    first = mail_worker(PAUSE_AFTER_SEND="1", PAUSE_MARKER=str(marker))
    record = notify(state_changed(dossier))

    # the first e-mail is written, and the worker stops before it records that it sent it
    assert first.wait_for(marker.exists, timeout=90), first.log.read_text()[-3000:]
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=20)
    assert len(recipients_mailed(mail_worker.dir)) == 1
    assert EmailDelivery.objects.filter(notification__event=record, status="sending").count() == 1

    second = mail_worker()  # restarted, without the pause
    time.sleep(2)  # older than NOTIFICATIONS_STALE_SECONDS: the sweep takes up what the dead worker left
    reminder_sweep.delay()
    assert second.wait_for(all_settled(record), timeout=90), second.log.read_text()[-3000:]

    mailed = recipients_mailed(mail_worker.dir)
    assert mailed == sorted([people.officer.email, people.officer_en.email, people.clerk.email])  # once each
    statuses = sorted(
        EmailDelivery.objects.filter(notification__event=record).values_list("status", flat=True)
    )
    assert statuses == ["interrupted", "sent", "sent"]  # the interrupted one is shown to the administrator
