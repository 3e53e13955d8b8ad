from celery import shared_task


@shared_task(name="workflows.fire_due_timers", ignore_result=True)
def fire_timers() -> int:
    """Escalate the waiting tasks whose deadline has passed: each gets a task of the role above, once."""
    from .flows import escalate_due_tasks

    return escalate_due_tasks()


@shared_task(name="workflows.flush_batch_documents", ignore_result=True)
def flush_batch_documents() -> int:
    """Request the batch documents a batch cut short (a lost connection, a killed process) left
    waiting for more than a minute."""
    from .services import batch_documents_flush

    return batch_documents_flush(older_than_seconds=60)
