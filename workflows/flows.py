"""The people's side of the procedure (viewflow): a task in the right inbox for every state that waits
on someone, with its deadline, and escalation to the role above when the deadline passes.

One process per dossier for its lifetime (DossierStepFlow, the dossier as its artifact), opened with the
dossier's first waiting task, and one viewflow Task per waiting step:

    start → act (the responsible role's task, one per waiting state) → end
            escalate (the role above's task, opened when an act task's deadline passes) → end

A step writes the Task rows itself, in the step's transaction: it completes the waiting task (done by the
user who took the step when that user holds the task's role, else canceled), cancels an escalation of it,
and creates the task of the state the dossier entered, linked to the one before (`previous`). That costs
one read, one or two updates and two inserts, where running viewflow's activations per node (a start,
split, timer and end per state, each under the process lock in its own savepoint) cost some thirty.

The dossier's state stays the single source of truth: a task is completed by the step that takes the
dossier out of that state, never the other way round. The deadline is the task's declared `Deadline`
(the written reply, the supplement window, the Government-portal posting, a milestone of the round),
stored on the task: `scheduled` (an indexed column) is the moment it is overdue, and `data` holds the
role, the state, the kind of deadline and the due moment for the pages and the notices. Escalation is one
periodic query over the act tasks whose `scheduled` moment has passed (`escalate_due_tasks`).
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import FilteredRelation, Q
from django.shortcuts import redirect
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.roles import Role, roles_of
from dossiers.models import Dossier
from dossiers.rulebook.selectors import rules_for_round

from .steps import Task as StepTask

# The role told when a deadline passes.
ESCALATES_TO = {
    Role.PROVINCIAL_OFFICER: Role.MINISTRY_CLERK,
    Role.COUNCIL_SECRETARY: Role.MINISTRY_CLERK,
    Role.MINISTRY_CLERK: Role.MINISTRY_LEADER,
    Role.MINISTRY_LEADER: Role.MINISTRY_LEADER,
}

OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def permission_of(role: Role | str) -> str:
    return f"workflows.act_{Role(role).value}"


class DossierProcess(Process):
    """The viewflow process of one dossier (its artifact), open while the dossier waits on someone."""

    class Meta:
        proxy = True
        permissions = [
            ("act_provincial_officer", "Acts on dossiers as a provincial officer"),
            ("act_council_secretary", "Acts on dossiers as a council secretary"),
            ("act_ministry_clerk", "Acts on dossiers as a ministry clerk"),
            ("act_ministry_leader", "Acts on dossiers as a ministry leader"),
        ]


def _open_dossier(request, **kwargs):
    """Tasks are worked on the dossier's page; viewflow's own task pages are not used."""
    task = Task.objects.select_related("process").get(pk=kwargs.get("task_pk"))
    return redirect("dossier_detail", pk=task.process.artifact_object_id)


class DossierStepFlow(flow.Flow):
    process_class = DossierProcess
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.begin).Next(this.act)
    act = (
        flow.View(_open_dossier)
        .Permission(lambda activation: activation.task.owner_permission)
        .Next(this.end)
    )
    escalate = (
        flow.View(_open_dossier)
        .Permission(lambda activation: activation.task.owner_permission)
        .Next(this.end)
    )
    end = flow.End()

    def begin(self, activation, *, dossier: Dossier):
        activation.process.artifact = dossier
        activation.process.data = {"dossier_id": dossier.pk}


def due_moment(dossier: Dossier, task: StepTask) -> datetime | None:
    """The moment a state's task is overdue: the end of its last day, in Vietnam time."""
    if task.deadline is None:
        return None
    last_day = task.deadline.last_day(dossier, rules_for_round(dossier.round))
    if last_day is None:
        return None
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def _dossier_type() -> ContentType:
    return ContentType.objects.get_for_model(Dossier)  # cached after the first call


def _open_process_of(dossier: Dossier, prefix: str = "") -> dict:
    """The lookups of the dossier's open process (under `prefix` from a related model)."""
    return {
        f"{prefix}flow_class": DossierStepFlow,
        f"{prefix}artifact_content_type": _dossier_type(),
        f"{prefix}artifact_object_id": dossier.pk,
        f"{prefix}status": PROCESS.NEW,
    }


def open_processes(dossier: Dossier):
    """The dossier's open process (at most one)."""
    return DossierProcess.objects.filter(**_open_process_of(dossier))


def open_tasks(dossier: Dossier):
    """The dossier's open tasks: the waiting step's task and, once its deadline passed, its escalation."""
    return Task.objects.filter(**_open_process_of(dossier, prefix="process__"), status__in=OPEN)


def waiting_task(dossier: Dossier) -> Task | None:
    """The task of the state the dossier waits in (None in a state that waits on no one)."""
    return open_tasks(dossier).filter(flow_task=DossierStepFlow.act).order_by("-pk").first()


def tasks_follow(dossier: Dossier, *, by, task: StepTask | None) -> Task | None:
    """After a step, in its transaction: finish the open tasks of the state the dossier left (the waiting
    task done by `by` when `by` holds its role, else canceled; its escalation canceled) and open `task`,
    the task of the state it entered, in the dossier's process. Returns the new viewflow task."""
    now = timezone.now()
    # One statement: the dossier's open process (if any), with its open tasks (if any) joined to it.
    rows = list(
        open_processes(dossier)
        .annotate(open=FilteredRelation("task", condition=Q(task__status__in=OPEN)))
        .values_list("open__pk", "pk", "open__flow_task", "open__status", "open__data")
    )
    current = [row for row in rows if row[0] is not None]
    process_id = rows[0][1] if rows else None
    roles = {role.value for role in roles_of(by)} if by is not None else set()
    done = [
        (pk, status)
        for pk, _process, flow_task, status, data in current
        if flow_task == DossierStepFlow.act and (data or {}).get("role") in roles
    ]
    canceled = [pk for pk, *_rest in current if pk not in {d for d, _s in done}]
    if done:
        Task.objects.filter(pk__in=[pk for pk, _s in done]).update(
            status=STATUS.DONE, owner=by, assigned=now, started=now, finished=now
        )
    if canceled:
        Task.objects.filter(pk__in=canceled).update(status=STATUS.CANCELED, finished=now)
    if task is None:
        if process_id is not None:  # nothing waits any more: the dossier's process is over
            DossierProcess.objects.filter(pk=process_id).update(status=PROCESS.DONE, finished=now)
        return None
    if process_id is None:
        process = DossierProcess.objects.create(
            flow_class=DossierStepFlow,
            artifact_content_type=_dossier_type(),
            artifact_object_id=dossier.pk,
            data={"dossier_id": dossier.pk},
        )
        process_id = process.pk
    due = due_moment(dossier, task)
    new = Task.objects.create(
        process_id=process_id,
        flow_task=DossierStepFlow.act,
        flow_task_type="HUMAN",
        status=STATUS.NEW,
        created=now,
        owner_permission=permission_of(task.role),
        scheduled=due,
        data={
            "dossier_id": dossier.pk,
            "state": dossier.state,
            "role": task.role.value,
            "due": due.isoformat() if due else None,
            "deadline": task.deadline.kind if task.deadline else None,
        },
    )
    previous = [pk for pk, _p, flow_task, _s, _d in current if flow_task == DossierStepFlow.act]
    if previous:
        Task.previous.through.objects.bulk_create(
            [Task.previous.through(from_task_id=new.pk, to_task_id=pk) for pk in previous]
        )
    return new


def escalate_due_tasks(now: datetime | None = None) -> int:
    """Escalate every waiting task whose deadline has passed, once. One statement claims them: it takes
    each due act task off the schedule (`scheduled` NULL) and returns it, so that a second run, at once
    or later, finds nothing (on PostgreSQL a run that meets rows another run is claiming waits for it and
    then re-checks `scheduled` on them; SQLite has one writer at a time). Each claimed task gets a task of
    the role above (ESCALATES_TO) in the same transaction. Returns how many were escalated."""
    now = now or timezone.now()
    table = connection.ops.quote_name(Task._meta.db_table)
    field = Task._meta.get_field("scheduled")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET scheduled = NULL"  # noqa: S608 (the table's own name, quoted)
            " WHERE flow_task = %s AND status IN (%s, %s) AND scheduled <= %s"
            " RETURNING id, process_id, data",
            [
                Task._meta.get_field("flow_task").get_prep_value(DossierStepFlow.act),
                *OPEN,
                field.get_db_prep_value(now, connection),
            ],
        )
        claimed = sorted(cursor.fetchall())
        escalations = []
        for pk, process_id, data in claimed:
            data = json.loads(data) if isinstance(data, str) else data
            role = ESCALATES_TO[Role(data["role"])]
            escalations.append(
                Task(
                    process_id=process_id,
                    flow_task=DossierStepFlow.escalate,
                    flow_task_type="HUMAN",
                    status=STATUS.NEW,
                    created=now,
                    owner_permission=permission_of(role),
                    data={**data, "role": role.value, "escalated_from": data["role"], "task": pk},
                )
            )
        Task.objects.bulk_create(escalations)
    return len(escalations)
