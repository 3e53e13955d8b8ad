"""Events of the documents app, sent after the transaction commits; the notifications app listens.

kwargs of document_status_changed: document_id, dossier_id (or None), kind, status ("done" or
"failed"), error ("" when done)."""

from django.dispatch import Signal

document_status_changed = Signal()
