"""Who may do what with the councils' data that is not a step of a session (those rules are in
councils.services, beside the writes they guard)."""

from django.utils.translation import gettext as _

from accounts.roles import Role, roles_of
from core.permissions import Decision, allow, deny

# The public's comments on the posted lists are handled by the ministry and by the officers of the
# nominee's province (within their scope: councils.selectors.public_comments_visible_to).
COMMENT_ROLES = frozenset({Role.PROVINCIAL_OFFICER, Role.MINISTRY_CLERK, Role.MINISTRY_LEADER})


def can_handle_public_comments(user) -> Decision:
    if not roles_of(user) & COMMENT_ROLES:
        return deny(_("Your role does not handle public comments."))
    return allow()
