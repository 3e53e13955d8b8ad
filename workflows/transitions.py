"""Every way a dossier's state can change, declared once (django-fsm-2 on a proxy of Dossier).

Each transition says its sources, its target, who may run it (`roles`, within `scope`: the dossier's
province or the ministry), whether a reason is required, and the guards it needs (workflows/guards.py).
Nothing here checks permission or writes: workflows/services.py runs a transition with the permission
check, the row lock, the audit entry and the event. Read top to bottom, this is the procedure of
../shared/domain/decree-43-2024.md §5.
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition

from dossiers.models import LIVE_STATES, Dossier, DossierState

from . import guards

S = DossierState
OFFICER, MEMBER, SECRETARY = "provincial_officer", "council_member", "council_secretary"
CLERK, LEADER = "ministry_clerk", "ministry_leader"
PROVINCE, MINISTRY = "province", "ministry"
ALL_BUT_DRAFT = [s for s in S if s != S.DRAFT]
BEFORE_MINISTRY = [
    S.DRAFT,
    S.SUBMITTED,
    S.NEEDS_SUPPLEMENT,
    S.ADMITTED,
    S.PROVINCIAL_REVIEW,
    S.PROVINCIAL_PASSED,
    S.PROVINCIAL_POSTED,
]


def rule(*roles: str, scope: str, reason: bool = False, guards_: tuple = (), data: tuple = ()) -> dict:
    return {
        "roles": frozenset(roles),
        "scope": scope,
        "reason_required": reason,
        "guards": guards_,
        "data": data,
    }


class DossierFlow(Dossier):
    class Meta:
        proxy = True

    # --- the provincial Department of Industry and Trade ------------------------------------------------
    @transition(field="state", source=S.DRAFT, target=S.SUBMITTED, custom=rule(OFFICER, scope=PROVINCE))
    def submit(self, **data):
        """The dossier is received (in person, by post or online)."""

    @transition(
        field="state",
        source=S.SUBMITTED,
        target=S.NEEDS_SUPPLEMENT,
        custom=rule(OFFICER, scope=PROVINCE, reason=True, data=("on",)),
    )
    def return_for_supplement(self, *, on, **data):
        """Written reply: what is missing; the applicant has the supplement period to complete it."""
        self.returned_on = on

    @transition(
        field="state",
        source=S.NEEDS_SUPPLEMENT,
        target=S.SUBMITTED,
        custom=rule(OFFICER, scope=PROVINCE, data=("on",)),
    )
    def resubmit(self, *, on, **data):
        self.resubmitted_on = on

    @transition(
        field="state",
        source=S.SUBMITTED,
        target=S.ADMITTED,
        custom=rule(OFFICER, scope=PROVINCE, guards_=(guards.dossier_is_complete,)),
    )
    def admit(self, **data):
        """Valid and complete: admitted for the council."""

    @transition(
        field="state",
        source=[S.SUBMITTED, S.NEEDS_SUPPLEMENT, S.ADMITTED],
        target=S.REJECTED,
        custom=rule(OFFICER, scope=PROVINCE, reason=True),
    )
    def reject(self, **data):
        """Not admissible (e.g. the supplement period passed, or the person is out of scope)."""

    @transition(
        field="state",
        source=S.ADMITTED,
        target=S.PROVINCIAL_REVIEW,
        custom=rule(OFFICER, scope=PROVINCE, guards_=(guards.dossier_may_go_to_council,)),
    )
    def send_to_provincial_council(self, **data):
        pass

    # --- the provincial council (its ballots: councils app) --------------------------------------------
    @transition(
        field="state",
        source=S.PROVINCIAL_REVIEW,
        target=S.PROVINCIAL_PASSED,
        custom=rule(SECRETARY, scope=PROVINCE),
    )
    def record_provincial_pass(self, **data):
        pass

    @transition(
        field="state",
        source=S.PROVINCIAL_REVIEW,
        target=S.PROVINCIAL_FAILED,
        custom=rule(SECRETARY, scope=PROVINCE),
    )
    def record_provincial_fail(self, **data):
        pass

    @transition(
        field="state",
        source=S.PROVINCIAL_PASSED,
        target=S.PROVINCIAL_POSTED,
        custom=rule(OFFICER, scope=PROVINCE, data=("on",)),
    )
    def post_provincial_result(self, *, on, **data):
        """Decree 43/2024 Art. 14(d): the provincial portal posts the council's results."""
        self.provincial_posted_on = on

    @transition(
        field="state",
        source=S.PROVINCIAL_POSTED,
        target=S.FORWARDED,
        custom=rule(OFFICER, scope=PROVINCE, guards_=(guards.provincial_posting_period_over,)),
    )
    def forward_to_ministry(self, **data):
        pass

    # --- the Ministry of Industry and Trade and the ministerial council ------------------------------
    @transition(
        field="state", source=S.FORWARDED, target=S.MINISTERIAL_REVIEW, custom=rule(CLERK, scope=MINISTRY)
    )
    def send_to_ministerial_council(self, **data):
        pass

    @transition(
        field="state",
        source=S.MINISTERIAL_REVIEW,
        target=S.MINISTERIAL_PASSED,
        custom=rule(CLERK, scope=MINISTRY),
    )
    def record_ministerial_pass(self, **data):
        pass

    @transition(
        field="state",
        source=S.MINISTERIAL_REVIEW,
        target=S.MINISTERIAL_FAILED,
        custom=rule(CLERK, scope=MINISTRY),
    )
    def record_ministerial_fail(self, **data):
        pass

    @transition(
        field="state",
        source=S.MINISTERIAL_PASSED,
        target=S.GOV_POSTING,
        custom=rule(CLERK, scope=MINISTRY, data=("on",)),
    )
    def post_on_government_portal(self, *, on, **data):
        """Decree 43/2024 Art. 16(1)(c): posted for public comment for the rulebook's period."""
        self.gov_posted_on = on

    @transition(
        field="state",
        source=S.GOV_POSTING,
        target=S.STATE_REVIEW,
        custom=rule(CLERK, scope=MINISTRY, guards_=(guards.gov_posting_period_over,)),
    )
    def send_to_state_council(self, **data):
        pass

    # --- the State council, appraisal, the Prime Minister and the President ------------------------------
    @transition(
        field="state", source=S.STATE_REVIEW, target=S.STATE_PASSED, custom=rule(CLERK, scope=MINISTRY)
    )
    def record_state_pass(self, **data):
        pass

    @transition(
        field="state", source=S.STATE_REVIEW, target=S.STATE_FAILED, custom=rule(CLERK, scope=MINISTRY)
    )
    def record_state_fail(self, **data):
        pass

    @transition(field="state", source=S.STATE_PASSED, target=S.APPRAISAL, custom=rule(CLERK, scope=MINISTRY))
    def send_to_appraisal(self, **data):
        """Appraisal by the Central Emulation and Commendation Board (Ministry of Home Affairs)."""

    @transition(
        field="state", source=S.APPRAISAL, target=S.PROPOSED, custom=rule(CLERK, LEADER, scope=MINISTRY)
    )
    def propose_to_prime_minister(self, **data):
        pass

    @transition(
        field="state",
        source=S.PROPOSED,
        target=S.CONFERRED,
        custom=rule(CLERK, scope=MINISTRY, data=("decision_number", "decision_date")),
    )
    def record_conferral(self, *, decision_number, decision_date, **data):
        self.decision_number = decision_number
        self.decision_date = decision_date

    @transition(
        field="state",
        source=S.PROPOSED,
        target=S.NOT_CONFERRED,
        custom=rule(CLERK, scope=MINISTRY, reason=True),
    )
    def record_non_conferral(self, **data):
        pass

    # --- exceptions ----------------------------------------------------------------------------------------
    @transition(
        field="state",
        source=list(LIVE_STATES),
        target=S.ON_HOLD,
        custom=rule(OFFICER, CLERK, scope="either", reason=True),
    )
    def hold(self, **data):
        """A complaint, investigation or discipline is open (Decree 152/2025): no forward step until
        released."""
        self.hold_return_state = self.state

    @transition(
        field="state",
        source=S.ON_HOLD,
        target=RETURN_VALUE(*LIVE_STATES),
        custom=rule(OFFICER, CLERK, scope="either", reason=True, guards_=(guards.hold_return_state_known,)),
    )
    def release(self, **data):
        state, self.hold_return_state = self.hold_return_state, ""
        return state

    @transition(
        field="state",
        source=[*LIVE_STATES, S.ON_HOLD],
        target=S.WITHDRAWN,
        custom=rule(OFFICER, CLERK, scope="either", reason=True),
    )
    def withdraw(self, **data):
        """The applicant withdraws the nomination (in writing)."""

    @transition(
        field="state",
        source=ALL_BUT_DRAFT,
        target=RETURN_VALUE(*DossierState),
        custom=rule(CLERK, scope=MINISTRY, reason=True, data=("previous",)),
    )
    def revert(self, *, previous, **data):
        """Undo the last step (a clerk's correction), back to the state it came from."""
        return previous


def transition_names() -> list[str]:
    return sorted({t.name for t in DossierFlow._meta.get_field("state").get_all_transitions(DossierFlow)})


def transition_meta(name: str):
    """(sources, target, custom) of a transition, from its declaration."""
    field = DossierFlow._meta.get_field("state")
    found = [t for t in field.get_all_transitions(DossierFlow) if t.name == name]
    if not found:
        raise KeyError(name)
    return found


# What each step is called on the buttons and in the timeline.
LABELS = {
    "submit": _("Record the receipt"),
    "return_for_supplement": _("Return for supplement"),
    "resubmit": _("Record the supplemented dossier"),
    "admit": _("Admit"),
    "reject": _("Reject"),
    "send_to_provincial_council": _("Send to the provincial council"),
    "record_provincial_pass": _("Record: passed the provincial council"),
    "record_provincial_fail": _("Record: not passed by the provincial council"),
    "post_provincial_result": _("Record the posting of the provincial result"),
    "forward_to_ministry": _("Forward to the Ministry"),
    "send_to_ministerial_council": _("Send to the ministerial council"),
    "record_ministerial_pass": _("Record: passed the ministerial council"),
    "record_ministerial_fail": _("Record: not passed by the ministerial council"),
    "post_on_government_portal": _("Record the posting on the Government portal"),
    "send_to_state_council": _("Send to the State council"),
    "record_state_pass": _("Record: passed the State council"),
    "record_state_fail": _("Record: not passed by the State council"),
    "send_to_appraisal": _("Send for appraisal"),
    "propose_to_prime_minister": _("Propose to the Prime Minister"),
    "record_conferral": _("Record the President's decision to confer"),
    "record_non_conferral": _("Record that the title was not conferred"),
    "hold": _("Put on hold"),
    "release": _("Release the hold"),
    "withdraw": _("Record the withdrawal"),
    "revert": _("Undo the last step"),
}

# The steps that record a decision: a council's result, the President's decision (or that none was
# made). Taken from a page, they need a recent password (and code): web.account_views.reauth_required.
DECISION_STEPS = frozenset(
    {
        "record_provincial_pass",
        "record_provincial_fail",
        "record_ministerial_pass",
        "record_ministerial_fail",
        "record_state_pass",
        "record_state_fail",
        "record_conferral",
        "record_non_conferral",
    }
)
