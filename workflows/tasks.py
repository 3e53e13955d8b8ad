from celery import shared_task
from viewflow.workflow.timers import fire_due_timers


@shared_task(name="workflows.fire_due_timers", ignore_result=True)
def fire_timers() -> int:
    """Fire the deadlines that have passed: each creates the escalation task of its dossier step."""
    return fire_due_timers()
