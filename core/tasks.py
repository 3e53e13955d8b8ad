from celery import shared_task

from .services import heartbeat_record, rate_counters_prune


@shared_task(name="core.heartbeat", bind=True, ignore_result=True)
def heartbeat(self, source: str = "manual") -> None:
    """Sent when a worker starts and every minute by beat; the health page reads what it records."""
    heartbeat_record(hostname=self.request.hostname or "eager", source=source)


@shared_task(name="core.rate_counters_prune", ignore_result=True)
def rate_counters_prune_task() -> None:
    """Daily: the counters of the rate limits are needed only for their window."""
    rate_counters_prune()
