"""The people's side of the procedure (viewflow): a task in the right inbox for every state that waits
on someone, with its deadline, and escalation to the role above when the deadline passes.

One small process per dossier and waiting state (DossierStepFlow):

    start → split ─┬→ act (the responsible role's task) → done (ends the process, cancels the rest)
                   └→ wait (timer until the deadline) → escalate (task of the role above) → escalated

The dossier's state stays the single source of truth: a task is completed by the transition that
takes the dossier out of that state (workflows.services.dossier_transition calls `tasks_follow`), never
the other way round. Deadlines come from the rulebook (the 10-day reply, the 15-day supplement
window, the Government-portal posting) or from the round's milestones for the level; a state with
neither has a task without a deadline.
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

from dossiers.completeness import reply_due, supplement_due
from dossiers.models import Dossier, DossierState
from dossiers.rulebook.selectors import rules_for_round

from .guards import posting_last_day

S = DossierState
OFFICER, SECRETARY = "provincial_officer", "council_secretary"
CLERK, LEADER = "ministry_clerk", "ministry_leader"

# Who must act while the dossier is in a state, and which milestone level bounds it.
RESPONSIBLE: dict[str, tuple[str, str | None]] = {
    S.SUBMITTED: (OFFICER, None),
    S.NEEDS_SUPPLEMENT: (OFFICER, None),
    S.ADMITTED: (OFFICER, "provincial"),
    S.PROVINCIAL_REVIEW: (SECRETARY, "provincial"),
    S.PROVINCIAL_PASSED: (OFFICER, "provincial"),
    S.PROVINCIAL_POSTED: (OFFICER, "provincial"),
    S.FORWARDED: (CLERK, "ministerial"),
    S.MINISTERIAL_REVIEW: (CLERK, "ministerial"),
    S.MINISTERIAL_PASSED: (CLERK, "ministerial"),
    S.GOV_POSTING: (CLERK, None),
    S.STATE_REVIEW: (CLERK, "state"),
    S.STATE_PASSED: (CLERK, "state"),
    S.APPRAISAL: (CLERK, "state"),
    S.PROPOSED: (CLERK, "state"),
    S.ON_HOLD: (CLERK, None),
}
# The role told when a deadline passes.
ESCALATES_TO = {OFFICER: CLERK, SECRETARY: CLERK, CLERK: LEADER, LEADER: LEADER}


def permission_of(role: str) -> str:
    return f"workflows.act_{role}"


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

    def begin(self, activation, *, dossier: Dossier, role: str, due: datetime | None):
        activation.process.artifact = dossier
        activation.process.data = {
            "dossier_id": dossier.pk,
            "state": dossier.state,
            "role": role,
            "permission": permission_of(role),
            "escalation_permission": permission_of(ESCALATES_TO[role]),
            "due": due.isoformat() if due else None,
        }

    def deadline(self, activation) -> datetime:
        return datetime.fromisoformat(activation.process.data["due"])


def due_moment(dossier: Dossier, level: str | None) -> datetime | None:
    """The moment a state's task is overdue: the end of its last day, in Vietnam time."""
    rules = rules_for_round(dossier.round)
    last_day = None
    if dossier.state == S.SUBMITTED:
        last_day = reply_due(
            received_on=dossier.received_on, resubmitted_on=dossier.resubmitted_on, rules=rules
        )
    elif dossier.state == S.NEEDS_SUPPLEMENT:
        last_day = supplement_due(returned_on=dossier.returned_on, rules=rules)
    elif dossier.state == S.GOV_POSTING and dossier.gov_posted_on:
        # the clerk acts on the day after the posting period ends
        last_day = posting_last_day(
            dossier.gov_posted_on, rules.value("posting.gov_portal_days")
        ) + timedelta(days=1)
    elif level is not None:
        milestone = dossier.round.milestones.filter(level=level).order_by("due_on").last()
        last_day = milestone.due_on if milestone else None
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


def tasks_follow(dossier: Dossier, *, by) -> None:
    """After a transition: finish the task of the state the dossier left (done by `by` when it was that
    task's role, else canceled), and open the task of the state it entered."""
    for process in open_processes(dossier):
        with DossierStepFlow.lock(process.pk):
            for task in process.task_set.filter(
                status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN"
            ):
                _finish(task, by)
            process.refresh_from_db()
            if process.status == PROCESS.NEW:  # nothing ended it (the act task was canceled): close it
                for task in process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED]):
                    task.status = STATUS.CANCELED
                    task.finished = timezone.now()
                    task.save()
                process.status = PROCESS.CANCELED
                process.finished = timezone.now()
                process.save()
    responsible = RESPONSIBLE.get(dossier.state)
    if responsible is not None:
        role, level = responsible
        DossierStepFlow.start.run(dossier=dossier, role=role, due=due_moment(dossier, level))


def _finish(task: Task, by) -> None:
    """Done by `by` when it is the act task and `by` holds its role; otherwise canceled (someone else, e.g.
    a clerk putting the dossier on hold, moved the dossier on)."""
    with task.activation() as activation:
        if task.flow_task == DossierStepFlow.act and by is not None and by.has_perm(task.owner_permission):
            if task.status == STATUS.NEW:
                activation.assign(by)
            activation.start(None)
            activation.execute()
        elif task.status in (STATUS.NEW, STATUS.ASSIGNED):
            task.status = STATUS.CANCELED
            task.finished = timezone.now()
            task.save()
