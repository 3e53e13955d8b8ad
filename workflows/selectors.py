from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.roles import Role, roles_of
from councils.conflicts import recused_dossier_ids
from councils.models import BallotParticipation, Membership, Session
from councils.selectors import secretary_province_ids
from documents.kinds import SUMMARY_KIND, Kind
from documents.models import GeneratedDocument
from dossiers.models import Dossier, sealed_fields
from dossiers.permissions import MINISTRY_ROLES, user_province_id
from dossiers.selectors import dossiers_visible_to

from .flows import OPEN, DossierStepFlow, permission_of
from .models import AuditEntry
from .transitions import DossierFlow, step_of, steps_of

# Documents every provincial officer may read: the notice of public posting and the decision record.
PUBLIC_KINDS = (Kind.POSTING_NOTICE, Kind.DECISION_RECORD)


def documents_visible_to(user) -> QuerySet[GeneratedDocument]:
    """The read scope of documents, one filter for lists and downloads alike:
    - ministry clerks: all; ministry leaders: all but the declarations (they hold identification data);
    - provincial officers: their province's documents, and the public notices (posting, decision);
    - council members and secretaries: their councils' documents, and the summaries of the dossiers on
      their agendas; never a declaration."""
    queryset = GeneratedDocument.objects.select_related("dossier__artisan", "replaced_by").defer(
        *sealed_fields("dossier__artisan")
    )
    roles = roles_of(user)
    if Role.MINISTRY_CLERK in roles:
        return queryset
    scope = Q(pk__in=[])
    if roles & MINISTRY_ROLES:
        scope |= Q(sensitive=False)
    province = user_province_id(user)
    if Role.PROVINCIAL_OFFICER in roles and province is not None:
        scope |= Q(province_id=province) | Q(kind__in=PUBLIC_KINDS)
    if roles & {Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY}:
        councils = Membership.objects.current().filter(user=user).values("council_id")
        scope |= Q(council_ref__in=councils, sensitive=False)
        scope |= Q(kind__in=SUMMARY_KIND.values(), dossier__in=dossiers_visible_to(user).values("pk"))
    return queryset.filter(scope)


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


def inbox_of(user, *, condition: Q | None = None) -> "Inbox":
    """What the user must do: the open tasks of the user's roles on the dossiers of the user's scope (a
    province's officers and secretaries: their province; the ministry: all), and the ballots still to cast
    in open sessions. Overdue first, then by deadline.

    The order is worked out from a few columns of every open task; the tasks and dossiers themselves are
    loaded only for the part that is shown (a page of the inbox, the home page's first ten), so a clerk
    with thousands of open tasks pays for one page of them.

    `condition` (the dossier list's search, dossiers.selectors.dossier_filter) narrows the tasks and the
    ballots to the dossiers it finds (one more query for the ballots)."""
    ballots = _ballots_to_cast(user)
    if condition and ballots:
        found = set(
            Dossier.objects.filter(pk__in=[b.dossier.pk for b in ballots])
            .filter(condition)
            .values_list("pk", flat=True)
        )
        ballots = [b for b in ballots if b.dossier.pk in found]
    return Inbox(ballots, _step_task_keys(user, condition=condition))


class Inbox(Sequence):
    """The inbox in its order; indexing or slicing it loads the tasks and dossiers of that part in two
    queries whatever its length."""

    def __init__(self, ballots: list[InboxItem], task_keys: list[tuple]):
        far = timezone.now().replace(year=9999)
        # (sort key, ballot item or (task id, deadline)); a task's key is known without loading the task.
        # A ballot to cast has no deadline of its own: it sorts with the tasks that have none.
        entries = [((True, far, item.dossier.pk), item) for item in ballots]
        entries += [((not late, due or far, dossier), (task, due)) for task, dossier, due, late in task_keys]
        entries.sort(key=lambda e: e[0])  # stable: ballots before tasks of the same dossier
        self._entries = [ref for _, ref in entries]

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._build(self._entries[index])
        return self._build([self._entries[index]])[0]

    def __iter__(self):
        return iter(self._build(self._entries))

    @staticmethod
    def _build(refs: list) -> list[InboxItem]:
        task_ids = [ref[0] for ref in refs if not isinstance(ref, InboxItem)]
        tasks = Task.objects.select_related("process").in_bulk(task_ids) if task_ids else {}
        dossiers = (
            Dossier.objects.select_related("artisan", "province", "round")
            .defer(*sealed_fields())
            .in_bulk({t.process.artifact_object_id for t in tasks.values()})
            if tasks
            else {}
        )
        items = []
        for ref in refs:
            if isinstance(ref, InboxItem):
                items.append(ref)
                continue
            task_id, due = ref
            task = tasks[task_id]
            items.append(
                InboxItem(
                    task=task,
                    dossier=dossiers[task.process.artifact_object_id],
                    due=due,
                    escalation=task.flow_task == DossierStepFlow.escalate,
                )
            )
        return items


def _ballots_to_cast(user) -> list[InboxItem]:
    """Open ballots where the user is present, may vote, has not voted and is not recused (a declared
    conflict, or its withdrawal not accepted yet)."""
    memberships = Membership.objects.current().filter(user=user, role__in=Membership.VOTING_ROLES)
    sessions = Session.objects.filter(status=Session.Status.BALLOT_OPEN, present__in=memberships).distinct()
    items = []
    for session in sessions.prefetch_related("agenda__artisan", "agenda__province"):
        membership = next(m for m in memberships if m.council_id == session.council_id)
        done = set(
            BallotParticipation.objects.filter(session=session, membership=membership).values_list(
                "dossier_id", flat=True
            )
        )
        recused = recused_dossier_ids(membership=membership)
        for dossier in session.agenda.all():
            if dossier.pk not in done | recused:
                items.append(
                    InboxItem(task=None, dossier=dossier, due=None, escalation=False, ballot_session=session)
                )
    return items


def _step_task_keys(user, *, condition: Q | None = None) -> list[tuple]:
    """(task id, dossier id, deadline, overdue) of the open step tasks of the user's roles on the dossiers
    of the user's scope: the columns the inbox is ordered by, without loading a task or a dossier."""
    roles = roles_of(user)
    permissions = [permission_of(role.value) for role in roles]
    if not permissions:
        return []
    dossiers = Dossier.objects.all()
    if not roles & MINISTRY_ROLES:
        provinces = set()
        if roles & {Role.PROVINCIAL_OFFICER, Role.COUNCIL_SECRETARY} and user_province_id(user) is not None:
            provinces.add(user_province_id(user))
        if Role.COUNCIL_SECRETARY in roles:
            provinces |= secretary_province_ids(user)
        if not provinces:
            return []
        dossiers = dossiers.filter(province_id__in=provinces)
    if condition:
        dossiers = dossiers.filter(condition)
    rows = Task.objects.filter(
        process__flow_class=DossierStepFlow,
        flow_task_type="HUMAN",
        status__in=OPEN,
        owner_permission__in=permissions,
        process__artifact_object_id__in=dossiers.values("pk"),
    ).values_list("pk", "process__artifact_object_id", "data", "flow_task")
    now = timezone.now()
    keys = []
    for task_id, dossier_id, data, flow_task in rows:
        due = (data or {}).get("due")
        due = datetime.fromisoformat(due) if due else None
        escalation = flow_task == DossierStepFlow.escalate
        keys.append((task_id, dossier_id, due, escalation or (due is not None and due <= now)))
    return keys


# --- the reads of the web pages --------------------------------------------------------------------------


def dossier_history(*, dossier):
    """The dossier's audit trail, oldest first, with who took each step (the dossier page's timeline)."""
    return AuditEntry.objects.filter(dossier=dossier).select_related("actor").order_by("at", "id")


def batch_steps_for(*, user) -> list[tuple[str, str]]:
    """(name, label) of the steps the user's roles take that the batch page offers (declared
    `in_batch_page`), in the order of the procedure: the steps that move a dossier on by where their
    state is on the main road, then the detours (returns, refusals, holds)."""
    from .transitions import main_road

    roles = roles_of(user)
    road = {state: i for i, state in enumerate(main_road())}
    offered = [
        (i, name, spec)
        for i, (name, spec) in enumerate(steps_of().items())
        if spec.roles & roles and spec.in_batch_page
    ]

    def place(item):  # the steps that move a dossier on, where their state is on the road; then the detours
        i, _name, spec = item
        return (spec.detour, min((road.get(s, len(road)) for s in spec.sources), default=len(road)), i)

    return [(name, str(spec.label)) for _i, name, spec in sorted(offered, key=place)]


def dossiers_for_batch_step(*, user, step: str, province=None):
    """The dossiers of the user's scope in a state the step starts from (of one province if given), by
    province and artisan: what a batch of the step is previewed on."""
    queryset = DossierFlow.objects.filter(pk__in=dossiers_visible_to(user).values("pk")).select_related(
        "artisan", "province", "round"
    )
    queryset = queryset.filter(state__in=step_of(step).sources)
    if province is not None:
        queryset = queryset.filter(province=province)
    return queryset.order_by("province__sort_key", "artisan__sort_key", "pk")


def documents_listed_for(*, user, kind: str = ""):
    """The documents the user may see, newest first, of one kind if `kind` is one; without the data each
    was built from (a national list: hundreds of rows of JSON)."""
    queryset = (
        documents_visible_to(user)
        .defer("source_data", "replaced_by__source_data")
        .order_by("-requested_at", "-id")
    )
    if kind and kind in dict(GeneratedDocument._meta.get_field("kind").flatchoices):
        queryset = queryset.filter(kind=kind)
    return queryset


def documents_of_session(*, user, session):
    """The documents of a council session the user may see, by kind and request time."""
    return documents_visible_to(user).filter(session_ref=session.pk).order_by("kind", "requested_at")


def documents_covering(*, user, dossier):
    """The documents covering the dossier that the user may see, newest first."""
    return documents_visible_to(user).filter(dossiers=dossier).order_by("-requested_at", "-id")


@dataclass(frozen=True)
class Progress:
    """Where a dossier stands in the procedure: the main road's states, each done, current or ahead; the
    state it is in when that is off the road (returned, on hold, not passed); who must act and by when."""

    road: list[tuple[str, str, str]]  # (state, label, "done" | "current" | "ahead")
    off_road: str | None
    waiting_role: str | None
    holder: str | None  # the body whose people hold the waiting task: a department, a council
    last_day: date | None


def dossier_progress(*, dossier, history: Sequence) -> Progress:
    """From the dossier's audit trail (`history`, as the page already holds it) and its waiting task:
    one query."""
    from dossiers.models import DossierState

    from .flows import waiting_task
    from .transitions import main_road

    road = main_road()
    reached = {entry.to_state for entry in history} | {dossier.state}
    furthest = max((road.index(s) for s in reached if s in road), default=0)
    current = road.index(dossier.state) if dossier.state in road else None
    rows = []
    for i, state in enumerate(road[1:], start=1):  # the draft is no stage anyone reads
        status = "current" if i == current else "done" if i <= furthest else "ahead"
        rows.append((state, DossierState(state).label, status))
    task = waiting_task(dossier)
    data = (task.data or {}) if task is not None else {}
    from .reminders import last_day_of

    last_day = last_day_of(datetime.fromisoformat(data["due"])) if data.get("due") else None
    role = Role(data["role"]) if data.get("role") else None
    return Progress(
        road=rows,
        off_road=None if current is not None else DossierState(dossier.state).label,
        waiting_role=role.label if role else None,
        holder=holder_of(dossier, role) if role else None,
        last_day=last_day,
    )


def holder_of(dossier, role: Role) -> str | None:
    """The body whose people hold a task of `role` on the dossier: the department of its province for an
    officer, the council of the level it stands before for a council's member or secretary (the level
    is the state's first word: provincial_review, ministerial_passed, …). None for the Ministry's roles,
    whose label already names the Ministry, and where no such body is recorded. One query."""
    from accounts.models import Agency
    from councils.models import Council

    if role is Role.PROVINCIAL_OFFICER:
        bodies = Agency.objects.filter(
            kind=Agency.Kind.PROVINCIAL_DEPARTMENT, province_id=dossier.province_id
        ).order_by("pk")
    elif role in (Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY):
        level = dossier.state.split("_")[0]
        if level not in Council.Level.values:
            return None
        bodies = Council.objects.filter(round_id=dossier.round_id, level=level).order_by("-pk")
        if level == Council.Level.PROVINCIAL:
            bodies = bodies.filter(province_id=dossier.province_id)
    else:
        return None
    return bodies.values_list("name", flat=True).first()
