"""Document services of the procedure that a user asks for: retrying a failed build, rebuilding a
declaration as a correction, drafting a council's establishing decision. Each checks its permission
(workflows.permissions) before it writes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import require
from councils.models import Council
from documents.kinds import DECLARATION_KIND
from documents.models import GeneratedDocument
from documents.services import document_retry
from dossiers.facts import dossiers_for_facts
from dossiers.models import Dossier

from ..document_requests import council_decision_request, declaration_request
from ..permissions import can_draft_council_decision, can_manage_document


def document_retry_by(*, document: GeneratedDocument, by) -> GeneratedDocument:
    require(can_manage_document(by, document))
    return document_retry(document=document, by=by)


def declaration_correct(*, document: GeneratedDocument, by, reason: str) -> GeneratedDocument:
    """Rebuild a declaration from the dossier as it is now, as a correction of `document`."""
    require(can_manage_document(by, document))
    if document.kind not in DECLARATION_KIND.values() or document.dossier_id is None:
        raise ValidationError(_("Only a declaration can be rebuilt from the dossier."), code="kind")
    dossier = (
        dossiers_for_facts(Dossier.objects.filter(pk=document.dossier_id))
        .select_related("round", "province")
        .get()
    )
    return declaration_request(dossier, by=by, replaces=document, reason=reason)


def council_decision_issue(*, council: Council, by) -> GeneratedDocument:
    """The establishing decision of a council, drafted for its issuing body."""
    require(can_draft_council_decision(by, council))
    with transaction.atomic():
        return council_decision_request(council, by=by)
