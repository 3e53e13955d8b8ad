"""The shape of the inbox tasks: one viewflow process per dossier, one task per waiting step written in
the step's transaction at a pinned cost, escalation once by one query even when two runs meet, and the
open tasks of the earlier shape (a process per state with a timer) carried over by migration 0005."""

import importlib
import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

import workflows.services.transitions as transition_service
from dossiers.models import DossierState as S
from notifications.events import Event, EventType
from notifications.models import EventRecord
from notifications.services import notify
from tests import factories as f
from tests.workflows.conftest import complete_eligible_dossier, set_state
from workflows import services as wf
from workflows.flows import DossierProcess, DossierStepFlow, escalate_due_tasks, open_processes, waiting_task
from workflows.notifying import on_dossier_state_changed
from workflows.reminders import deadline_reminders
from workflows.selectors import inbox_of

FLOW = "workflows/flows.DossierStepFlow"


def _viewflow_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if "viewflow_" in q["sql"] or "SAVEPOINT" in q["sql"]]


@pytest.mark.django_db
def test_a_step_moves_the_tasks_with_four_viewflow_statements_and_no_savepoint(ready, monkeypatch):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    real, seen = transition_service.tasks_follow, {}

    def measured(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            seen["task"] = real(*args, **kwargs)
        seen["queries"] = queries.captured_queries
        return seen["task"]

    monkeypatch.setattr(transition_service, "tasks_follow", measured)
    wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    statements = _viewflow_statements(seen["queries"])
    # read the open tasks, complete the waiting one, insert the next, link it to the one before
    assert len(statements) == 4, statements
    assert [s.split()[0] for s in statements] == ["SELECT", "UPDATE", "INSERT", "INSERT"]
    # and the deadline of the new task: the round's rules and milestones, nothing else
    assert len(seen["queries"]) <= 6, [q["sql"] for q in seen["queries"]]
    assert seen["task"] == waiting_task(dossier) and seen["task"].data["state"] == S.ADMITTED


@pytest.mark.django_db
def test_the_task_assigned_notice_is_about_the_new_task_without_reading_the_dossier_again(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    task = waiting_task(dossier)
    notice = EventRecord.objects.get(type="task_assigned", dossier_id=dossier.pk)
    assert notice.key == f"task_assigned:task:{task.pk}"
    assert notice.data["role"] == "provincial_officer" and notice.data["to_state"] == S.SUBMITTED
    # the receiver as the step calls it: the locked dossier and the new task are in the signal
    EventRecord.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        on_dossier_state_changed(
            None,
            dossier_id=dossier.pk,
            dossier=dossier,
            task=task,
            transition="submit",
            from_state=S.DRAFT,
            to_state=S.SUBMITTED,
            actor_id=officer.pk,
        )
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "dossiers_dossier"' in q["sql"]]
    assert reads == [] and not [q for q in queries.captured_queries if "viewflow_" in q["sql"]]
    assert EventRecord.objects.get(type="task_assigned").key == f"task_assigned:task:{task.pk}"


@pytest.mark.django_db
def test_one_process_for_the_dossiers_life_closed_when_nothing_waits(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    dossier = wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    [process] = DossierProcess.objects.all()
    assert process.status == PROCESS.NEW and process.artifact_object_id == dossier.pk
    assert list(process.task_set.order_by("pk").values_list("status", flat=True)) == [STATUS.DONE, STATUS.NEW]
    wf.dossier_transition(name="reject", dossier=dossier, by=officer, reason="Không thuộc đối tượng")
    process.refresh_from_db()
    assert process.status == PROCESS.DONE and not process.task_set.filter(status=STATUS.NEW).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_escalation_runs_at_once_escalate_each_passed_deadline_once():
    dossiers = []
    for _ in range(3):
        dossier, officer = complete_eligible_dossier()
        dossiers.append(wf.dossier_transition(name="submit", dossier=dossier, by=officer))  # due long ago
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        barrier.wait()
        try:
            results.append(escalate_due_tasks())
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(results) == [0, 3], (connection.vendor, results)
    escalations = Task.objects.filter(flow_task=DossierStepFlow.escalate)
    assert escalations.count() == 3
    assert {t.owner_permission for t in escalations} == {"workflows.act_ministry_clerk"}
    assert escalate_due_tasks() == 0


def _old_shape(dossier, *, due, escalated: bool):
    """The rows the earlier shape left for a dossier waiting in `submitted`: a process for the state with
    its start and split done, the officer's task, the timer, and (after the timer fired) the escalation."""
    process = Process.objects.create(
        flow_class=FLOW,
        status=PROCESS.NEW,
        artifact_object_id=dossier.pk,
        artifact_content_type_id=apps.get_model("contenttypes", "ContentType")
        .objects.get(app_label="dossiers", model="dossier")
        .pk,
        data={
            "dossier_id": dossier.pk,
            "state": S.SUBMITTED,
            "role": "provincial_officer",
            "permission": "workflows.act_provincial_officer",
            "escalation_permission": "workflows.act_ministry_clerk",
            "due": due.isoformat(),
            "deadline": "reply",
        },
    )

    def task(node, kind, status, **extra):
        return Task.objects.create(
            process=process, flow_task=f"{FLOW}.{node}", flow_task_type=kind, status=status, **extra
        )

    task("start", "START", STATUS.DONE)
    task("split", "SPLIT", STATUS.DONE)
    act = task("act", "HUMAN", STATUS.NEW, owner_permission="workflows.act_provincial_officer")
    task("wait", "TIMER", STATUS.DONE if escalated else STATUS.SCHEDULED, scheduled=due)
    if escalated:
        task("escalate", "HUMAN", STATUS.NEW, owner_permission="workflows.act_ministry_clerk")
    return process, act


@pytest.mark.django_db
def test_migration_carries_the_open_tasks_of_the_earlier_shape_over():
    reshape = importlib.import_module("workflows.migrations.0005_one_process_per_dossier").reshape
    clerk = f.user("ministry_clerk", f.ministry())
    late, officer = complete_eligible_dossier()
    late = set_state(late, S.SUBMITTED)
    soon, _ = complete_eligible_dossier()
    soon = set_state(soon, S.SUBMITTED)
    past = timezone.now() - timedelta(days=3)
    future = timezone.now() + timedelta(days=20)
    old_late, old_act = _old_shape(late, due=past, escalated=True)
    old_soon, _ = _old_shape(soon, due=future, escalated=False)
    # the deadline notice the earlier shape already sent for the late dossier (keyed by its process)
    notify(Event(EventType.DEADLINE_PASSED, dossier_id=late.pk, key=f"deadline_passed:{old_late.pk}"))

    reshape(apps, None)

    for old in (old_late, old_soon):
        old.refresh_from_db()
        assert old.status == PROCESS.CANCELED
        assert not old.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).exists()
    act = waiting_task(late)
    assert act.process != old_late and act.data["state"] == S.SUBMITTED and act.scheduled is None
    assert list(act.previous.all()) == [old_act]
    escalation = open_processes(late).get().task_set.get(flow_task=DossierStepFlow.escalate)
    assert escalation.owner_permission == "workflows.act_ministry_clerk" and escalation.data["task"] == act.pk
    assert waiting_task(soon).scheduled == future
    # who sees what is unchanged: the officer both, overdue first; the clerk the escalation
    assert [(i.dossier.pk, i.overdue) for i in inbox_of(officer)] == [(late.pk, True), (soon.pk, False)]
    assert [(i.dossier.pk, i.escalation) for i in inbox_of(clerk)] == [(late.pk, True)]
    # nothing escalated twice, no deadline notice sent again
    assert escalate_due_tasks() == 0
    before = EventRecord.objects.count()
    deadline_reminders(timezone.now())
    assert EventRecord.objects.count() == before
    # and the steps go on in the new process
    wf.dossier_transition(name="admit", dossier=late, by=officer)
    escalation.refresh_from_db()
    act.refresh_from_db()
    assert (act.status, escalation.status) == (STATUS.DONE, STATUS.CANCELED)
    assert waiting_task(late).process == act.process and waiting_task(late).data["state"] == S.ADMITTED
