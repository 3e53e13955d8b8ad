from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import WorkerHeartbeat


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
