"""Who may administer accounts and agencies (the administrators' pages and their services)."""

from django.utils.translation import gettext as _

from core.permissions import Decision, allow, deny

from .roles import Role, roles_of


def can_administer_accounts(user) -> Decision:
    if Role.SYSTEM_ADMINISTRATOR in roles_of(user):
        return allow()
    return deny(_("Only a system administrator may manage accounts and agencies."))
