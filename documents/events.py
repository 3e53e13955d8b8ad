"""Events of the documents app, sent after the transaction commits; the notifications app listens.

kwargs of document_status_changed: document_id, dossier_id (or None), kind, status ("done" or
"failed"), error ("" when done), requested_by_id (the user whose step asked for it, or None)."""

from django.dispatch import Signal

document_status_changed = Signal()
