"""The request that the council judge a dossier that fails a checkable criterion.

The guard of `send_to_provincial_council` (workflows.guards.dossier_may_go_to_council) lets such a dossier
go to the council only with a written reason; the province's officer records it here while the dossier
is still with the department (submitted or admitted). The council reads it on the agenda dossier page and
in the session's minutes. Once the dossier has gone to the council the reason can no longer change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import require
from core.text import to_nfc
from dossiers.eligibility import evaluate
from dossiers.facts import facts_from_dossier
from dossiers.models import Dossier, DossierState
from dossiers.rulebook.selectors import rules_for_round

from ..models import AuditEntry
from ..permissions import can_request_council_judgement

# The audit log's name of this act (it changes no state: from and to are the dossier's state).
REQUEST_COUNCIL_JUDGEMENT = "request_council_judgement"
# While the dossier is still with the department; afterwards the council has read the reason.
JUDGEMENT_REQUEST_STATES = frozenset({DossierState.SUBMITTED, DossierState.ADMITTED})


def council_judgement_request(*, dossier: Dossier, reason: str, by, request_id: str = "") -> Dossier:
    """Record (or replace) why the council should judge `dossier` although it fails a checkable
    criterion, for an officer of its department. Writes the reason (NFC) and one audit entry."""
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("round", "artisan")
            .get(pk=dossier.pk)
        )
        require(can_request_council_judgement(by, locked))
        if locked.state not in JUDGEMENT_REQUEST_STATES:
            raise ValidationError(
                _("The reason for the council can be recorded only before the dossier goes to the council."),
                code="not_possible",
            )
        reason = to_nfc(reason or "")
        if not reason:
            raise ValidationError(
                _("Write why the council should judge this dossier."), code="reason_required"
            )
        report = evaluate(facts_from_dossier(locked), rules_for_round(locked.round))
        if report.overall != "not_met":
            raise ValidationError(
                _("The dossier fails no checkable criterion: the council judges it without a request."),
                code="not_needed",
            )
        locked.council_judgement_note = reason
        locked.save(update_fields=["council_judgement_note", "updated_at"])
        AuditEntry.objects.create(
            dossier=locked,
            transition=REQUEST_COUNCIL_JUDGEMENT,
            from_state=locked.state,
            to_state=locked.state,
            actor=by,
            reason=reason,
            request_id=request_id,
        )
    return locked
