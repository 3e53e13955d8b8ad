"""The people's side of the procedure (viewflow): a task in the right inbox for every state that waits
on someone, with its deadline, and escalation to the role above when the deadline passes.

One small process per dossier and waiting state (DossierStepFlow):

    start → split ─┬→ act (the responsible role's task) → done (ends the process, cancels the rest)
                   └→ wait (timer until the deadline) → escalate (task of the role above) → escalated

The dossier's state stays the single source of truth: a task is completed by the step that takes the
dossier out of that state (workflows.services.transitions.dossier_transition calls `tasks_follow` with the
task the step's declaration gives the state it enters), never the other way round. The deadline is the
task's declared `Deadline` (the written reply, the supplement window, the Government-portal posting, a
milestone of the round); a task without one has no deadline.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.roles import Role
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


def permission_of(role: Role | str) -> str:
    return f"workflows.act_{Role(role).value}"


class DossierProcess(Process):
    """A viewflow process about one dossier (its artifact) in one state."""

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

    start = flow.StartHandle(this.begin).Next(this.split)
    split = (
        flow.Split()
        .Next(this.act)
        .Next(this.wait, case=lambda activation: bool(activation.process.data["due"]))
    )
    act = (
        flow.View(_open_dossier)
        .Permission(lambda activation: activation.process.data["permission"])
        .Next(this.done)
    )
    done = flow.TerminateEnd()
    wait = flow.Timer(this.deadline).Next(this.escalate)
    escalate = (
        flow.View(_open_dossier)
        .Permission(lambda activation: activation.process.data["escalation_permission"])
        .Next(this.escalated)
    )
    escalated = flow.End()

    def begin(self, activation, *, dossier: Dossier, task: StepTask, due: datetime | None):
        activation.process.artifact = dossier
        activation.process.data = {
            "dossier_id": dossier.pk,
            "state": dossier.state,
            "role": task.role.value,
            "permission": permission_of(task.role),
            "escalation_permission": permission_of(ESCALATES_TO[task.role]),
            "due": due.isoformat() if due else None,
            "deadline": task.deadline.kind if task.deadline else None,
        }

    def deadline(self, activation) -> datetime:
        return datetime.fromisoformat(activation.process.data["due"])


def due_moment(dossier: Dossier, task: StepTask) -> datetime | None:
    """The moment a state's task is overdue: the end of its last day, in Vietnam time."""
    if task.deadline is None:
        return None
    last_day = task.deadline.last_day(dossier, rules_for_round(dossier.round))
    if last_day is None:
        return None
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def open_processes(dossier: Dossier):
    return DossierProcess.objects.filter(
        flow_class=DossierStepFlow,
        artifact_content_type=ContentType.objects.get_for_model(Dossier),
        artifact_object_id=dossier.pk,
        status=PROCESS.NEW,
    )


def tasks_follow(dossier: Dossier, *, by, task: StepTask | None) -> None:
    """After a step: finish the task of the state the dossier left (done by `by` when `by` holds that
    task's role, else canceled through viewflow), and open `task`, the task of the state it entered."""
    for process in open_processes(dossier):
        with DossierStepFlow.lock(process.pk):
            for open_task in process.task_set.filter(
                flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]
            ):
                if (
                    open_task.flow_task == DossierStepFlow.act
                    and by is not None
                    and by.has_perm(open_task.owner_permission)
                ):
                    _done_by(open_task, by)  # its end node terminates the process and cancels the rest
            process.refresh_from_db()
        if process.status == PROCESS.NEW:  # someone else (e.g. a clerk's hold) moved the dossier on
            DossierStepFlow.instance.cancel(process)
    if task is not None:
        DossierStepFlow.start.run(dossier=dossier, task=task, due=due_moment(dossier, task))


def _done_by(task: Task, by) -> None:
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(by)
        activation.start(None)
        activation.execute()
