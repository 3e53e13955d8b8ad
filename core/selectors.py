from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import WorkerHeartbeat


@dataclass(frozen=True)
class Health:
    database_ok: bool
    worker_ok: bool
    worker_last_seen: datetime | None

    @property
    def ok(self) -> bool:
        return self.database_ok and self.worker_ok


def system_health() -> Health:
    """Is the database reachable, and has a worker consumed a heartbeat task recently?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    except Exception:
        return Health(database_ok=False, worker_ok=False, worker_last_seen=None)
    max_age = timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS)
    worker_ok = last is not None and timezone.now() - last <= max_age
    return Health(database_ok=True, worker_ok=worker_ok, worker_last_seen=last)
