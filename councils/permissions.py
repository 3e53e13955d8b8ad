"""Who may do what with the councils' data that is not a step of a session (those rules are in
councils.services, beside the writes they guard)."""

from django.utils.translation import gettext as _

from accounts.roles import Role, roles_of
from core.permissions import Decision, allow, deny

# The public's comments on the posted lists are handled by the ministry and by the officers of the
# nominee's province (within their scope: councils.selectors.public_comments_visible_to).
COMMENT_ROLES = frozenset({Role.PROVINCIAL_OFFICER, Role.MINISTRY_CLERK, Role.MINISTRY_LEADER})


def is_council_secretary(council_id: int, user) -> Decision:
    """The council's current secretary: who runs its sessions and decides its members' withdrawals of
    declared conflicts."""
    from .models import Membership

    m = Membership.objects.current().filter(council_id=council_id, user=user).first()
    if m is None or m.role != Membership.Role.SECRETARY:
        return deny(_("Only the council's secretary can do this."))
    return allow()


def can_handle_public_comments(user) -> Decision:
    if not roles_of(user) & COMMENT_ROLES:
        return deny(_("Your role does not handle public comments."))
    return allow()


def can_manage_council(user, *, level: str, province_id: int | None) -> Decision:
    """Who records a council and the later decisions on its members: for a provincial council, an officer
    of that province (the provincial People's Committee establishes it); for the ministerial and State
    councils, a ministry clerk."""
    from dossiers.permissions import user_province_id

    roles = roles_of(user)
    if level == "provincial":
        if (
            Role.PROVINCIAL_OFFICER in roles
            and province_id is not None
            and user_province_id(user) == province_id
        ):
            return allow()
        return deny(_("Only an officer of the council's province records a provincial council."))
    if Role.MINISTRY_CLERK in roles:
        return allow()
    return deny(_("Only a ministry clerk records the ministerial and State councils."))
