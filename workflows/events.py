"""Events of the procedure. Sent after the transaction commits; the notifications app listens."""

from django.dispatch import Signal

# kwargs: dossier_id, transition, from_state, to_state, actor_id, reason
dossier_state_changed = Signal()
