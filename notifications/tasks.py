"""Thin Celery tasks over the services. Each is idempotent (the delivery row says whether the message
went), acknowledged late (settings: CELERY_TASK_ACKS_LATE), and retried with exponential backoff; after
the last attempt the delivery is FAILED, which the administrator sees in the admin
(Notifications › E-mail deliveries, filtered by status) and in the worker's log."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from kombu.exceptions import OperationalError

from . import services

log = logging.getLogger(__name__)
RETRY = {
    "max_retries": 5,
    "retry_backoff": 30,
    "retry_backoff_max": services.RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
}
# A send queued by a worker while the broker is away waits for it (this long at most) rather than being
# left to the sweep: the worker can do nothing else without a broker, and the e-mail goes when it is back.
HANDOVER_WAIT_SECONDS = 60


@shared_task(
    name="notifications.dispatch_event", bind=True, acks_late=True, autoretry_for=(Exception,), **RETRY
)
def dispatch_event(self, event_id: int) -> int:
    """Hand one event to the channels: in-app rows, then the e-mails of those to tell now."""
    ids = services.event_dispatch(event_id=event_id)
    _send_now(ids)
    return len(ids)


@shared_task(
    name="notifications.dispatch_events", bind=True, acks_late=True, autoretry_for=(Exception,), **RETRY
)
def dispatch_events(self, event_ids: list[int]) -> int:
    """Hand the events of one step (or of a batch's steps, or of one sweep's chunk) to the channels in
    one transaction (`events_dispatch`), then send the e-mails of those to tell now (`_send_now`);
    idempotent, so a retry of the message redoes nothing already done."""
    try:
        ids = services.events_dispatch(event_ids=list(event_ids))
    except Exception:
        if len(event_ids) < 2:
            raise
        # one event's trouble must not hold the others back: each on its own, then the first error
        log.exception("notifications: events %s failed together; dispatching each alone", event_ids)
        ids, failed = [], None
        for event_id in event_ids:
            try:
                ids += services.event_dispatch(event_id=event_id)
            except Exception as exc:
                failed = failed or exc
        _send_now(ids)
        if failed is not None:
            raise failed from None  # retried: what was dispatched is skipped then
        return len(ids)
    _send_now(ids)
    return len(ids)


def _send_now(delivery_ids: list[int]) -> None:
    """The e-mails a dispatch wrote, sent by the same task over one connection to the mail server
    (`services.emails_send`: each claimed, sent and recorded on its own). One the server refused goes
    on to `send_email`, which retries it alone, counting this try as its first. If the database fails
    half-way the task is retried: the dispatch is done already, and the e-mails still pending are sent
    then (a claimed one whose send was cut short is never sent twice)."""
    if not delivery_ids:
        return
    _sent, refused = services.emails_send(delivery_ids=delivery_ids)
    for delivery_id in refused:
        try:
            send_email.apply_async((delivery_id,), countdown=_backoff(0), retries=1)
        except Exception:  # left PENDING: the reminder sweep queues it again
            log.exception("notifications: could not queue the retry of e-mail %s", delivery_id)


def _queue(task, *args) -> None:
    """Queue one send; if that fails the delivery stays PENDING and the sweep queues it again, so one
    message's trouble never repeats the others' (nor the dispatch)."""
    deadline = time.monotonic() + HANDOVER_WAIT_SECONDS
    while True:
        try:
            task.delay(*args)
            return
        except OperationalError:  # the broker cannot be reached
            if time.monotonic() < deadline:
                time.sleep(1)
                continue
            log.exception("notifications: could not queue %s%s; the sweep will retry", task.name, args)
            return
        except Exception:
            log.exception("notifications: could not queue %s%s; the sweep will retry", task.name, args)
            return


@shared_task(name="notifications.send_email", bind=True, acks_late=True, **RETRY)
def send_email(self, delivery_id: int) -> bool:
    final = self.request.retries >= self.max_retries
    try:
        return services.email_send(delivery_id=delivery_id, final_attempt=final)
    except Exception as exc:
        if final:
            log.error("notifications: e-mail delivery %s failed for good: %s", delivery_id, exc)
            return False
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(name="notifications.send_digest", bind=True, acks_late=True, **RETRY)
def send_digest(self, digest_id: int) -> bool:
    final = self.request.retries >= self.max_retries
    try:
        return services.digest_send(digest_id=digest_id, final_attempt=final)
    except Exception as exc:
        if final:
            log.error("notifications: digest %s failed for good: %s", digest_id, exc)
            return False
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(name="notifications.daily_digest", acks_late=True)
def daily_digest() -> int:
    ids = services.digests_prepare()
    for digest_id in ids:
        _queue(send_digest, digest_id)
    return len(ids)


@shared_task(name="notifications.reminder_sweep", acks_late=True)
def reminder_sweep() -> int:
    """Every reminder and escalation that is due (each one once: its event key), then the e-mails a lost
    task left waiting (events left waiting are `hand_over`'s)."""
    from .reminders import reminders_run

    count = reminders_run()
    emails = services.emails_waiting(older_than=timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS))
    for delivery_id in emails:
        _queue(send_email, delivery_id)
    return count


@shared_task(name="notifications.hand_over", acks_late=True)
def hand_over() -> int:
    """Beat, every half minute: queue the events that were committed but never queued (a process died
    after its commit, or the broker was down), so that they are dispatched within a minute."""
    events = services.events_waiting(
        handover_after=timedelta(seconds=settings.HANDOVER_SECONDS),
        lost_after=timedelta(seconds=settings.NOTIFICATIONS_STALE_SECONDS),
    )
    return len(services._hand_over(events))


def _backoff(retries: int) -> int:
    return min(RETRY["retry_backoff"] * (2**retries), RETRY["retry_backoff_max"])
