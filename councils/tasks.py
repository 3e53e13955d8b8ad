"""The sealed ballot box's clean-up, again every few minutes: a close's own clean-up leaves the deleted
sealed ballots in the tables' files while a transaction older than the close still runs (docs/security.md,
"Ballot secrecy in storage"). No argument and no result says anything about a ballot."""

from celery import shared_task

from .services import purge_sealed_box_storage


@shared_task(name="councils.purge_sealed_box")
def purge_sealed_box() -> bool:
    return purge_sealed_box_storage()
