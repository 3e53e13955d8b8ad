"""Council services that move the procedure: opening and closing a session's secret ballot (with the
session's documents and every dossier's result step), and turning a public comment into a complaint."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import handover
from councils.models import PublicComment
from councils.services import ballot_close, ballot_open
from dossiers.models import Dossier
from notifications.events import Event, EventType
from notifications.services import notify

from ..document_requests import ballot_paper_requests, session_minutes_requests
from ..transitions import DossierFlow, council_result_step
from .transitions import dossier_transition


@transaction.atomic
def council_ballot_open(*, session, by):
    """Open a session's secret ballot (quorum checked by councils) and request its ballot papers
    (Forms 07, 08) for a council that votes on paper."""
    opened = ballot_open(session=session, by=by)
    ballot_paper_requests(opened, by=by)
    return opened


def council_ballot_close(*, session, by, request_id: str = ""):
    """Close a session's secret ballot, count it once, and record every dossier's result in the
    procedure in the same step: the step declared for the council's level and the result, one
    transition and one audit entry each; then request the minutes and the vote-counting minutes
    (Forms 05, 06) of the session. One transaction: its events and documents are handed to the worker
    together after it commits (a hundred results' events in one message, not a hundred messages)."""
    with transaction.atomic(), handover.gathered():
        tallies = ballot_close(session=session, by=by)
        level = session.council.level
        for tally in tallies:
            dossier_transition(
                dossier=Dossier.objects.get(pk=tally.dossier_id),
                name=council_result_step(level, passed=tally.passed).name,
                by=by,
                reason=_("Secret ballot: %(agree)d of %(base)d agree.")
                % {"agree": tally.agree, "base": tally.base},
                request_id=request_id,
            )
        session_minutes_requests(session, tallies, by=by)
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
    # the complaint itself, besides the hold's own state-change event
    notify(
        Event(
            EventType.COMPLAINT_RECEIVED,
            dossier_id=dossier.pk,
            actor_id=by.pk,
            data={"comment_id": locked.pk},
        )
    )
    return dossier
