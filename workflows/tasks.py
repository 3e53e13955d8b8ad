from celery import shared_task
from viewflow.workflow.timers import fire_due_timers


@shared_task(name="workflows.fire_due_timers", ignore_result=True)
def fire_timers() -> int:
    """Fire the deadlines that have passed: each creates the escalation task of its dossier step."""
    return fire_due_timers()


@shared_task(name="workflows.flush_batch_documents", ignore_result=True)
def flush_batch_documents() -> int:
    """Request the batch documents a batch cut short (a lost connection, a killed process) left
    waiting for more than a minute."""
    from .services import batch_documents_flush

    return batch_documents_flush(older_than_seconds=60)
