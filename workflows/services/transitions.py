"""Running a step: the one way a dossier's state changes.

`dossier_transition` checks the user's right (the step's roles and scope), takes the row lock, re-checks
the state after the lock (a parallel attempt that got there first makes this one fail with "already
changed"), checks the reason, the guards and the data, runs the declared transition, moves the inbox
tasks, appends one audit entry, requests the step's documents and emits its event after commit. All of
it is read from the step's declaration (workflows/transitions.py); nothing here knows a step by name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from core import handover
from core.permissions import Decision, allow, deny, require
from dossiers.facts import DOSSIER_JOINS
from dossiers.models import Dossier
from dossiers.rulebook.selectors import rules_held

from ..document_requests import batch_documents
from ..events import dossier_state_changed
from ..flows import tasks_follow
from ..models import AuditEntry, PendingBatchDocument
from ..permissions import can_run_step
from ..steps import Step
from ..transitions import DossierFlow, step_of, steps_of, task_on_entering

logger = logging.getLogger(__name__)


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
    # the round's rules read once for the whole step; its events' and documents' hand-over marks
    # written together after the commit
    with transaction.atomic(), rules_held(), handover.gathered():
        # of=self: lock the dossier row only, not the joined rows (other dossiers share them)
        locked = (
            flow.objects.select_for_update(of=("self",)).select_related(*DOSSIER_JOINS).get(pk=dossier.pk)
        )
        spec, arguments, reason = _checked(locked, expected, name, by, reason, data, flow)
        getattr(locked, name)(**arguments)
        locked.save()
        if spec.artisan_fields:
            locked.artisan.save(update_fields=list(spec.artisan_fields))
        for write in spec.writes:
            write(locked, by=by, from_state=expected)
        new_task = tasks_follow(
            locked, by=by, task=spec.task if spec.target else task_on_entering(locked.state, flow)
        )
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
        elif spec.batch_documents:
            PendingBatchDocument.objects.get_or_create(
                dossier=locked, step=name, defaults={"requested_by": by}
            )
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
        # Inside the transaction: the receivers write the step's events (state change, task assigned,
        # posting started) with the step, or not at all. Handing them to the worker happens after
        # commit, and the sweep hands over whatever was committed but not handed over.
        dossier_state_changed.send(sender=flow, dossier=locked, task=new_task, **event)
    _drop_if_broken()
    return locked


def _drop_if_broken() -> None:
    """After the step committed, a connection that died (in an after-commit hand-over) is closed, so
    that the rest of the request (the message, the session) opens a new one instead of failing a step
    that is already done."""
    if not connection.in_atomic_block and connection.errors_occurred and not connection.is_usable():
        connection.close()


def step_committed(*, request_id: str, dossier_id: int) -> bool | None:
    """Whether the step taken with `request_id` on the dossier is recorded, asked on a new connection
    when the commit's outcome is unknown (the connection was lost at COMMIT). None: cannot tell now."""
    if connection.in_atomic_block:  # the step was part of a caller's transaction: nothing committed
        return False
    if not request_id:
        return None
    try:
        connection.close()
        return AuditEntry.objects.filter(request_id=request_id, dossier_id=dossier_id).exists()
    except DatabaseError:
        return None


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
    # the connection was lost and it could not be told whether the step was kept: check the dossier
    unknown: list[int] = field(default_factory=list)


def dossiers_transition_batch(
    *, dossiers: Iterable[Dossier], name: str, by, reason: str = "", request_id: str = "", **data: Any
) -> BatchResult:
    """The same step on many dossiers (forward a province's passed dossiers, post a list, record the
    President's decision): each through dossier_transition, in its own transaction, with its own audit
    entry and events. A refusal for one dossier does not stop the others; it is reported with its
    reason. A lost connection does not stop them either: whether that dossier's step was kept is asked
    by its request id on a new connection, and said as it is.

    The step's batch documents are requested once for every dossier it was taken for: each dossier's
    transaction leaves a `PendingBatchDocument`, and `batch_documents_flush` turns all of them (this
    batch's, and those of an earlier batch cut short) into the documents. The sweep flushes what a
    killed process left."""
    result = BatchResult()
    with handover.deferred():  # the dossiers' events go to the worker fifty steps at a time
        _each_in_batch(dossiers, name, by, reason, request_id, data, result)
        try:  # the batch documents: handed over with the last steps' events
            batch_documents_flush(step=name, by=by)
        except DatabaseError:  # the steps are kept; the sweep requests their documents
            logger.exception("batch %s: its documents will be requested by the sweep", name)
            connection.close()
    return result


def _each_in_batch(dossiers, name: str, by, reason: str, request_id: str, data: dict, result: BatchResult):
    import uuid

    for dossier in dossiers:
        item_id = f"{request_id or uuid.uuid4().hex}:{dossier.pk}"[-64:]
        try:
            dossier_transition(
                dossier=dossier, name=name, by=by, reason=reason, request_id=item_id, in_batch=True, **data
            )
        except PermissionDenied as exc:
            result.refused.append((dossier.pk, str(exc)))
        except ValidationError as exc:
            result.refused.append((dossier.pk, " ".join(exc.messages)))
        except DatabaseError:
            logger.exception("batch %s: the connection was lost at dossier %s", name, dossier.pk)
            kept = step_committed(request_id=item_id, dossier_id=dossier.pk)
            if kept:
                result.done.append(dossier.pk)
            elif kept is None:
                result.unknown.append(dossier.pk)
            else:
                result.refused.append((dossier.pk, _("The connection to the database was lost; not done.")))
        else:
            result.done.append(dossier.pk)


def batch_documents_flush(*, step: str | None = None, by=None, older_than_seconds: int = 0) -> int:
    """Request the batch documents of the dossiers that took a batch step and have none yet (for one
    step, or every step); rows younger than `older_than_seconds` are left (their batch is still
    running). Safe to run twice at once: the rows are locked and removed with the request. Returns the
    number of dossiers covered."""
    from datetime import timedelta

    from django.utils import timezone

    covered = 0
    with transaction.atomic():
        pending = PendingBatchDocument.objects.select_for_update(skip_locked=True, of=("self",)).order_by(
            "pk"
        )
        if step is not None:
            pending = pending.filter(step=step)
        if older_than_seconds:
            pending = pending.filter(created_at__lte=timezone.now() - timedelta(seconds=older_than_seconds))
        rows = list(pending.select_related("requested_by"))
        by_step: dict[str, list[PendingBatchDocument]] = {}
        for row in rows:
            by_step.setdefault(row.step, []).append(row)
        for name, group in by_step.items():
            requester = by if by is not None else group[-1].requested_by
            batch_documents(step_of(name).batch_documents, [row.dossier_id for row in group], by=requester)
            covered += len(group)
        PendingBatchDocument.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return covered


def available_transitions(dossier: Dossier, user) -> list[str]:
    """The steps this user may take on this dossier now (source state and permission; guards are
    checked when the step is taken, so that their reason can be shown)."""
    return [
        name
        for name, spec in steps_of().items()
        if dossier.state in spec.sources and can_run_step(user, dossier, spec)
    ]
