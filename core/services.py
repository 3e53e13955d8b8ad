from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import ActionRecord, WorkerHeartbeat


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
