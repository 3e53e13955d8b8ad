from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.roles import Role, roles_of
from councils.models import BallotParticipation, ConflictDeclaration, Membership, Session
from dossiers.models import Dossier
from dossiers.permissions import MINISTRY_ROLES, user_province_id

from .flows import DossierStepFlow, permission_of


@dataclass(frozen=True)
class InboxItem:
    task: Task | None
    dossier: Dossier
    due: datetime | None
    escalation: bool
    ballot_session: Session | None = None  # a secret ballot this member has still to cast

    @property
    def last_day(self):
        """The last day to act (the deadline moment is the midnight after it)."""
        return (timezone.localtime(self.due) - timedelta(days=1)).date() if self.due else None

    @property
    def overdue(self) -> bool:
        return self.escalation or (self.due is not None and self.due <= timezone.now())


def inbox_of(user) -> list[InboxItem]:
    """What the user must do: the open tasks of the user's roles on the dossiers of the user's scope (a
    province's officers and secretaries: their province; the ministry: all), and the ballots still to cast
    in open sessions. Overdue first, then by deadline."""
    items = _ballots_to_cast(user) + _step_tasks(user)
    far = timezone.now().replace(year=9999)
    return sorted(items, key=lambda i: (not i.overdue, i.due or far, i.dossier.pk))


def _ballots_to_cast(user) -> list[InboxItem]:
    """Open ballots where the user is present, may vote, has not voted and has not declared a conflict."""
    memberships = Membership.objects.filter(user=user, role__in=Membership.VOTING_ROLES)
    sessions = Session.objects.filter(status=Session.Status.BALLOT_OPEN, present__in=memberships).distinct()
    items = []
    for session in sessions.prefetch_related("agenda__artisan", "agenda__province"):
        membership = next(m for m in memberships if m.council_id == session.council_id)
        done = set(
            BallotParticipation.objects.filter(session=session, membership=membership).values_list(
                "dossier_id", flat=True
            )
        )
        recused = set(
            ConflictDeclaration.objects.filter(membership=membership, status="declared").values_list(
                "dossier_id", flat=True
            )
        )
        for dossier in session.agenda.all():
            if dossier.pk not in done | recused:
                items.append(
                    InboxItem(task=None, dossier=dossier, due=None, escalation=False, ballot_session=session)
                )
    return items


def _step_tasks(user) -> list[InboxItem]:
    roles = roles_of(user)
    permissions = [permission_of(role.value) for role in roles]
    if not permissions:
        return []
    tasks = Task.objects.filter(
        process__flow_class=DossierStepFlow,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
        owner_permission__in=permissions,
    ).select_related("process")
    dossiers = Dossier.objects.select_related("artisan", "province", "round")
    if not roles & MINISTRY_ROLES:
        if not roles & {Role.PROVINCIAL_OFFICER, Role.COUNCIL_SECRETARY} or user_province_id(user) is None:
            return []
        dossiers = dossiers.filter(province_id=user_province_id(user))
    tasks = list(tasks)
    by_id = dossiers.in_bulk({t.process.artifact_object_id for t in tasks})
    items = []
    for task in tasks:
        dossier = by_id.get(task.process.artifact_object_id)
        if dossier is None:
            continue
        due = task.process.data.get("due")
        items.append(
            InboxItem(
                task=task,
                dossier=dossier,
                due=datetime.fromisoformat(due) if due else None,
                escalation=task.flow_task == DossierStepFlow.escalate,
            )
        )
    far = timezone.now().replace(year=9999)
    return sorted(items, key=lambda i: (not i.overdue, i.due or far, i.dossier.pk))
