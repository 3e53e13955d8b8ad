import logging
import time

from celery.signals import task_postrun, worker_ready

logger = logging.getLogger(__name__)


@worker_ready.connect
def send_startup_heartbeat(sender=None, **kwargs) -> None:
    """A worker proves at start-up that it consumes tasks: it queues a heartbeat to itself."""
    from .tasks import heartbeat

    heartbeat.apply_async(kwargs={"source": "startup"}, queue=_first_queue(sender))


def _first_queue(consumer) -> str | None:
    try:
        return next(iter(consumer.task_consumer.queues)).name
    except Exception:
        return None


# A worker busy with a long queue proves it consumes by the tasks it finishes, not only by a heartbeat
# task waiting behind them: each worker process records its consumption at most this often.
CONSUMED_RECORD_SECONDS = 15
_last_recorded = 0.0


@task_postrun.connect
def record_consumption(sender=None, task=None, **kwargs) -> None:
    global _last_recorded
    request = getattr(task, "request", None)
    if request is None or request.is_eager or getattr(task, "name", "") == "core.heartbeat":
        return
    now = time.monotonic()
    if now - _last_recorded < CONSUMED_RECORD_SECONDS:
        return
    _last_recorded = now
    try:
        from .services import heartbeat_record

        heartbeat_record(hostname=request.hostname or "worker", source="task")
    except Exception:  # the health page's evidence only: never fail the task over it
        logger.exception("could not record the worker's consumption")
