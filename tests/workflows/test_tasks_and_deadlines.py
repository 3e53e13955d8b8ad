"""viewflow tasks follow the dossier's state: the responsible role's task with its deadline, escalation
to the role above when the deadline passes, and completion by the transition that moves the dossier."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from dossiers.models import DossierState as S
from tests import factories as f
from workflows import services as wf
from workflows.flows import DossierProcess, DossierStepFlow, escalate_due_tasks, open_processes, open_tasks
from workflows.selectors import inbox_of

pytestmark = pytest.mark.django_db


def act_task(dossier):
    """The dossier's one open process and the task of the state it waits in."""
    process = open_processes(dossier).get()
    return process, process.task_set.get(flow_task=DossierStepFlow.act, status=STATUS.NEW)


def midnight_after(day):
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def test_a_received_dossier_waits_in_the_officers_inbox_with_the_ten_day_deadline(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    process, task = act_task(dossier)
    assert task.status == STATUS.NEW and task.owner_permission == "workflows.act_provincial_officer"
    due = midnight_after(dossier.received_on + timedelta(days=10))
    assert task.data["due"] == due.isoformat() and task.scheduled == due
    assert task.data["state"] == S.SUBMITTED and task.data["role"] == "provincial_officer"
    assert not process.task_set.exclude(pk=task.pk).exists()  # no timer, split or start rows
    assert [item.dossier for item in inbox_of(officer)] == [dossier]
    assert len(inbox_of(f.officer("31"))) == 0  # another province's officer
    assert len(inbox_of(f.user("council_member", f.department("01")))) == 0


def test_the_transition_completes_the_task_and_opens_the_next(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    process, task = act_task(dossier)
    dossier = wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.DONE, officer)
    new_process, new_task = act_task(dossier)
    assert new_process == process  # one process for the dossier's lifetime
    assert new_task.data["state"] == S.ADMITTED and new_task.status == STATUS.NEW
    assert list(new_task.previous.all()) == [task]  # viewflow's history: the task before it


def test_a_passed_deadline_escalates_to_the_role_above_until_the_step_is_taken(ready):
    dossier, officer = ready
    clerk = f.user("ministry_clerk", f.ministry())
    dossier = wf.dossier_transition(
        name="submit", dossier=dossier, by=officer
    )  # received 20/09/2025: due long ago
    assert escalate_due_tasks() == 1
    assert escalate_due_tasks() == 0  # once
    process = open_processes(dossier).get()
    escalation = process.task_set.get(flow_task=DossierStepFlow.escalate)
    assert escalation.owner_permission == "workflows.act_ministry_clerk"
    items = inbox_of(clerk)
    assert [(i.dossier, i.escalation, i.overdue) for i in items] == [(dossier, True, True)]
    assert inbox_of(officer)[0].overdue
    wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    escalation.refresh_from_db()
    assert escalation.status == STATUS.CANCELED  # the step was taken: nothing left to escalate
    assert escalate_due_tasks() == 0


def test_a_deadline_not_yet_passed_does_not_escalate(ready):
    dossier, officer = ready
    type(dossier).objects.filter(pk=dossier.pk).update(received_on=timezone.localdate())
    dossier.refresh_from_db()
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    assert escalate_due_tasks() == 0


def test_someone_else_moving_the_dossier_cancels_the_task_and_the_new_owner_gets_one(ready):
    dossier, officer = ready
    clerk = f.user("ministry_clerk", f.ministry())
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    _process, task = act_task(dossier)
    dossier = wf.dossier_transition(name="hold", dossier=dossier, by=clerk, reason="Có đơn khiếu nại")
    task.refresh_from_db()
    assert task.status == STATUS.CANCELED
    _new, hold_task = act_task(dossier)
    assert hold_task.owner_permission == "workflows.act_ministry_clerk"
    dossier = wf.dossier_transition(name="release", dossier=dossier, by=clerk, reason="Đã giải quyết")
    _again, officer_task = act_task(dossier)
    assert officer_task.owner_permission == "workflows.act_provincial_officer"


def test_terminal_states_leave_no_open_task(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    wf.dossier_transition(name="reject", dossier=dossier, by=officer, reason="Không thuộc đối tượng")
    assert not open_processes(dossier).exists()
    assert DossierProcess.objects.get().status == PROCESS.DONE
    assert not Task.objects.filter(process__in=DossierProcess.objects.all(), status=STATUS.NEW).exists()
    assert not open_tasks(dossier).exists()


def test_milestone_gives_the_deadline_where_the_rulebook_has_none(ready):
    from dossiers.models import RoundMilestone

    dossier, officer = ready
    RoundMilestone.objects.create(
        round=dossier.round,
        level="provincial",
        description="Gửi hồ sơ về Bộ",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    dossier = wf.dossier_transition(
        name="admit", dossier=wf.dossier_transition(name="submit", dossier=dossier, by=officer), by=officer
    )
    _process, task = act_task(dossier)
    assert task.data["due"] == midnight_after(timezone.localdate() + timedelta(days=30)).isoformat()


def test_fire_deadlines_command_and_beat_task(ready):
    import io

    from django.core.management import call_command

    from workflows.tasks import fire_timers

    dossier, officer = ready
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    out = io.StringIO()
    call_command("fire_deadlines", stdout=out)
    assert out.getvalue().startswith("1 deadline")
    assert fire_timers.delay().get() == 0  # eager in unit tests; nothing left to fire
