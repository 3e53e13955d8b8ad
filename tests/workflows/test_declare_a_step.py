"""A step is added by writing one declaration: a test-only flow declares a new step, and the runner, the
permission check, the audit log, the inbox, the documents and the notifications all follow from it with no
other edit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from documents.kinds import SUMMARY_KIND
from documents.models import GeneratedDocument
from dossiers.models import DossierState as S
from notifications.events import EventType
from notifications.models import EventRecord, Notification
from tests import factories as f
from tests.workflows.conftest import complete_eligible_dossier, set_state
from workflows import document_requests as docs
from workflows.models import AuditEntry
from workflows.selectors import inbox_of
from workflows.services import dossier_transition
from workflows.steps import Scope, Task, milestone, step
from workflows.transitions import DossierFlow, step_of, steps_of

pytestmark = pytest.mark.django_db


class TrialFlow(DossierFlow):
    """The procedure plus one step that exists only in this test."""

    class Meta:
        proxy = True
        app_label = "workflows"

    @step(
        S.SUBMITTED,
        S.ADMITTED,
        label=_("Admit after a field visit"),
        roles={Role.PROVINCIAL_OFFICER},
        scope=Scope.PROVINCE,
        reason_required=True,
        documents=(docs.summary,),
        task=Task(Role.PROVINCIAL_OFFICER, milestone("provincial")),
    )
    def admit_after_field_visit(self, **data):
        """The province's officers saw the works on site and admit the dossier."""


def test_the_new_step_is_read_from_its_declaration_only():
    declared = step_of("admit_after_field_visit", TrialFlow)
    assert declared.sources == (S.SUBMITTED,) and declared.target == S.ADMITTED
    assert "admit_after_field_visit" not in steps_of()  # the real procedure is untouched
    assert set(steps_of()) < set(steps_of(TrialFlow))


def test_a_step_declared_once_runs_end_to_end(django_capture_on_commit_callbacks):
    dossier, officer = complete_eligible_dossier("01")
    dossier = set_state(dossier, S.SUBMITTED)
    colleague = f.user("provincial_officer", f.department("01"))
    outsider = f.user("provincial_officer", f.department("31"))
    clerk = f.user("ministry_clerk", f.ministry())
    run = {"dossier": dossier, "name": "admit_after_field_visit", "flow": TrialFlow}

    # permission: the role and the scope of the declaration
    with pytest.raises(PermissionDenied):
        dossier_transition(**run, by=outsider, reason="Đã xem tại chỗ")
    with pytest.raises(PermissionDenied):
        dossier_transition(**run, by=clerk, reason="Đã xem tại chỗ")
    # the declared reason
    with pytest.raises(ValidationError) as refused:
        dossier_transition(**run, by=officer)
    assert refused.value.code == "reason_required"

    with django_capture_on_commit_callbacks(execute=True):
        moved = dossier_transition(**run, by=officer, reason="Đã xem tại chỗ")
    assert moved.state == S.ADMITTED

    # audit
    entry = AuditEntry.objects.get(dossier=dossier)
    assert (entry.transition, entry.from_state, entry.to_state, entry.actor) == (
        "admit_after_field_visit",
        S.SUBMITTED,
        S.ADMITTED,
        officer,
    )
    assert entry.reason == "Đã xem tại chỗ"

    # the inbox task of the state it entered, for the declared role
    items = [item for item in inbox_of(colleague) if item.dossier.pk == dossier.pk]
    assert len(items) == 1 and items[0].task.data["role"] == Role.PROVINCIAL_OFFICER
    assert items[0].task.data["state"] == S.ADMITTED
    assert not [item for item in inbox_of(clerk) if item.dossier.pk == dossier.pk]

    # the declared document
    summary = GeneratedDocument.objects.get(dossier=dossier)
    assert summary.kind == SUMMARY_KIND[dossier.title]

    # notifications: the step's event and the task it opened, to the colleague (never the actor)
    events = EventRecord.objects.filter(dossier=dossier).order_by("pk")
    changed = events.get(type=EventType.DOSSIER_STATE_CHANGED)
    assert changed.data["transition"] == "admit_after_field_visit"
    assert events.filter(type=EventType.TASK_ASSIGNED).count() == 1
    told = {n.recipient for n in Notification.objects.filter(event=changed)}
    assert colleague in told and officer not in told
