"""Who may run a transition on a dossier: the transition's roles, within its scope."""

from django.utils.translation import gettext as _

from accounts.roles import Role, roles_of
from core.permissions import Decision, allow, deny
from dossiers.permissions import user_province_id


def can_run_transition(user, dossier, custom: dict) -> Decision:
    roles = {r.value for r in roles_of(user)}
    allowed_roles = custom["roles"] & roles
    if not allowed_roles:
        return deny(_("Your role may not take this step."))
    scope = custom["scope"]
    in_province = user_province_id(user) is not None and user_province_id(user) == dossier.province_id
    ministry = bool({Role.MINISTRY_CLERK.value, Role.MINISTRY_LEADER.value} & allowed_roles)
    provincial = bool({Role.PROVINCIAL_OFFICER.value, Role.COUNCIL_SECRETARY.value} & allowed_roles)
    if scope == "ministry" and ministry:
        return allow()
    if scope == "province" and provincial and in_province:
        return allow()
    if scope == "either" and (ministry or (provincial and in_province)):
        return allow()
    return deny(_("This dossier is outside your scope."))
