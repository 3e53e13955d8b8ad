"""What the procedure tells: every step (its declared event), the task it opens, and the posting it
starts; through notifications.notify (the one entry point). Connected to `dossier_state_changed` in
WorkflowsConfig.ready; it runs inside the step's transaction, with the locked dossier and the viewflow
task the step opened passed in the signal (nothing is read again)."""

from __future__ import annotations

from datetime import datetime

from dossiers.models import Dossier
from dossiers.rulebook.selectors import rules_for_round
from notifications.events import Event, EventType
from notifications.services import notify, notify_new

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
    fresh_task = dossier is not None  # the step passed the task it opened in this transaction
    if dossier is None:  # a sender without the locked dossier: read it, and its waiting task
        dossier = Dossier.objects.select_related("round", "artisan").get(pk=dossier_id)
        task = waiting_task(dossier) if dossier.state == to_state else None
    events = [
        Event(
            step.event,
            dossier_id=dossier_id,
            actor_id=actor_id,
            data={**state, "reason": reason, "audit_entry_id": kwargs.get("audit_entry_id")},
        )
    ]
    if step.posting is not None:
        posted_on = getattr(dossier, step.posting.date_field)
        days = rules_for_round(dossier.round).value(step.posting.days_rule)
        last_day = posting_last_day(posted_on, days).isoformat() if posted_on and days else None
        events.append(
            Event(
                EventType.POSTING_STARTED,
                dossier_id=dossier_id,
                actor_id=actor_id,
                data={**state, "posting": step.posting.kind, "last_day": last_day},
            )
        )
    if task is not None and task.data.get("state") == to_state:
        assigned = Event(
            EventType.TASK_ASSIGNED,
            dossier_id=dossier_id,
            actor_id=actor_id,
            key=f"task_assigned:task:{task.pk}",
            data={**state, "role": task.data["role"], "due": _last_day(task.data.get("due"))},
        )
        if fresh_task:  # opened in this very transaction: its notice cannot exist yet
            events.append(assigned)
        else:
            notify(assigned, dossier=dossier)
    # the step's notices in one INSERT, in its transaction
    notify_new(events, dossier=dossier)


def _last_day(due: str | None) -> str | None:
    return last_day_of(datetime.fromisoformat(due)).isoformat() if due else None
