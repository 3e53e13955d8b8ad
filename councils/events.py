"""Events of the councils, sent inside the transaction that makes them true (so that what listens,
the notifications app above this one, records its event atomically with them)."""

from django.dispatch import Signal

# kwargs: session_id, actor_id
ballot_opened = Signal()
# kwargs: comment_id, dossier_id (never the author's name, phone or address)
public_comment_received = Signal()
