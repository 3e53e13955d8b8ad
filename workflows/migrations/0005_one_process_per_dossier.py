"""From one small viewflow process per dossier and state (start → split → act | timer → escalate) to one
process per dossier with one task per waiting step.

Every open process of the earlier shape is canceled with its unfinished tasks (the act task, the timer,
an escalation). For each dossier still in the state its process was about, a new process is opened with
the waiting task of that state: the same role, permission, deadline and creation time, `scheduled` at
the deadline unless the old timer had already escalated it, in which case the escalation is opened again
in the new process. The carried-over tasks keep the old process's number in `legacy_process`, so that the
deadline notices already sent under it are not sent a second time.
"""

from django.db import migrations
from django.utils import timezone

FLOW = "workflows/flows.DossierStepFlow"
ACT = f"{FLOW}.act"
ESCALATE = f"{FLOW}.escalate"
OPEN = ("NEW", "ASSIGNED")
UNFINISHED = ("NEW", "ASSIGNED", "STARTED", "SCHEDULED", "ERROR")


def reshape(apps, schema_editor):
    Process = apps.get_model("viewflow", "Process")
    Task = apps.get_model("viewflow", "Task")
    Dossier = apps.get_model("dossiers", "Dossier")
    now = timezone.now()
    old = list(Process.objects.filter(flow_class=FLOW, status="NEW").order_by("pk"))
    if not old:
        return
    states = dict(
        Dossier.objects.filter(pk__in={p.artifact_object_id for p in old}).values_list("pk", "state")
    )
    latest = {}  # the newest old process of each dossier about the state it is in
    for process in old:
        data = process.data or {}
        if data.get("state") and states.get(process.artifact_object_id) == data["state"]:
            latest[process.artifact_object_id] = process
    # the open task of each node, by process (the reference column compared as stored, a string)
    acts = {t.process_id: t for t in Task.objects.filter(process__in=old, status__in=OPEN, flow_task=ACT)}
    escalations = {
        t.process_id: t for t in Task.objects.filter(process__in=old, status__in=OPEN, flow_task=ESCALATE)
    }
    Task.objects.filter(process__in=old, status__in=UNFINISHED).update(status="CANCELED", finished=now)
    Process.objects.filter(pk__in=[p.pk for p in old]).update(status="CANCELED", finished=now)

    for dossier_id, process in latest.items():
        data = process.data
        act = acts.get(process.pk)
        if act is None:
            continue
        escalation = escalations.get(process.pk)
        new_process = Process.objects.create(
            flow_class=FLOW,
            status="NEW",
            artifact_content_type_id=process.artifact_content_type_id,
            artifact_object_id=dossier_id,
            data={"dossier_id": dossier_id},
        )
        due = data.get("due")
        task_data = {
            "dossier_id": dossier_id,
            "state": data["state"],
            "role": data["role"],
            "due": due,
            "deadline": data.get("deadline"),
            "legacy_process": process.pk,
        }
        new_act = Task.objects.create(
            process=new_process,
            flow_task=ACT,
            flow_task_type="HUMAN",
            status="NEW",
            created=act.created,
            owner_permission=data["permission"],
            scheduled=None if (escalation is not None or not due) else due,
            data=task_data,
        )
        new_act.previous.add(act)
        if escalation is not None:
            above = escalation.owner_permission.removeprefix("workflows.act_")
            Task.objects.create(
                process=new_process,
                flow_task=ESCALATE,
                flow_task_type="HUMAN",
                status="NEW",
                created=escalation.created,
                owner_permission=escalation.owner_permission,
                data={**task_data, "role": above, "escalated_from": data["role"], "task": new_act.pk},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("dossiers", "0017_appraisal_outcomes"),
        ("workflows", "0004_pending_batch_document"),
    ]

    operations = [migrations.RunPython(reshape, migrations.RunPython.noop)]
