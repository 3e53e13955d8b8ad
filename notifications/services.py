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
from django.db.models import F, Q
from django.utils import timezone

from core import handover
from core.expressions import ValueByKey

from .events import Event, EventType
from .models import DigestDelivery, EmailDelivery, EventRecord, Notification, Preference
from .recipients import recipients_of, shared_holders
from .rendering import event_text, render_digest, render_footer, texts_of

log = logging.getLogger(__name__)
Status = EmailDelivery.Status
# The longest wait between two attempts of a send (notifications.tasks retries with backoff up to it).
RETRY_BACKOFF_MAX_SECONDS = 3600


def notify(event: Event, *, dossier=None, session=None) -> EventRecord | None:
    """Record the event and, once the transaction commits, hand it to the channels. An event with a key
    that was already recorded (a reminder already sent) is recorded once: the second call returns None.

    The names its text shows (the artisan's, the council's) are kept in its data now, so that the
    dispatch does not read them again: taken from `dossier` (with its artisan) and `session` (with its
    council) when the caller has them in memory, else read here in one query each."""
    fields = _fields(event, dossier=dossier, session=session)
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
    handover.after_commit(_publish, EventRecord, [record.pk])
    return record


def notify_new(events: list[Event], *, dossier=None) -> list[EventRecord]:
    """Record several events in one INSERT, each handed to the channels after the commit. For events that
    cannot have been recorded before: no key, or a key naming something created in the same transaction
    (the task a step opens). A step's notices go through here; anything else that may repeat uses notify().
    """
    records = EventRecord.objects.bulk_create([EventRecord(**_fields(e, dossier=dossier)) for e in events])
    handover.after_commit(_publish, EventRecord, [r.pk for r in records])
    return records


def _fields(event: Event, *, dossier=None, session=None) -> dict:
    """The EventRecord columns of an event, with the names its text shows."""
    return {
        "type": EventType(event.type),
        "dossier_id": event.dossier_id,
        "session_id": event.session_id,
        "actor_id": event.actor_id,
        "key": event.key,
        "data": {**event.data, **_names(event, dossier=dossier, session=session)},
    }


def _names(event: Event, *, dossier=None, session=None) -> dict[str, str]:
    """The artisan's and the council's names for the event's text (rendering.NAME_KEYS)."""
    from councils.models import Council
    from dossiers.models import Dossier

    names = {}
    if event.dossier_id is not None and "artisan_name" not in event.data:
        given = dossier is not None and dossier.pk == event.dossier_id
        if given and type(dossier).artisan.is_cached(dossier):
            names["artisan_name"] = dossier.artisan.full_name
            names["dossier_code"] = dossier.code
        else:  # the name only: the rest of the artisan's row is not read (nor decrypted)
            row = (
                Dossier.objects.filter(pk=event.dossier_id).values_list("artisan__full_name", "code").first()
            )
            names["artisan_name"], names["dossier_code"] = row or ("", "")
    if event.session_id is not None and "council_name" not in event.data:
        given = session is not None and session.pk == event.session_id
        if given and type(session).council.is_cached(session):
            names["council_name"] = session.council.name
        else:
            name = Council.objects.filter(sessions__pk=event.session_id).values_list("name", flat=True)
            names["council_name"] = name.first() or ""
    return names


# Events handed over in one message at most (a sweep may find thousands).
HANDOVER_CHUNK = 100


def _enqueue_dispatch(event_ids: list[int]) -> bool:
    """Queue one dispatch of these events (a step's events travel together: one message, one task)."""
    from .tasks import dispatch_events

    try:
        dispatch_events.delay(event_ids)
    except Exception:  # the broker is down: the hand-over sweep queues the events within a minute
        log.exception("notifications: could not queue events %s; the sweep will retry", event_ids)
        return False
    return True


def _publish(event_ids: list[int]) -> list[int]:
    """Queue the events for dispatch, a step's together (in chunks of HANDOVER_CHUNK); returns those
    queued. Marking them is core.handover's (one UPDATE with the rest of the commit's marks)."""
    queued = []
    for start in range(0, len(event_ids), HANDOVER_CHUNK):
        chunk = list(event_ids[start : start + HANDOVER_CHUNK])
        if _enqueue_dispatch(chunk):
            queued += chunk
    return queued


def _hand_over(event_ids: list[int]) -> list[int]:
    """Queue the events now and record which were queued: an event left without `handed_over_at` was
    never queued, and `events_waiting` finds it within a minute. A failure here is logged, never raised:
    what the events tell of has committed (the sweep's way; a step's events go through after_commit)."""
    return handover.hand_over([(_publish, EventRecord, list(event_ids))]).get(EventRecord, [])


def events_waiting(*, handover_after: timedelta, lost_after: timedelta) -> list[int]:
    """Events not dispatched that nobody queued for longer than `handover_after` (the process died
    between its commit and the hand-over, or the broker was down), or that were queued longer than
    `lost_after` ago (the broker lost the message, or the backlog is that long)."""
    now = timezone.now()
    return list(
        EventRecord.objects.filter(dispatched_at__isnull=True)
        .filter(
            Q(handed_over_at__isnull=True, created_at__lt=now - handover_after)
            | Q(handed_over_at__lt=now - lost_after)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def modes_for(users, event_type: str) -> dict[int, str]:
    """Each user's chosen delivery of `event_type` (the event's default unless they chose otherwise), by
    user id, in one query."""
    chosen = dict(
        Preference.objects.filter(user__in=[u.pk for u in users], event_type=event_type).values_list(
            "user_id", "mode"
        )
    )
    default = Preference.default_for(event_type)
    return {u.pk: chosen.get(u.pk, default) for u in users}


def event_dispatch(*, event_id: int) -> list[int]:
    """Write the in-app notifications and e-mail deliveries of an event, once (safe to run again);
    returns the ids of the e-mails to send now.

    The same number of statements whatever the number of recipients: the event row once (locked, with
    its dossier and its session's council), the recipients (recipients_of), their preferences in one
    query, the notifications in one insert (the unique (event, recipient) pair skips those written by an
    earlier, interrupted run) and read back in one query, the e-mail deliveries in one insert (their
    unique key likewise), the event marked dispatched, the e-mails to send."""
    return events_dispatch(event_ids=[event_id])


def events_dispatch(*, event_ids: list[int]) -> list[int]:
    """`event_dispatch` for several events at once (a step's: its state change and its new task), in one
    transaction: the rows locked together, each event's recipients resolved as for one, and then every
    notification in one insert, read back in one query, every e-mail delivery in one insert, the events
    marked dispatched with their texts in one update. Safe to run again (events dispatched already are
    skipped; the unique keys skip rows an interrupted run wrote). Returns the e-mails to send now."""
    with transaction.atomic():
        records = list(
            EventRecord.objects.select_for_update(of=("self",))
            .select_related("dossier", "session__council")
            .filter(pk__in=event_ids, dispatched_at__isnull=True)
            .order_by("pk")
        )
        if records:
            with shared_holders():  # a role's holders in a scope read once for all these events
                told = [(record, recipients_of(record)) for record in records]
            _write_deliveries_of(told)
            # each event its own texts, all in one UPDATE (the mapping sent once, not a CASE per row)
            texts = {record.pk: texts_of(record) for record in records}
            EventRecord.objects.filter(pk__in=list(texts)).update(
                texts=ValueByKey(texts), dispatched_at=timezone.now()
            )
        return list(
            EmailDelivery.objects.filter(
                notification__event_id__in=event_ids, status=Status.PENDING
            ).values_list("pk", flat=True)
        )


def _write_deliveries_of(told: list[tuple[EventRecord, list]]) -> None:
    """The notifications and e-mail deliveries of several events, each table in one insert."""
    told = [(record, users) for record, users in told if users]
    if not told:
        return
    modes = {}
    for event_type in {record.type for record, _users in told}:
        users = {u.pk: u for record, group in told if record.type == event_type for u in group}
        modes[event_type] = modes_for(list(users.values()), event_type)
    Notification.objects.bulk_create(
        [Notification(event=record, recipient=u) for record, users in told for u in users],
        ignore_conflicts=True,
    )
    notification_ids = {
        (event_id, recipient_id): pk
        for event_id, recipient_id, pk in Notification.objects.filter(
            event__in=[record for record, _users in told]
        ).values_list("event_id", "recipient_id", "pk")
    }
    deliveries = [
        EmailDelivery(
            notification_id=notification_ids[(record.pk, u.pk)],
            key=f"{record.pk}:{u.pk}",
            status=Status.DIGEST if modes[record.type][u.pk] == Preference.Mode.DIGEST else Status.PENDING,
        )
        for record, users in told
        for u in users
        if modes[record.type][u.pk] != Preference.Mode.IN_APP and u.email
    ]
    if deliveries:
        EmailDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)


def _message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "localhost"
    return f"<notification.{key.replace(':', '.')}@{domain}>"


def _claim(model, pk: int) -> bool:
    """Take a delivery for sending, in one committed statement; False when it is not to be sent (sent
    already, or interrupted while sending: never sent twice)."""
    if model.objects.filter(pk=pk, status=Status.PENDING).update(
        status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    ):
        return True
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is not None and row.status == Status.SENDING:
            # A worker died between claiming and recording the result: it may have sent the message.
            row.status = Status.INTERRUPTED
            row.last_error = "interrupted while sending; not resent automatically (it may have been sent)"
            row.save(update_fields=["status", "last_error"])
            log.error("notifications: %s %s was interrupted while sending", model.__name__, pk)
    return False


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
    delivery = _deliveries([delivery_id]).first()
    if delivery is None or delivery.status not in (Status.PENDING, Status.SENDING):
        return False  # SENDING: _claim marks it interrupted
    return _send_claimed(EmailDelivery, delivery_id, _message_of(delivery), final_attempt=final_attempt)


def _send_claimed(model, pk: int, message, *, final_attempt: bool) -> bool:
    """Claim the delivery, send its message, record the result: at most once. False when it is not to
    be sent; raises (after recording the error) when the mail server refused it."""
    if not _claim(model, pk):
        return False
    try:
        message.send()
    except Exception as exc:
        _finish(model, pk, error=f"{type(exc).__name__}: {exc}", final=final_attempt)
        raise
    _finish(model, pk)
    return True


def emails_send(*, delivery_ids: list[int]) -> tuple[list[int], list[int]]:
    """Send several notification e-mails (an event's, a step's) over one connection to the mail server,
    each at most once: each is claimed, sent and recorded on its own, as `email_send` does, so a process
    dying in the middle leaves one e-mail "interrupted" at most and the others sent or still pending.
    Returns (sent, refused): the refused are left PENDING with the server's error, for a send of their
    own with its retries (`notifications.tasks._send_now`). A connection that breaks is opened again for
    the next e-mail."""
    from django.core.mail import get_connection

    sent, refused = [], []
    deliveries = {d.pk: d for d in _deliveries(delivery_ids)}
    mailer = None
    try:
        for delivery_id in delivery_ids:
            delivery = deliveries.get(delivery_id)
            if delivery is None or delivery.status not in (Status.PENDING, Status.SENDING):
                continue
            message = _message_of(delivery)
            if not _claim(EmailDelivery, delivery_id):
                continue
            try:
                if mailer is None:
                    mailer = get_connection(fail_silently=False)
                    mailer.open()
                message.connection = mailer
                message.send()
            except Exception as exc:
                _finish(EmailDelivery, delivery_id, error=f"{type(exc).__name__}: {exc}")
                refused.append(delivery_id)
                mailer = _closed(mailer)
                continue
            _finish(EmailDelivery, delivery_id)
            sent.append(delivery_id)
    finally:
        _closed(mailer)
    return sent, refused


def _closed(mailer) -> None:
    if mailer is not None:
        try:
            mailer.close()
        except Exception:  # a connection already broken: nothing to close
            log.debug("notifications: closing a broken mail connection", exc_info=True)
    return None


def _deliveries(delivery_ids: list[int]):
    return EmailDelivery.objects.select_related(
        "notification__recipient",
        "notification__event__dossier__artisan",
        "notification__event__session__council",
    ).filter(pk__in=delivery_ids)


def _message_of(delivery: EmailDelivery) -> EmailMultiAlternatives:
    user = delivery.notification.recipient
    language = user.language or settings.LANGUAGE_CODE
    subject, body = event_text(delivery.notification.event, language=language)
    body = body + "\n" + render_footer(delivery.notification.event, language=language)
    return EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"Message-ID": _message_id(delivery.key)},
    )


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
    if not _send_claimed(DigestDelivery, digest_id, message, final_attempt=final_attempt):
        return False
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


def emails_waiting(*, older_than: timedelta) -> list[int]:
    """E-mails never sent for longer than `older_than` (the broker lost the task, or a worker died before
    taking it or while holding its retry): the reminder sweep queues them again. A claim older than that
    is resolved by the send itself (marked interrupted, never resent). Events waiting are the hand-over
    sweep's (`events_waiting`)."""
    limit = timezone.now() - older_than
    retry_limit = limit - timedelta(seconds=RETRY_BACKOFF_MAX_SECONDS)
    return list(
        EmailDelivery.objects.filter(
            Q(status=Status.PENDING, attempts=0, notification__created_at__lt=limit)
            | Q(status=Status.PENDING, attempts__gt=0, claimed_at__lt=retry_limit)
            | Q(status=Status.SENDING, claimed_at__lt=limit)
        ).values_list("pk", flat=True)
    )
