"""Running a step: the one way a dossier's state changes.

`dossier_transition` checks the user's right (the step's roles and scope), takes the row lock, re-checks
the state after the lock (a parallel attempt that got there first makes this one fail with "already
changed"), checks the reason, the guards and the data, runs the declared transition, moves the inbox
tasks, appends one audit entry, requests the step's documents and emits its event after commit. All of
it is read from the step's declaration (workflows/transitions.py); nothing here knows a step by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import Decision, allow, deny, require
from dossiers.models import Dossier

from ..document_requests import batch_documents
from ..events import dossier_state_changed
from ..flows import tasks_follow
from ..models import AuditEntry
from ..permissions import can_run_step
from ..steps import Step
from ..transitions import DossierFlow, step_of, steps_of, task_on_entering


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
    flow: type[DossierFlow] = DossierFlow,
    **data: Any,
) -> DossierFlow:
    """Take the step `name` of `flow` on `dossier` as `by`. `in_batch`: the caller requests the step's
    batch documents once for the whole batch."""
    expected = dossier.state
    with transaction.atomic():
        # of=self: lock the dossier row only, not the joined round and artisan (other dossiers share them)
        locked = (
            flow.objects.select_for_update(of=("self",)).select_related("round", "artisan").get(pk=dossier.pk)
        )
        spec, arguments, reason = _checked(locked, expected, name, by, reason, data, flow)
        getattr(locked, name)(**arguments)
        locked.save()
        if spec.artisan_fields:
            locked.artisan.save(update_fields=list(spec.artisan_fields))
        tasks_follow(locked, by=by, task=spec.task if spec.target else task_on_entering(locked.state, flow))
        entry = AuditEntry.objects.create(
            dossier=locked,
            transition=name,
            from_state=expected,
            to_state=locked.state,
            actor=by,
            reason=reason,
            request_id=request_id,
        )
        for request in spec.documents:
            request(locked, by=by, reason=reason)
        if not in_batch:
            batch_documents(spec.batch_documents, [locked.pk], by=by)
        event = {
            "dossier_id": locked.pk,
            "transition": name,
            "from_state": expected,
            "to_state": locked.state,
            "actor_id": getattr(by, "pk", None),
            "reason": reason,
            "audit_entry_id": entry.pk,
            "step": spec,
        }
        transaction.on_commit(lambda: dossier_state_changed.send(sender=flow, **event))
    return locked


def transition_check(
    *, dossier: Dossier, name: str, by, reason: str = "", flow: type[DossierFlow] = DossierFlow, **data: Any
) -> Decision:
    """Would `dossier_transition` succeed now? Everything it checks, nothing it writes (batch previews)."""
    locked = dossier if isinstance(dossier, flow) else flow.objects.get(pk=dossier.pk)
    try:
        _checked(locked, locked.state, name, by, reason, data, flow)
    except PermissionDenied as exc:
        return deny(str(exc))
    except ValidationError as exc:
        return deny(" ".join(exc.messages))
    return allow()


def _checked(
    locked: DossierFlow, expected: str, name: str, by, reason: str, data: dict, flow: type[DossierFlow]
) -> tuple[Step, dict, str]:
    """The checks of a step, in order; returns its declaration, its arguments and the cleaned reason."""
    spec = step_of(name, flow)
    if locked.state != expected:
        raise StaleTransition(
            _("The dossier has already changed (it is now “%(state)s”); reload the page.")
            % {"state": locked.get_state_display()},
            code="stale",
        )
    if locked.state not in spec.sources:
        raise ValidationError(
            _("This step is not possible while the dossier is “%(state)s”.")
            % {"state": locked.get_state_display()},
            code="not_possible",
        )
    require(can_run_step(by, locked, spec))
    reason = (reason or "").strip()
    if spec.reason_required and not reason:
        raise ValidationError(_("Give the reason for this step."), code="reason_required")
    for guard in spec.guards:
        decision = guard(locked)
        if not decision:
            raise ValidationError(decision.reason, code="guard")
    return spec, spec.clean_data(locked, data), reason


@dataclass
class BatchResult:
    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def dossiers_transition_batch(
    *, dossiers: Iterable[Dossier], name: str, by, reason: str = "", request_id: str = "", **data: Any
) -> BatchResult:
    """The same step on many dossiers (forward a province's passed dossiers, post a list, record the
    President's decision): each through dossier_transition, in its own transaction, with its own audit
    entry and event. A refusal for one dossier does not stop the others; it is reported with its reason.
    The step's batch documents are requested once, for every dossier it was taken for."""
    spec = step_of(name)
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
        batch_documents(spec.batch_documents, result.done, by=by)
    return result


def available_transitions(dossier: Dossier, user) -> list[str]:
    """The steps this user may take on this dossier now (source state and permission; guards are
    checked when the step is taken, so that their reason can be shown)."""
    return [
        name
        for name, spec in steps_of().items()
        if dossier.state in spec.sources and can_run_step(user, dossier, spec)
    ]
