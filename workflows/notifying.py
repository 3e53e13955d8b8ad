"""What the procedure tells: every step (its declared event), the task it opens, and the posting it
starts; through notifications.notify (the one entry point). Connected to `dossier_state_changed` in
WorkflowsConfig.ready; it runs inside the step's transaction, with the locked dossier and the viewflow
task the step opened passed in the signal (nothing is read again)."""

from __future__ import annotations

from datetime import datetime

from dossiers.models import Dossier
from dossiers.rulebook.selectors import rules_for_round
from notifications.events import Event, EventType
from notifications.services import notify

from .flows import waiting_task
from .guards import posting_last_day
from .reminders import last_day_of
from .steps import Step
from .transitions import step_of


def on_dossier_state_changed(
    sender,
    *,
    dossier_id,
    dossier: Dossier | None = None,
    task=None,
    transition,
    from_state,
    to_state,
    actor_id=None,
    reason="",
    step: Step | None = None,
    **kwargs,
) -> None:
    step = step or step_of(transition)
    state = {"transition": transition, "from_state": from_state, "to_state": to_state}
    notify(
        Event(
            step.event,
            dossier_id=dossier_id,
            actor_id=actor_id,
            data={**state, "reason": reason, "audit_entry_id": kwargs.get("audit_entry_id")},
        )
    )
    if dossier is None:  # a sender without the locked dossier: read it, and its waiting task
        dossier = Dossier.objects.select_related("round").get(pk=dossier_id)
        task = waiting_task(dossier) if dossier.state == to_state else None
    if task is not None and task.data.get("state") == to_state:
        notify(
            Event(
                EventType.TASK_ASSIGNED,
                dossier_id=dossier_id,
                actor_id=actor_id,
                key=f"task_assigned:task:{task.pk}",
                data={**state, "role": task.data["role"], "due": _last_day(task.data.get("due"))},
            )
        )
    if step.posting is not None:
        posted_on = getattr(dossier, step.posting.date_field)
        days = rules_for_round(dossier.round).value(step.posting.days_rule)
        last_day = posting_last_day(posted_on, days).isoformat() if posted_on and days else None
        notify(
            Event(
                EventType.POSTING_STARTED,
                dossier_id=dossier_id,
                actor_id=actor_id,
                data={**state, "posting": step.posting.kind, "last_day": last_day},
            )
        )


def _last_day(due: str | None) -> str | None:
    return last_day_of(datetime.fromisoformat(due)).isoformat() if due else None
