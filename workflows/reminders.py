"""The dossier deadlines as reminders (registered with notifications.reminders in WorkflowsConfig.ready).

Each waiting task (DossierStepFlow.act) carries its deadline, computed once by `flows.due_moment` from the
rulebook (the written reply, the supplement window, the Government-portal posting) or the round's
milestones, as its `scheduled` moment until it is escalated. NOTIFICATIONS_DEADLINE_REMINDER_DAYS before
its last day the task's role is reminded; once it has passed, the role above (flows.ESCALATES_TO) is told,
with the role that missed it. The end of a
posting period (guards.posting_last_day) tells who acts next. Each of these once: its event key.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Task

from dossiers.models import Dossier
from dossiers.rulebook.selectors import rules_for_round
from notifications.events import Event, EventType
from notifications.services import notify

from .flows import ESCALATES_TO, OPEN, DossierStepFlow
from .guards import posting_last_day
from .transitions import postings


def last_day_of(due: datetime):
    """The last day to act: the deadline moment is the midnight (Vietnam time) after it."""
    return (timezone.localtime(due) - timedelta(days=1)).date()


def deadline_reminders(now: datetime) -> int:
    """One query over the open tasks whose reminder may be due: the waiting tasks whose deadline is within
    the lead or passed (not escalated yet), and the escalations. Each notice once: its event key, made of
    the waiting task (or, for a task carried over from the earlier shape, of its former process)."""
    lead = timedelta(days=settings.NOTIFICATIONS_DEADLINE_REMINDER_DAYS)
    today = timezone.localdate(now)
    # a task is reminded from `lead` days before its last day, i.e. when it is due before this moment
    horizon = timezone.make_aware(datetime.combine(today + lead + timedelta(days=1), time.min))
    rows = (
        Task.objects.filter(
            process__flow_class=DossierStepFlow,
            status__in=OPEN,
        )
        .filter(
            Q(flow_task=DossierStepFlow.act, scheduled__lte=horizon) | Q(flow_task=DossierStepFlow.escalate)
        )
        .order_by("pk")
        .values_list("pk", "flow_task", "data")
    )
    count = 0
    for pk, flow_task, data in rows:
        if not data.get("due"):
            continue
        escalated = flow_task == DossierStepFlow.escalate
        role = data["escalated_from"] if escalated else data["role"]
        due = datetime.fromisoformat(data["due"])
        last_day = last_day_of(due)
        ref = data.get("legacy_process") or f"task:{data['task'] if escalated else pk}"
        common = {
            "role": role,
            "to_state": data["state"],
            "due": last_day.isoformat(),
            "deadline": data.get("deadline") or "milestone",
        }
        if now >= due:
            count += bool(
                notify(
                    Event(
                        EventType.DEADLINE_PASSED,
                        dossier_id=data["dossier_id"],
                        key=f"deadline_passed:{ref}",
                        data={**common, "escalated_to": ESCALATES_TO[role].value},
                    )
                )
            )
        elif not escalated and today >= last_day - lead:
            count += bool(
                notify(
                    Event(
                        EventType.DEADLINE_APPROACHING,
                        dossier_id=data["dossier_id"],
                        key=f"deadline_approaching:{ref}",
                        data=common,
                    )
                )
            )
    return count


def posting_reminders(now: datetime) -> int:
    """The day after a posting period's last day, who acts next is told that it is over."""
    today = timezone.localdate(now)
    count = 0
    for state, posting in postings():
        field = posting.date_field
        for dossier in Dossier.objects.filter(state=state, **{f"{field}__isnull": False}).select_related(
            "round"
        ):
            days = rules_for_round(dossier.round).value(posting.days_rule)
            if days is None:  # the provincial period is not known (NF): nothing to remind
                continue
            posted_on = getattr(dossier, field)
            last_day = posting_last_day(posted_on, days)
            if today > last_day:
                count += bool(
                    notify(
                        Event(
                            EventType.POSTING_ENDED,
                            dossier_id=dossier.pk,
                            key=f"posting_ended:{posting.kind}:{dossier.pk}:{posted_on.isoformat()}",
                            data={"posting": posting.kind, "last_day": last_day.isoformat()},
                        )
                    )
                )
    return count
