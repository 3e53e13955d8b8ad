"""Every write of the procedure, by sub-domain: steps (transitions), council ballots and complaints
(councils), documents a user asks for (documents), a data subject's export (personal_data)."""

from .councils import council_ballot_close, council_ballot_open, public_comment_to_complaint
from .documents import council_decision_issue, declaration_correct, document_retry_by
from .judgement import council_judgement_request
from .transitions import (
    BatchResult,
    StaleTransition,
    available_transitions,
    batch_documents_flush,
    dossier_transition,
    dossiers_transition_batch,
    step_committed,
    transition_check,
)

__all__ = [
    "BatchResult",
    "StaleTransition",
    "available_transitions",
    "batch_documents_flush",
    "council_ballot_close",
    "council_ballot_open",
    "council_decision_issue",
    "council_judgement_request",
    "declaration_correct",
    "document_retry_by",
    "dossier_transition",
    "dossiers_transition_batch",
    "public_comment_to_complaint",
    "step_committed",
    "transition_check",
]
