"""What the procedure tells: every transition, the task it opens, and a posting that starts; through
notifications.notify (the one entry point). Connected to `dossier_state_changed` in WorkflowsConfig.ready,
so it runs after the transition committed, without a request."""

from __future__ import annotations

from dossiers.models import Dossier, DossierState
from dossiers.rulebook.selectors import rules_for_round
from notifications.events import Event, EventType
from notifications.services import notify

from .flows import RESPONSIBLE, open_processes
from .guards import posting_last_day

POSTINGS = {
    DossierState.PROVINCIAL_POSTED: ("provincial", "provincial_posted_on", "posting.provincial_days"),
    DossierState.GOV_POSTING: ("gov_portal", "gov_posted_on", "posting.gov_portal_days"),
}


def on_dossier_state_changed(
    sender, *, dossier_id, transition, from_state, to_state, actor_id=None, reason="", **kwargs
) -> None:
    state = {"transition": transition, "from_state": from_state, "to_state": to_state}
    notify(
        Event(
            EventType.DOSSIER_STATE_CHANGED,
            dossier_id=dossier_id,
            actor_id=actor_id,
            data={**state, "reason": reason, "audit_entry_id": kwargs.get("audit_entry_id")},
        )
    )
    dossier = Dossier.objects.select_related("round").get(pk=dossier_id)
    if to_state in RESPONSIBLE and dossier.state == to_state:
        process = open_processes(dossier).order_by("-pk").first()
        if process is not None:
            due = process.data.get("due")
            notify(
                Event(
                    EventType.TASK_ASSIGNED,
                    dossier_id=dossier_id,
                    actor_id=actor_id,
                    key=f"task_assigned:{process.pk}",
                    data={**state, "role": process.data["role"], "due": _last_day(due)},
                )
            )
    if to_state in POSTINGS:
        posting, field, rule = POSTINGS[to_state]
        posted_on = getattr(dossier, field)
        days = rules_for_round(dossier.round).value(rule)
        last_day = posting_last_day(posted_on, days).isoformat() if posted_on and days else None
        notify(
            Event(
                EventType.POSTING_STARTED,
                dossier_id=dossier_id,
                actor_id=actor_id,
                data={**state, "posting": posting, "last_day": last_day},
            )
        )


def _last_day(due: str | None) -> str | None:
    if not due:
        return None
    from datetime import datetime

    from .reminders import last_day_of

    return last_day_of(datetime.fromisoformat(due)).isoformat()
