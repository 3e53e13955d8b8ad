from celery import shared_task
from django.conf import settings

from .models import GeneratedDocument
from .services import document_generate, documents_requeue_stale


@shared_task(bind=True, name="documents.generate", acks_late=True, ignore_result=True, max_retries=None)
def generate(self, document_id: int) -> str:
    """Build one document. Idempotent (a ready document is left alone); a failure is recorded on the
    document and retried with backoff up to DOCUMENTS_MAX_ATTEMPTS, then stays failed, visible and
    retryable by hand."""
    document = document_generate(document_id=document_id)
    if (
        document.status == GeneratedDocument.Status.FAILED
        and not self.request.is_eager
        and document.attempts < settings.DOCUMENTS_MAX_ATTEMPTS
    ):
        raise self.retry(countdown=settings.DOCUMENTS_RETRY_BACKOFF_SECONDS * 2 ** (document.attempts - 1))
    return document.status


@shared_task(name="documents.requeue_stale", ignore_result=True)
def requeue_stale() -> int:
    """Beat: queue again the documents a lost message or a dead worker left waiting."""
    return len(
        documents_requeue_stale(
            older_than_seconds=settings.DOCUMENTS_STALE_SECONDS,
            handover_after_seconds=settings.HANDOVER_SECONDS,
        )
    )
