from celery.signals import worker_ready


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
