"""Who may set up the rounds: checkers answering Decision(allowed, reason).

- The Ministry's clerks, leaders and the system administrators see the rounds' pages (plan, milestones,
  rulebook version, overrides, history).
- A ministry clerk creates a round, edits its name, plan and milestones, and changes its rulebook version
  while it has no dossier: the clerk prepares the plan that the Ministry has decided.
- Overriding a rule for a round (`dossiers.permissions.can_override_rule`) changes how the law is applied
  to every dossier of the round, so it is for a ministry leader (who answers for it) or a system
  administrator (who corrects a value the rulebook holds wrongly), each with a reason.
"""

from django.utils.translation import gettext as _

from accounts.roles import Role, roles_of
from core.permissions import Decision, allow, deny

ROUND_READERS = {Role.MINISTRY_CLERK, Role.MINISTRY_LEADER, Role.SYSTEM_ADMINISTRATOR}


def can_view_rounds(user) -> Decision:
    if ROUND_READERS & set(roles_of(user)):
        return allow()
    return deny(_("The rounds are set up by the Ministry; their pages are for the Ministry."))


def can_manage_rounds(user) -> Decision:
    """Create a round, edit its plan and milestones, change its rulebook version."""
    if Role.MINISTRY_CLERK in roles_of(user):
        return allow()
    return deny(_("Only a ministry clerk creates and edits the rounds."))
