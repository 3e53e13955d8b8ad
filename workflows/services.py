"""Running a transition: the one way a dossier's state changes.

`dossier_transition` checks the user's right (role and scope), takes the row lock, re-checks the state
after the lock (a parallel attempt that got there first makes this one fail with "already changed"),
checks the reason and the guards, runs the declared transition, appends one audit entry and emits the
event after commit. The named functions (`dossier_submit`, ...) are that, for one transition each.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Decision, allow, deny, require
from councils.models import PublicComment
from councils.services import ballot_close, ballot_open
from dossiers.models import Dossier
from notifications.events import Event, EventType
from notifications.services import notify

from . import paperwork
from .events import dossier_state_changed
from .flows import tasks_follow
from .models import AuditEntry
from .permissions import can_run_transition
from .transitions import DossierFlow, transition_meta


class StaleTransition(ValidationError):
    """The dossier changed since the user looked at it."""


def dossier_transition(
    *,
    dossier: Dossier,
    name: str,
    by,
    reason: str = "",
    request_id: str = "",
    in_batch: bool = False,
    **data: Any,
) -> DossierFlow:
    """`in_batch`: the caller requests the step's list documents once for the whole batch."""
    expected = dossier.state
    with transaction.atomic():
        # of=self: lock the dossier row only, not the joined round and artisan (other dossiers share them)
        locked = (
            DossierFlow.objects.select_for_update(of=("self",))
            .select_related("round", "artisan")
            .get(pk=dossier.pk)
        )
        arguments, reason = _checked(locked, expected, name, by, reason, data)
        getattr(locked, name)(**arguments)
        locked.save()
        tasks_follow(locked, by=by)
        entry = AuditEntry.objects.create(
            dossier=locked,
            transition=name,
            from_state=expected,
            to_state=locked.state,
            actor=by,
            reason=reason,
            request_id=request_id,
        )
        paperwork.documents_after_transition(locked, name, by=by, reason=reason)
        if not in_batch:
            paperwork.documents_after_batch(name, [locked.pk], by=by)
        event = {
            "dossier_id": locked.pk,
            "transition": name,
            "from_state": expected,
            "to_state": locked.state,
            "actor_id": getattr(by, "pk", None),
            "reason": reason,
            "audit_entry_id": entry.pk,
        }
        transaction.on_commit(lambda: dossier_state_changed.send(sender=DossierFlow, **event))
    return locked


def transition_check(*, dossier: Dossier, name: str, by, reason: str = "", **data: Any) -> Decision:
    """Would `dossier_transition` succeed now? Everything it checks, nothing it writes (batch previews)."""
    flow = dossier if isinstance(dossier, DossierFlow) else DossierFlow.objects.get(pk=dossier.pk)
    try:
        _checked(flow, flow.state, name, by, reason, data)
    except PermissionDenied as exc:
        return deny(str(exc))
    except ValidationError as exc:
        return deny(" ".join(exc.messages))
    return allow()


def _checked(locked: DossierFlow, expected: str, name: str, by, reason: str, data: dict) -> tuple[dict, str]:
    """The checks of a transition, in order; returns its arguments and the cleaned reason."""
    declared = transition_meta(name)
    if locked.state != expected:
        raise StaleTransition(
            _("The dossier has already changed (it is now “%(state)s”); reload the page.")
            % {"state": locked.get_state_display()},
            code="stale",
        )
    matching = [t for t in declared if t.source in (locked.state, "*")]
    if not matching:
        raise ValidationError(
            _("This step is not possible while the dossier is “%(state)s”.")
            % {"state": locked.get_state_display()},
            code="not_possible",
        )
    custom = matching[0].custom
    require(can_run_transition(by, locked, custom))
    reason = (reason or "").strip()
    if custom["reason_required"] and not reason:
        raise ValidationError(_("Give the reason for this step."), code="reason_required")
    for guard in custom["guards"]:
        decision = guard(locked)
        if not decision:
            raise ValidationError(decision.reason, code="guard")
    return _data_for(name, custom, locked, data), reason


@dataclass
class BatchResult:
    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def dossiers_transition_batch(
    *, dossiers: Iterable[Dossier], name: str, by, reason: str = "", request_id: str = "", **data: Any
) -> BatchResult:
    """The same step on many dossiers (forward a province's passed dossiers, post a list, record the
    President's decision): each through dossier_transition, in its own transaction, with its own audit
    entry and event. A refusal for one dossier does not stop the others; it is reported with its reason."""
    result = BatchResult()
    for dossier in dossiers:
        try:
            dossier_transition(
                dossier=dossier, name=name, by=by, reason=reason, request_id=request_id, in_batch=True, **data
            )
        except PermissionDenied as exc:
            result.refused.append((dossier.pk, str(exc)))
        except ValidationError as exc:
            result.refused.append((dossier.pk, " ".join(exc.messages)))
        else:
            result.done.append(dossier.pk)
    with transaction.atomic():
        paperwork.documents_after_batch(name, result.done, by=by)
    return result


def _data_for(name: str, custom: dict, dossier: DossierFlow, data: dict) -> dict:
    wanted = custom["data"]
    out = {key: data[key] for key in wanted if key in data}
    if "on" in wanted and out.get("on") is None:
        out["on"] = timezone.localdate()
    if "previous" in wanted:
        last = AuditEntry.objects.filter(dossier=dossier).order_by("-at", "-id").first()
        if last is None or last.to_state != dossier.state:
            raise ValidationError(_("There is no step to undo."), code="nothing_to_revert")
        out["previous"] = last.from_state
    if name == "record_conferral":
        if not (data.get("decision_number") or "").strip() or not isinstance(data.get("decision_date"), date):
            raise ValidationError(_("Give the number and date of the President's decision."), code="decision")
        if data["decision_date"] > timezone.localdate():
            raise ValidationError(_("The decision date cannot be in the future."), code="decision")
        out["decision_number"] = data["decision_number"].strip()
    return out


def available_transitions(dossier: Dossier, user) -> list[str]:
    """The steps this user may take on this dossier now (source state and permission; guards are
    checked when the step is taken, so that their reason can be shown)."""
    flow = DossierFlow.objects.get(pk=dossier.pk) if not isinstance(dossier, DossierFlow) else dossier
    names = []
    for t in flow.get_available_state_transitions():
        if can_run_transition(user, flow, t.custom):
            names.append(t.name)
    return sorted(set(names))


def _service(step: str):
    transition_meta(step)  # fails at import if the step is not declared

    def run(*, dossier: Dossier, by, reason: str = "", **data: Any) -> DossierFlow:
        return dossier_transition(dossier=dossier, name=step, by=by, reason=reason, **data)

    run.__name__ = run.__qualname__ = f"dossier_{step}"
    run.__doc__ = f"Run the transition `{step}` (workflows/transitions.py) through dossier_transition."
    return run


dossier_submit = _service("submit")
dossier_return_for_supplement = _service("return_for_supplement")
dossier_resubmit = _service("resubmit")
dossier_admit = _service("admit")
dossier_reject = _service("reject")
dossier_send_to_provincial_council = _service("send_to_provincial_council")
dossier_record_provincial_pass = _service("record_provincial_pass")
dossier_record_provincial_fail = _service("record_provincial_fail")
dossier_post_provincial_result = _service("post_provincial_result")
dossier_forward_to_ministry = _service("forward_to_ministry")
dossier_send_to_ministerial_council = _service("send_to_ministerial_council")
dossier_record_ministerial_pass = _service("record_ministerial_pass")
dossier_record_ministerial_fail = _service("record_ministerial_fail")
dossier_post_on_government_portal = _service("post_on_government_portal")
dossier_send_to_state_council = _service("send_to_state_council")
dossier_record_state_pass = _service("record_state_pass")
dossier_record_state_fail = _service("record_state_fail")
dossier_send_to_appraisal = _service("send_to_appraisal")
dossier_propose_to_prime_minister = _service("propose_to_prime_minister")
dossier_record_conferral = _service("record_conferral")
dossier_record_non_conferral = _service("record_non_conferral")
dossier_hold = _service("hold")
dossier_release = _service("release")
dossier_withdraw = _service("withdraw")
dossier_revert = _service("revert")


RESULT_TRANSITIONS = {
    "provincial": ("record_provincial_pass", "record_provincial_fail"),
    "ministerial": ("record_ministerial_pass", "record_ministerial_fail"),
    "state": ("record_state_pass", "record_state_fail"),
}


@transaction.atomic
def council_ballot_open(*, session, by):
    """Open a session's secret ballot (quorum checked by councils) and request its ballot papers
    (Forms 07, 08) for a council that votes on paper."""
    opened = ballot_open(session=session, by=by)
    paperwork.ballot_paper_requests(opened, by=by)
    return opened


@transaction.atomic
def council_ballot_close(*, session, by, request_id: str = ""):
    """Close a session's secret ballot, count it once, and record every dossier's result in the
    procedure in the same step: passed or not passed, one transition and one audit entry each; then
    request the minutes and the vote-counting minutes (Forms 05, 06) of the session."""
    tallies = ballot_close(session=session, by=by)
    passed_step, failed_step = RESULT_TRANSITIONS[session.council.level]
    for tally in tallies:
        dossier_transition(
            dossier=Dossier.objects.get(pk=tally.dossier_id),
            name=passed_step if tally.passed else failed_step,
            by=by,
            reason=_("Secret ballot: %(agree)d of %(base)d agree.")
            % {"agree": tally.agree, "base": tally.base},
            request_id=request_id,
        )
    paperwork.session_minutes_requests(session, tallies, by=by)
    return tallies


@transaction.atomic
def public_comment_to_complaint(*, comment, by, note: str) -> DossierFlow:
    """A clerk or the province's officer treats a public comment as a complaint: the dossier goes on hold
    until a recorded resolution (release), as Decree 152/2025 requires."""
    locked = PublicComment.objects.select_for_update().select_related("dossier").get(pk=comment.pk)
    if locked.status != PublicComment.Status.RECEIVED:
        raise ValidationError(_("This comment has already been handled."), code="stale")
    dossier = dossier_transition(
        dossier=locked.dossier,
        name="hold",
        by=by,
        reason=_("Complaint from public comment no. %(id)d: %(note)s")
        % {"id": locked.pk, "note": note.strip()},
    )
    locked.status, locked.handled_by, locked.handling_note = PublicComment.Status.COMPLAINT, by, note.strip()
    locked.save(update_fields=["status", "handled_by", "handling_note"])
    # notifications (issue 7): the complaint itself, besides the hold's own state-change event
    notify(
        Event(
            EventType.COMPLAINT_RECEIVED,
            dossier_id=dossier.pk,
            actor_id=by.pk,
            data={"comment_id": locked.pk},
        )
    )
    return dossier
