"""The vocabulary of a step's declaration (workflows/transitions.py declares every step with it).

A `Step` says everything a step of the procedure implies: its label, who may take it and within which
scope, whether a reason is required, the data it takes, its guards, whether it records a decision, the
documents it produces (per dossier and per batch), the task of the state it enters (responsible role and
deadline, for the inbox), the public posting it starts, the council result it records, and the event
it emits. The runner (workflows.services.transitions), the inbox (workflows.flows), the documents and
the notifications read the declaration; nothing elsewhere is keyed by a step's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_fsm import transition

from accounts.roles import Role
from core.forms import VNDateField
from core.permissions import Decision
from core.text import to_nfc
from dossiers.completeness import reply_due, supplement_due
from notifications.events import EventType

from .guards import posting_last_day


class Scope(StrEnum):
    """Where a step's roles may take it: the dossier's province, the ministry, or either."""

    PROVINCE = "province"
    MINISTRY = "ministry"
    EITHER = "either"


# Deadlines of the task a state opens -----------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """The last day to act in a state, from the dossier and the round's rules (None: no deadline yet).
    `kind` names it in reminders (reply, supplement, posting, milestone)."""

    kind: str
    last_day: Callable[[Any, Any], date | None]
    description: str


def _reply_day(dossier, rules) -> date | None:
    return reply_due(received_on=dossier.received_on, resubmitted_on=dossier.resubmitted_on, rules=rules)


def _supplement_day(dossier, rules) -> date | None:
    return supplement_due(returned_on=dossier.returned_on, rules=rules)


def _gov_posting_day(dossier, rules) -> date | None:
    if not dossier.gov_posted_on:
        return None
    # the clerk acts on the day after the posting period ends
    return posting_last_day(dossier.gov_posted_on, rules.value("posting.gov_portal_days")) + timedelta(days=1)


REPLY = Deadline("reply", _reply_day, "the written reply period (intake.reply_days)")
SUPPLEMENT = Deadline("supplement", _supplement_day, "the supplement period (intake.supplement_days)")
AFTER_GOV_POSTING = Deadline(
    "posting", _gov_posting_day, "the day after the Government-portal posting (posting.gov_portal_days)"
)


def milestone(level: str) -> Deadline:
    """The round's last milestone of a level (provincial, ministerial, state)."""

    def last_day(dossier, rules) -> date | None:
        found = dossier.round.milestones.filter(level=level).order_by("due_on").last()
        return found.due_on if found else None

    return Deadline("milestone", last_day, f"the round's {level} milestone")


@dataclass(frozen=True)
class Task:
    """The task a state opens in the inbox of `role`, overdue after its deadline's last day."""

    role: Role
    deadline: Deadline | None = None


# What a step starts or records ------------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    """A public posting that the step starts: its kind, the dossier's date field, the rule of its days."""

    kind: str
    date_field: str
    days_rule: str


@dataclass(frozen=True)
class CouncilResult:
    """The step records a council's secret-ballot result: the council's level, passed or not."""

    level: str
    passed: bool


# The data a step takes ---------------------------------------------------------------------------------
# Each kind of data names its arguments (`names`), the form fields a page asks them with
# (`form_fields`), and how the runner checks them (`clean`). Pages build their forms from these, so a
# step with new data needs no edit of a form, a view or a template.


class OnDate:
    """`on`: the date the step happened (a posting, a return, a resubmission); today when not given."""

    names = ("on",)

    def form_fields(self) -> dict:
        return {"on": VNDateField(label=_lazy("Date"), required=False)}

    def clean(self, dossier, data: dict) -> dict:
        on = data.get("on")
        return {"on": on if on is not None else timezone.localdate()}


class PresidentDecision:
    """`decision_number` and `decision_date` of the President's decision; the date not in the future."""

    names = ("decision_number", "decision_date")

    def form_fields(self) -> dict:
        return {
            "decision_number": forms.CharField(label=_lazy("Decision number"), max_length=64),
            "decision_date": VNDateField(label=_lazy("Decision date")),
        }

    def clean(self, dossier, data: dict) -> dict:
        number = (data.get("decision_number") or "").strip()
        when = data.get("decision_date")
        if not number or not isinstance(when, date):
            raise ValidationError(_("Give the number and date of the President's decision."), code="decision")
        if when > timezone.localdate():
            raise ValidationError(_("The decision date cannot be in the future."), code="decision")
        return {"decision_number": number, "decision_date": when}


class AppraisalLetter:
    """`appraisal_letter_number` and `appraisal_letter_date`: the letter by which the Ministry of Home
    Affairs (Central Emulation and Commendation Board) agrees after its appraisal; the date not in the
    future (docs/law.md §5 step 11, P; the letter as the outcome's record is I)."""

    names = ("appraisal_letter_number", "appraisal_letter_date")

    def form_fields(self) -> dict:
        return {
            "appraisal_letter_number": forms.CharField(label=_lazy("Appraisal letter number"), max_length=64),
            "appraisal_letter_date": VNDateField(label=_lazy("Appraisal letter date")),
        }

    def clean(self, dossier, data: dict) -> dict:
        number = to_nfc(data.get("appraisal_letter_number") or "")
        when = data.get("appraisal_letter_date")
        if not number or not isinstance(when, date):
            raise ValidationError(
                _("Give the number and date of the appraisal letter."), code="appraisal_letter"
            )
        if when > timezone.localdate():
            raise ValidationError(
                _("The appraisal letter's date cannot be in the future."), code="appraisal_letter"
            )
        return {"appraisal_letter_number": number, "appraisal_letter_date": when}


class DeathDate:
    """`date_of_death`: the day the artisan died, between their birth and today."""

    names = ("date_of_death",)

    def form_fields(self) -> dict:
        return {"date_of_death": VNDateField(label=_lazy("Date of death"))}

    def clean(self, dossier, data: dict) -> dict:
        died = data.get("date_of_death")
        if not isinstance(died, date):
            raise ValidationError(_("Give the date of death."), code="date_of_death")
        if died > timezone.localdate() or died < dossier.artisan.date_of_birth:
            raise ValidationError(
                _("The date of death must be between the date of birth and today."), code="date_of_death"
            )
        return {"date_of_death": died}


class PreviousState:
    """`previous`: the state before the last step, from the audit log (for undoing it)."""

    names = ("previous",)

    def form_fields(self) -> dict:
        return {}  # read from the audit log, never typed

    def clean(self, dossier, data: dict) -> dict:
        from .models import AuditEntry
        from .transitions import AUDITED_ACTS

        # the last step, not an act that changed no state (such as the request for the council's judgement)
        last = (
            AuditEntry.objects.filter(dossier=dossier)
            .exclude(transition__in=list(AUDITED_ACTS))
            .order_by("-at", "-id")
            .first()
        )
        if last is None or last.to_state != dossier.state:
            raise ValidationError(_("There is no step to undo."), code="nothing_to_revert")
        return {"previous": last.from_state}


# The declaration ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """Everything one step implies. `name`, `sources` and `target` are filled in by `step()` from the
    method it decorates and its source and target states."""

    label: Any
    roles: frozenset[Role]
    scope: Scope
    reason_required: bool = False
    data: tuple = ()
    guards: tuple[Callable[[Any], Decision], ...] = ()
    records_decision: bool = False
    documents: tuple[Callable, ...] = ()
    batch_documents: tuple[Callable, ...] = ()
    task: Task | None = None
    posting: Posting | None = None
    council_result: CouncilResult | None = None
    event: EventType = EventType.DOSSIER_STATE_CHANGED
    in_batch_page: bool = True
    reason_lists_missing: bool = False  # the page proposes the missing items of the dossier as the reason
    # a step off the main road (return, reject, a "not passed", hold, withdrawal, undo): pages list it after
    # the steps that move the dossier on, and style it as secondary
    detour: bool = False
    artisan_fields: tuple[str, ...] = ()  # the artisan's fields the step changes, saved with the dossier
    # Rows the step writes beside the dossier, in its transaction, after the state changed: each called as
    # write(dossier, by=user, from_state=state left) (the registry of conferred titles).
    writes: tuple[Callable, ...] = ()
    name: str = ""
    sources: tuple[str, ...] = field(default=())
    target: str | None = None

    @property
    def data_names(self) -> tuple[str, ...]:
        return tuple(name for item in self.data for name in item.names)

    def form_fields(self) -> dict:
        """The form fields a page asks this step's data with, by argument name (new instances)."""
        return {name: f for item in self.data for name, f in item.form_fields().items()}

    def clean_data(self, dossier, data: dict) -> dict:
        cleaned: dict = {}
        for item in self.data:
            cleaned.update(item.clean(dossier, data))
        return cleaned


def step(source, target=None, *, returns: tuple = (), roles, **declared):
    """Declare a step: a django-fsm transition on the `state` field whose `custom` carries its `Step`.
    A step enters `target`, or, with `returns`, the one of those states that its method returns."""
    from django_fsm import RETURN_VALUE

    sources = tuple(source) if isinstance(source, list | tuple | set | frozenset) else (source,)

    def decorate(method):
        spec = Step(
            roles=frozenset(roles),
            name=method.__name__,
            sources=sources,
            target=target,
            **declared,
        )
        fsm_target = target if target is not None else RETURN_VALUE(*returns)
        return transition(
            field="state", source=list(sources), target=fsm_target, custom={"step": spec, "label": spec.label}
        )(method)

    return decorate
