import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import ActionRecord, RateCounter, WorkerHeartbeat


@transaction.atomic
def heartbeat_record(*, hostname: str, source: str) -> WorkerHeartbeat:
    """Record that `hostname` just consumed a heartbeat task."""
    now = timezone.now()
    beat, created = WorkerHeartbeat.objects.select_for_update().get_or_create(
        hostname=hostname, defaults={"last_seen": now, "last_source": source, "beats": 1}
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(
            last_seen=now, last_source=source, beats=F("beats") + 1
        )
        beat.refresh_from_db()
    return beat


def action_record(
    *, action: str, obj, summary: str, by, reason: str = "", data: dict | None = None
) -> ActionRecord:
    """Write the record of an administrative act, in the caller's transaction (call it inside the
    service's `transaction.atomic`, after the change, so the act and its record commit together)."""

    return ActionRecord.objects.create(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary,
        reason=(reason or "").strip(),
        data=data or {},
        actor=by if getattr(by, "is_authenticated", False) else None,
    )


def action_records_of(obj):
    """The history of one object, oldest first."""

    return ActionRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def _window_start(now, seconds: int):
    """The start of the fixed window holding `now`; windows of whole days start at local midnight."""
    local = timezone.localtime(now)
    offset = int(local.utcoffset().total_seconds())
    stamp = int(now.timestamp()) + offset
    return datetime.fromtimestamp(stamp - stamp % seconds - offset, tz=UTC)


def rate_take(*, scope: str, subject: str, limit: int, window_seconds: int) -> bool:
    """Take one use of a limited action for `subject` in the current window: True when taken, False when
    the limit is reached (nothing taken). Call it inside the transaction that does the action: the
    counter's row is locked until that transaction ends, so parallel takes never exceed the limit, and a
    rolled-back action gives its use back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rate_take must run inside the action's transaction")
    key = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{subject}".encode(), hashlib.sha256).hexdigest()
    start = _window_start(timezone.now(), window_seconds)
    RateCounter.objects.bulk_create(
        [RateCounter(key=key, window_start=start, count=0)], ignore_conflicts=True
    )
    counter = RateCounter.objects.select_for_update().get(key=key, window_start=start)
    if counter.count >= limit:
        return False
    RateCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    return True


def rate_counters_prune(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Delete the counters of windows that ended long ago (beat runs it daily)."""
    deleted, _per_model = RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
