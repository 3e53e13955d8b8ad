"""Every way a dossier's state can change, each step declared once (django-fsm-2 on a proxy of Dossier).

Read top to bottom, this is the procedure (docs/law.md §5; the table and diagram in docs/procedure.md are
generated from it by `manage.py procedure_doc`). Each `@step` says everything the step implies (see
workflows/steps.py): the label, the roles and scope, the reason, the data, the guards, the decision, the
documents per dossier and per batch, the task of the state it enters, the posting and the council result.
Nothing here checks permission or writes: workflows.services.transitions runs a step with the permission
check, the row lock, the audit entry, the documents and the event.
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import Transition

from accounts.roles import Role
from dossiers.models import LIVE_STATES, Dossier, DossierState
from dossiers.services.conferrals import conferral_record, conferral_undo

from . import document_requests as docs
from . import guards
from .steps import (
    AFTER_GOV_POSTING,
    REPLY,
    SUPPLEMENT,
    AppraisalLetter,
    CouncilResult,
    DeathDate,
    OnDate,
    Posting,
    PresidentDecision,
    PreviousState,
    Scope,
    Step,
    Task,
    milestone,
    step,
)

S = DossierState
OFFICER, SECRETARY = Role.PROVINCIAL_OFFICER, Role.COUNCIL_SECRETARY
CLERK, LEADER = Role.MINISTRY_CLERK, Role.MINISTRY_LEADER
PROVINCE, MINISTRY, EITHER = Scope.PROVINCE, Scope.MINISTRY, Scope.EITHER
ALL_BUT_DRAFT = [s for s in S if s != S.DRAFT]

# The tasks the states open; a state entered by several steps has one task, declared by each.
OFFICER_REPLIES = Task(OFFICER, REPLY)
OFFICER_AT_PROVINCE = Task(OFFICER, milestone("provincial"))
CLERK_AT_MINISTRY = Task(CLERK, milestone("ministerial"))
CLERK_AT_STATE = Task(CLERK, milestone("state"))


class DossierFlow(Dossier):
    class Meta:
        proxy = True

    # --- the provincial Department of Industry and Trade ------------------------------------------------
    @step(
        S.DRAFT,
        S.SUBMITTED,
        label=_("Record the receipt"),
        roles={OFFICER},
        scope=PROVINCE,
        documents=(docs.declaration,),
        task=OFFICER_REPLIES,
        in_batch_page=False,
    )
    def submit(self, **data):
        """The dossier is received (in person, by post or online), with its evidence when the receipt
        page carried it: the declaration is built then; a dossier whose evidence comes later gets its
        declaration at the admission."""

    @step(
        S.SUBMITTED,
        S.NEEDS_SUPPLEMENT,
        label=_("Return for supplement"),
        detour=True,
        roles={OFFICER},
        scope=PROVINCE,
        reason_required=True,
        reason_lists_missing=True,
        data=(OnDate(),),
        documents=(docs.supplement_letter,),
        task=Task(OFFICER, SUPPLEMENT),
    )
    def return_for_supplement(self, *, on, **data):
        """Written reply: what is missing; the applicant has the supplement period to complete it."""
        self.returned_on = on

    @step(
        S.NEEDS_SUPPLEMENT,
        S.SUBMITTED,
        label=_("Record the supplemented dossier"),
        roles={OFFICER},
        scope=PROVINCE,
        data=(OnDate(),),
        task=OFFICER_REPLIES,
    )
    def resubmit(self, *, on, **data):
        self.resubmitted_on = on

    @step(
        S.SUBMITTED,
        S.ADMITTED,
        label=_("Admit"),
        roles={OFFICER},
        scope=PROVINCE,
        guards=(guards.dossier_is_complete,),
        documents=(docs.declaration_if_missing,),
        task=OFFICER_AT_PROVINCE,
    )
    def admit(self, **data):
        """Valid and complete: admitted for the council; the declaration is built now if the receipt had
        no evidence to build it from."""

    @step(
        [S.SUBMITTED, S.NEEDS_SUPPLEMENT, S.ADMITTED],
        S.REJECTED,
        label=_("Reject"),
        detour=True,
        roles={OFFICER},
        scope=PROVINCE,
        reason_required=True,
    )
    def reject(self, **data):
        """Not admissible (e.g. the supplement period passed, or the person is out of scope)."""

    @step(
        S.ADMITTED,
        S.PROVINCIAL_REVIEW,
        label=_("Send to the provincial council"),
        roles={OFFICER},
        scope=PROVINCE,
        guards=(guards.dossier_may_go_to_council,),
        task=Task(SECRETARY, milestone("provincial")),
    )
    def send_to_provincial_council(self, **data):
        pass

    # --- the provincial council (its ballots: councils app) --------------------------------------------
    @step(
        S.PROVINCIAL_REVIEW,
        S.PROVINCIAL_PASSED,
        label=_("Record: passed the provincial council"),
        roles={SECRETARY},
        scope=PROVINCE,
        records_decision=True,
        council_result=CouncilResult("provincial", passed=True),
        task=OFFICER_AT_PROVINCE,
    )
    def record_provincial_pass(self, **data):
        pass

    @step(
        S.PROVINCIAL_REVIEW,
        S.PROVINCIAL_FAILED,
        label=_("Record: not passed by the provincial council"),
        detour=True,
        roles={SECRETARY},
        scope=PROVINCE,
        records_decision=True,
        council_result=CouncilResult("provincial", passed=False),
    )
    def record_provincial_fail(self, **data):
        pass

    @step(
        S.PROVINCIAL_PASSED,
        S.PROVINCIAL_POSTED,
        label=_("Record the posting of the provincial result"),
        roles={OFFICER},
        scope=PROVINCE,
        data=(OnDate(),),
        batch_documents=(docs.result_notices,),
        posting=Posting("provincial", "provincial_posted_on", "posting.provincial_days"),
        task=OFFICER_AT_PROVINCE,
    )
    def post_provincial_result(self, *, on, **data):
        """Decree 43/2024 Art. 14(d): the provincial portal posts the council's results."""
        self.provincial_posted_on = on

    @step(
        S.PROVINCIAL_POSTED,
        S.FORWARDED,
        label=_("Forward to the Ministry"),
        roles={OFFICER},
        scope=PROVINCE,
        guards=(guards.provincial_posting_period_over,),
        documents=(docs.summary,),
        batch_documents=(docs.SubmissionAndList("provincial"),),
        task=CLERK_AT_MINISTRY,
    )
    def forward_to_ministry(self, **data):
        pass

    # --- the Ministry of Industry and Trade and the ministerial council ------------------------------
    @step(
        S.FORWARDED,
        S.MINISTERIAL_REVIEW,
        label=_("Send to the ministerial council"),
        roles={CLERK},
        scope=MINISTRY,
        task=CLERK_AT_MINISTRY,
    )
    def send_to_ministerial_council(self, **data):
        pass

    @step(
        S.MINISTERIAL_REVIEW,
        S.MINISTERIAL_PASSED,
        label=_("Record: passed the ministerial council"),
        roles={CLERK},
        scope=MINISTRY,
        records_decision=True,
        council_result=CouncilResult("ministerial", passed=True),
        task=CLERK_AT_MINISTRY,
    )
    def record_ministerial_pass(self, **data):
        pass

    @step(
        S.MINISTERIAL_REVIEW,
        S.MINISTERIAL_FAILED,
        label=_("Record: not passed by the ministerial council"),
        detour=True,
        roles={CLERK},
        scope=MINISTRY,
        records_decision=True,
        council_result=CouncilResult("ministerial", passed=False),
    )
    def record_ministerial_fail(self, **data):
        pass

    @step(
        S.MINISTERIAL_PASSED,
        S.GOV_POSTING,
        label=_("Record the posting on the Government portal"),
        roles={CLERK},
        scope=MINISTRY,
        data=(OnDate(),),
        batch_documents=(docs.posting_notice,),
        posting=Posting("gov_portal", "gov_posted_on", "posting.gov_portal_days"),
        task=Task(CLERK, AFTER_GOV_POSTING),
    )
    def post_on_government_portal(self, *, on, **data):
        """Decree 43/2024 Art. 16(1)(c): posted for public comment for the rulebook's period."""
        self.gov_posted_on = on

    @step(
        S.GOV_POSTING,
        S.STATE_REVIEW,
        label=_("Send to the State council"),
        roles={CLERK},
        scope=MINISTRY,
        guards=(guards.gov_posting_period_over,),
        batch_documents=(docs.SubmissionAndList("ministerial"),),
        task=CLERK_AT_STATE,
    )
    def send_to_state_council(self, **data):
        pass

    # --- the State council, appraisal, the Prime Minister and the President ------------------------------
    @step(
        S.STATE_REVIEW,
        S.STATE_PASSED,
        label=_("Record: passed the State council"),
        roles={CLERK},
        scope=MINISTRY,
        records_decision=True,
        council_result=CouncilResult("state", passed=True),
        task=CLERK_AT_STATE,
    )
    def record_state_pass(self, **data):
        pass

    @step(
        S.STATE_REVIEW,
        S.STATE_FAILED,
        label=_("Record: not passed by the State council"),
        detour=True,
        roles={CLERK},
        scope=MINISTRY,
        records_decision=True,
        council_result=CouncilResult("state", passed=False),
    )
    def record_state_fail(self, **data):
        pass

    @step(
        S.STATE_PASSED,
        S.APPRAISAL,
        label=_("Send for appraisal"),
        roles={CLERK},
        scope=MINISTRY,
        task=CLERK_AT_STATE,
    )
    def send_to_appraisal(self, **data):
        """Appraisal by the Central Emulation and Commendation Board (Ministry of Home Affairs)."""

    # The appraisal's outcomes. Decree 43/2024 names no period for the appraisal or for a supplement the
    # appraisal asks for (docs/law.md §5 step 11: the Board appraises, P; its period NF), so the clerk's
    # tasks run to the round's state milestone. The three outcomes are the system's reading (I).
    @step(
        S.APPRAISAL,
        S.APPRAISAL_AGREED,
        label=_("Record: agreed by the appraisal"),
        roles={CLERK},
        scope=MINISTRY,
        data=(AppraisalLetter(),),
        records_decision=True,
        task=CLERK_AT_STATE,
    )
    def record_appraisal_agreed(self, *, appraisal_letter_number, appraisal_letter_date, **data):
        """The Ministry of Home Affairs agrees, by a letter whose number and date are recorded."""
        self.appraisal_letter_number = appraisal_letter_number
        self.appraisal_letter_date = appraisal_letter_date

    @step(
        S.APPRAISAL,
        S.APPRAISAL_SUPPLEMENT,
        label=_("Record: the appraisal asks for a supplement"),
        detour=True,
        roles={CLERK},
        scope=MINISTRY,
        reason_required=True,
        task=CLERK_AT_STATE,
    )
    def request_appraisal_supplement(self, **data):
        """The appraisal asks the Ministry of Industry and Trade for more documents (the reason says
        which)."""

    @step(
        S.APPRAISAL_SUPPLEMENT,
        S.APPRAISAL,
        label=_("Send the supplement to the appraisal"),
        roles={CLERK},
        scope=MINISTRY,
        task=CLERK_AT_STATE,
    )
    def send_appraisal_supplement(self, **data):
        pass

    @step(
        S.APPRAISAL,
        S.APPRAISAL_REFUSED,
        label=_("Record: not agreed by the appraisal"),
        detour=True,
        roles={CLERK},
        scope=MINISTRY,
        reason_required=True,
        records_decision=True,
    )
    def record_appraisal_refusal(self, **data):
        """The appraisal does not agree: final, the dossier is not proposed to the Prime Minister."""

    @step(
        S.APPRAISAL_AGREED,
        S.PROPOSED,
        label=_("Propose to the Prime Minister"),
        roles={CLERK, LEADER},
        scope=MINISTRY,
        batch_documents=(docs.SubmissionAndList("state"),),
        task=CLERK_AT_STATE,
    )
    def propose_to_prime_minister(self, **data):
        pass

    @step(
        S.PROPOSED,
        S.CONFERRED,
        label=_("Record the President's decision to confer"),
        roles={CLERK},
        scope=MINISTRY,
        data=(PresidentDecision(),),
        records_decision=True,
        batch_documents=(docs.decision_record,),
        writes=(conferral_record,),
    )
    def record_conferral(self, *, decision_number, decision_date, **data):
        self.decision_number = decision_number
        self.decision_date = decision_date

    @step(
        S.PROPOSED,
        S.NOT_CONFERRED,
        label=_("Record that the title was not conferred"),
        detour=True,
        roles={CLERK},
        scope=MINISTRY,
        reason_required=True,
        records_decision=True,
    )
    def record_non_conferral(self, **data):
        pass

    # --- exceptions ----------------------------------------------------------------------------------------
    @step(
        list(LIVE_STATES),
        S.ON_HOLD,
        label=_("Put on hold"),
        detour=True,
        roles={OFFICER, CLERK},
        scope=EITHER,
        reason_required=True,
        task=Task(CLERK),
    )
    def hold(self, **data):
        """A complaint, investigation or discipline is open (Decree 152/2025): no forward step until
        released."""
        self.hold_return_state = self.state

    @step(
        S.ON_HOLD,
        returns=tuple(LIVE_STATES),
        label=_("Release the hold"),
        roles={OFFICER, CLERK},
        scope=EITHER,
        reason_required=True,
        guards=(guards.hold_return_state_known,),
    )
    def release(self, **data):
        state, self.hold_return_state = self.hold_return_state, ""
        return state

    @step(
        [*LIVE_STATES, S.ON_HOLD],
        S.WITHDRAWN,
        label=_("Record the withdrawal"),
        detour=True,
        roles={OFFICER, CLERK},
        scope=EITHER,
        reason_required=True,
    )
    def withdraw(self, **data):
        """The applicant withdraws the nomination (in writing)."""

    @step(
        [*LIVE_STATES, S.ON_HOLD],
        returns=tuple(DossierState),
        label=_("Record the artisan's death"),
        detour=True,
        roles={OFFICER, CLERK},
        scope=EITHER,
        reason_required=True,
        data=(DeathDate(),),
        guards=(guards.artisan_is_alive,),
        artisan_fields=("is_deceased", "date_of_death"),
        in_batch_page=False,
    )
    def record_death(self, *, date_of_death, **data):
        """The artisan died during the procedure: the dossier goes on in the same state, posthumous from
        then on (the documents say "truy tặng" and are signed by the legal representative)."""
        self.posthumous = True
        self.artisan.is_deceased = True
        self.artisan.date_of_death = date_of_death
        return self.state

    @step(
        ALL_BUT_DRAFT,
        returns=tuple(DossierState),
        label=_("Undo the last step"),
        detour=True,
        roles={CLERK},
        scope=MINISTRY,
        reason_required=True,
        data=(PreviousState(),),
        writes=(conferral_undo,),
        in_batch_page=False,
    )
    def revert(self, *, previous, **data):
        """Undo the last step (a clerk's correction), back to the state it came from."""
        return previous


# Reading the declarations ------------------------------------------------------------------------------


def _transitions(flow: type[DossierFlow]) -> list[Transition]:
    """The flow's transitions in the order they are declared (base classes' first)."""
    depth = {cls: i for i, cls in enumerate(reversed(flow.__mro__))}

    def declared_at(t: Transition) -> tuple[int, int]:
        owner = next(c for c in flow.__mro__ if t.name in c.__dict__)
        return depth[owner], t.method.__code__.co_firstlineno

    return sorted(flow._meta.get_field("state").get_all_transitions(flow), key=declared_at)


def steps_of(flow: type[DossierFlow] = DossierFlow) -> dict[str, Step]:
    """Every step of a flow by name, in the order of its declaration."""
    cache = flow.__dict__.get("_steps")
    if cache is None:
        cache = {}
        for t in _transitions(flow):
            cache.setdefault(t.name, t.custom["step"])
        type.__setattr__(flow, "_steps", cache)
    return cache


def step_of(name: str, flow: type[DossierFlow] = DossierFlow) -> Step:
    """The declaration of one step; KeyError if the flow has no step of that name."""
    return steps_of(flow)[name]


# Acts in the audit log that are not steps (they change no state), with their label for the timeline.
AUDITED_ACTS = {
    "request_council_judgement": _("Request that the council judge the dossier"),
}


def label_of(name: str) -> str:
    """A step's (or audited act's) label for the timeline; the name itself for a step no longer
    declared."""
    found = steps_of().get(name)
    if found:
        return str(found.label)
    return str(AUDITED_ACTS.get(name, name))


def main_road(flow: type[DossierFlow] = DossierFlow) -> tuple[str, ...]:
    """The states a dossier passes through when nothing goes wrong, in order: from the draft, each time
    the first declared step that is not a detour (a return, a refusal, a "not passed", a hold, an undo)."""
    cache = flow.__dict__.get("_main_road")
    if cache is None:
        road, state = [DossierState.DRAFT.value], DossierState.DRAFT.value
        while True:
            ahead = next(
                (
                    spec.target
                    for spec in steps_of(flow).values()
                    if not spec.detour and state in spec.sources and spec.target and spec.target not in road
                ),
                None,
            )
            if ahead is None:
                break
            road.append(ahead)
            state = ahead
        cache = tuple(road)
        type.__setattr__(flow, "_main_road", cache)
    return cache


def task_on_entering(state: str, flow: type[DossierFlow] = DossierFlow) -> Task | None:
    """The task of a state: declared by the steps that enter it (a step that returns to an earlier state,
    such as release or revert, opens the task of that state)."""
    return _state_tasks(flow).get(state)


def _state_tasks(flow: type[DossierFlow]) -> dict[str, Task]:
    cache = flow.__dict__.get("_state_tasks")
    if cache is None:
        cache = {}
        for spec in steps_of(flow).values():
            if spec.target is None or spec.task is None:
                continue
            known = cache.setdefault(spec.target, spec.task)
            if known != spec.task:
                raise ValueError(f"{spec.target}: steps entering it declare different tasks")
        type.__setattr__(flow, "_state_tasks", cache)
    return cache


def council_result_step(level: str, passed: bool) -> Step:
    """The step that records a council's ballot result at `level`."""
    wanted = CouncilResult(level, passed)
    return next(s for s in steps_of().values() if s.council_result == wanted)


def postings(flow: type[DossierFlow] = DossierFlow) -> list[tuple[str, object]]:
    """(the state a posting runs in, its Posting), for every step that starts one."""
    return [(s.target, s.posting) for s in steps_of(flow).values() if s.posting is not None]


def records_decision(name: str | None) -> bool:
    """Does the step of that name record a decision (a page asks for a recent sign-in first)?"""
    found = steps_of().get(name or "")
    return bool(found and found.records_decision)
