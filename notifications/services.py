"""The one entry point: notify(Event(...)). Every notification of the system goes through it.

notify() writes the event row in the caller's transaction (so an event exists exactly when what it tells
of was committed) and, after the commit, hands it to the channels through Celery: `dispatch` resolves the
recipients, writes one in-app notification each and, by each user's preference, an e-mail sent at once
or kept for the daily digest. Nothing here needs an HTTP request: reminders run from beat.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .events import Event, EventType
from .models import DigestDelivery, EmailDelivery, EventRecord, Notification, Preference
from .recipients import recipients_of
from .rendering import event_text, render_digest, texts_of

log = logging.getLogger(__name__)
Status = EmailDelivery.Status
# The longest wait between two attempts of a send (notifications.tasks retries with backoff up to it).
RETRY_BACKOFF_MAX_SECONDS = 3600


def notify(event: Event) -> EventRecord | None:
    """Record the event and, once the transaction commits, hand it to the channels. An event with a key
    that was already recorded (a reminder already sent) is recorded once: the second call returns None."""
    fields = {
        "type": EventType(event.type),
        "dossier_id": event.dossier_id,
        "session_id": event.session_id,
        "actor_id": event.actor_id,
        "key": event.key,
        "data": event.data,
    }
    if event.key is not None:
        if EventRecord.objects.filter(key=event.key).exists():  # the sweep asks again every few minutes
            return None
        try:
            with transaction.atomic():
                record = EventRecord.objects.create(**fields)
        except IntegrityError:
            return None
    else:
        record = EventRecord.objects.create(**fields)
    transaction.on_commit(lambda: _enqueue_dispatch(record.pk), robust=True)
    return record


def _enqueue_dispatch(event_id: int) -> None:
    from .tasks import dispatch_event

    try:
        dispatch_event.delay(event_id)
    except Exception:  # the broker is down: the sweep dispatches the event later (redispatch_pending)
        log.exception("notifications: could not queue event %s; the sweep will retry", event_id)


def mode_for(user, event_type: str) -> str:
    pref = Preference.objects.filter(user=user, event_type=event_type).values_list("mode", flat=True).first()
    return pref or Preference.Mode.IMMEDIATE


def event_dispatch(*, event_id: int) -> list[int]:
    """Write the in-app notifications and e-mail deliveries of an event, once (safe to run again);
    returns the ids of the e-mails to send now."""
    with transaction.atomic():
        record = EventRecord.objects.select_for_update().get(pk=event_id)
        if record.dispatched_at is None:
            record = EventRecord.objects.select_related("dossier", "session").get(pk=event_id)
            for user in recipients_of(record):
                notification, _created = Notification.objects.get_or_create(event=record, recipient=user)
                mode = mode_for(user, record.type)
                if mode == Preference.Mode.IN_APP or not user.email:
                    continue
                EmailDelivery.objects.get_or_create(
                    notification=notification,
                    defaults={
                        "key": f"{record.pk}:{user.pk}",
                        "status": Status.DIGEST if mode == Preference.Mode.DIGEST else Status.PENDING,
                    },
                )
            texts = texts_of(record)  # rendered once here, shown in the application and mailed from it
            EventRecord.objects.filter(pk=event_id).update(dispatched_at=timezone.now(), texts=texts)
        return list(
            EmailDelivery.objects.filter(notification__event_id=event_id, status=Status.PENDING).values_list(
                "pk", flat=True
            )
        )


def _message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "localhost"
    return f"<notification.{key.replace(':', '.')}@{domain}>"


def _claim(model, pk: int):
    """Take a delivery for sending, in its own committed transaction; None when it is not to be sent (sent
    already, or interrupted while sending: never sent twice)."""
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=pk)
        if row.status == Status.SENDING:
            # A worker died between claiming and recording the result: it may have sent the message.
            row.status = Status.INTERRUPTED
            row.last_error = "interrupted while sending; not resent automatically (it may have been sent)"
            row.save(update_fields=["status", "last_error"])
            log.error("notifications: %s %s was interrupted while sending", model.__name__, pk)
            return None
        if row.status != Status.PENDING:
            return None
        row.status, row.claimed_at, row.attempts = Status.SENDING, timezone.now(), row.attempts + 1
        row.save(update_fields=["status", "claimed_at", "attempts"])
        return row


def _finish(model, pk: int, *, error: str | None = None, final: bool = False) -> None:
    if error is None:
        model.objects.filter(pk=pk).update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    else:
        model.objects.filter(pk=pk).update(
            status=Status.FAILED if final else Status.PENDING, last_error=error
        )


def email_send(*, delivery_id: int, final_attempt: bool = False) -> bool:
    """Send one notification e-mail, at most once. Returns True when it was sent by this call; raises when
    the mail server refused it (the task retries; after the last attempt the delivery is FAILED)."""
    delivery = EmailDelivery.objects.select_related(
        "notification__recipient",
        "notification__event__dossier__artisan",
        "notification__event__session__council",
    ).get(pk=delivery_id)
    if delivery.status not in (Status.PENDING, Status.SENDING):  # SENDING: _claim marks it interrupted
        return False
    user = delivery.notification.recipient
    subject, body = event_text(delivery.notification.event, language=user.language or settings.LANGUAGE_CODE)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"Message-ID": _message_id(delivery.key)},
    )
    if _claim(EmailDelivery, delivery_id) is None:
        return False
    try:
        message.send()
    except Exception as exc:
        _finish(EmailDelivery, delivery_id, error=f"{type(exc).__name__}: {exc}", final=final_attempt)
        raise
    _finish(EmailDelivery, delivery_id)
    return True


def digest_day(now: datetime | None = None) -> date:
    """The day a digest sent now covers: yesterday, in Vietnam time."""
    return timezone.localdate(now or timezone.now()) - timedelta(days=1)


def digests_prepare(*, now: datetime | None = None) -> list[int]:
    """Group every e-mail kept for the digest into one digest per user (once per day); returns the ids of
    the digests to send."""
    day = digest_day(now)
    with transaction.atomic():
        waiting = EmailDelivery.objects.filter(status=Status.DIGEST, digest__isnull=True).select_related(
            "notification"
        )
        for delivery in waiting.select_for_update(of=("self",)):
            digest, _created = DigestDelivery.objects.get_or_create(
                recipient_id=delivery.notification.recipient_id, day=day
            )
            if digest.status != Status.PENDING:  # today's digest went already: tomorrow's
                digest, _created = DigestDelivery.objects.get_or_create(
                    recipient_id=delivery.notification.recipient_id, day=day + timedelta(days=1)
                )
            delivery.digest = digest
            delivery.save(update_fields=["digest"])
    return list(
        DigestDelivery.objects.filter(status=Status.PENDING, day__lte=day).values_list("pk", flat=True)
    )


def digest_send(*, digest_id: int, final_attempt: bool = False) -> bool:
    digest = DigestDelivery.objects.select_related("recipient").get(pk=digest_id)
    if digest.status not in (Status.PENDING, Status.SENDING):
        return False
    user = digest.recipient
    items = list(
        digest.items.select_related(
            "notification__event__dossier__artisan", "notification__event__session"
        ).order_by("notification__event__created_at", "pk")
    )
    if not items or not user.email:
        DigestDelivery.objects.filter(pk=digest_id).update(status=Status.SENT, sent_at=timezone.now())
        return False
    subject, body = render_digest(
        digest.day, [i.notification.event for i in items], language=user.language or settings.LANGUAGE_CODE
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"Message-ID": _message_id(f"digest:{digest.pk}")},
    )
    if _claim(DigestDelivery, digest_id) is None:
        return False
    try:
        message.send()
    except Exception as exc:
        _finish(DigestDelivery, digest_id, error=f"{type(exc).__name__}: {exc}", final=final_attempt)
        raise
    _finish(DigestDelivery, digest_id)
    digest.items.update(status=Status.SENT, sent_at=timezone.now())
    return True


def notification_mark_read(*, notification: Notification, by) -> None:
    if notification.recipient_id != by.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, by) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, user, modes: dict[str, str]) -> None:
    for event_type, mode in modes.items():
        EventType(event_type)
        Preference.Mode(mode)
        Preference.objects.update_or_create(user=user, event_type=event_type, defaults={"mode": mode})


def stale_work(*, older_than: timedelta) -> tuple[list[int], list[int]]:
    """Events never dispatched and e-mails never sent for longer than `older_than` (the broker lost the
    task, or a worker died before taking it or while holding its retry): the sweep queues them again. A
    claim older than that is resolved by the send itself (marked interrupted, never resent)."""
    limit = timezone.now() - older_than
    retry_limit = limit - timedelta(seconds=RETRY_BACKOFF_MAX_SECONDS)
    events = list(
        EventRecord.objects.filter(dispatched_at__isnull=True, created_at__lt=limit).values_list(
            "pk", flat=True
        )
    )
    emails = list(
        EmailDelivery.objects.filter(
            Q(status=Status.PENDING, attempts=0, notification__created_at__lt=limit)
            | Q(status=Status.PENDING, attempts__gt=0, claimed_at__lt=retry_limit)
            | Q(status=Status.SENDING, claimed_at__lt=limit)
        ).values_list("pk", flat=True)
    )
    return events, emails
