"""The roles of the system. Each is a Django Group created by a migration (accounts 0002); a role gives
model-level rights, and scopes (province, council) are applied by selectors, not by the role itself."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    PROVINCIAL_OFFICER = "provincial_officer"
    COUNCIL_MEMBER = "council_member"
    COUNCIL_SECRETARY = "council_secretary"
    MINISTRY_CLERK = "ministry_clerk"
    MINISTRY_LEADER = "ministry_leader"
    SYSTEM_ADMINISTRATOR = "system_administrator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.PROVINCIAL_OFFICER: _("Provincial officer (Department of Industry and Trade)"),
    Role.COUNCIL_MEMBER: _("Council member"),
    Role.COUNCIL_SECRETARY: _("Council secretary"),
    Role.MINISTRY_CLERK: _("Ministry clerk"),
    Role.MINISTRY_LEADER: _("Ministry leader"),
    Role.SYSTEM_ADMINISTRATOR: _("System administrator"),
}


# Model-level rights of each role, as "app_label.codename". Scopes are applied by selectors.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.PROVINCIAL_OFFICER: (
        "accounts.view_administrativeunit",
        "dossiers.view_round",
        "workflows.act_provincial_officer",
    ),
    Role.COUNCIL_MEMBER: ("dossiers.view_round",),
    Role.COUNCIL_SECRETARY: ("dossiers.view_round", "workflows.act_council_secretary"),
    Role.MINISTRY_CLERK: (
        "accounts.view_administrativeunit",
        "accounts.view_agency",
        "dossiers.view_round",
        "workflows.act_ministry_clerk",
    ),
    Role.MINISTRY_LEADER: (
        "accounts.view_administrativeunit",
        "accounts.view_agency",
        "dossiers.view_round",
        "workflows.act_ministry_leader",
    ),
    Role.SYSTEM_ADMINISTRATOR: (
        "accounts.view_administrativeunit",
        "accounts.change_administrativeunit",
        "accounts.view_agency",
        "accounts.add_agency",
        "accounts.change_agency",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "dossiers.view_round",
        "dossiers.add_round",
        "dossiers.change_round",
        # notifications: see failed e-mails and send them again
        "notifications.view_emaildelivery",
        "notifications.change_emaildelivery",
        "notifications.view_digestdelivery",
        "notifications.view_eventrecord",
    ),
}


def sync_role_permissions(**kwargs) -> None:
    """Give each role's Group exactly the permissions listed in ROLE_PERMISSIONS (run after migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def roles_of(user) -> frozenset[Role]:
    """The roles of a user, read once per user object (one query) and kept on it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._roles_cache = cached
    return cached


def remember_roles(users) -> None:
    """Read the roles of many users in one query and keep them on each user object, as roles_of does
    for one (roles_of then answers without a query)."""
    from django.contrib.auth import get_user_model

    users = [u for u in users if getattr(u, "_roles_cache", None) is None]
    if not users:
        return
    names: dict[int, set[str]] = {u.pk: set() for u in users}
    memberships = get_user_model().groups.through.objects.filter(user_id__in=names)
    for user_id, name in memberships.values_list("user_id", "group__name"):
        names[user_id].add(name)
    for user in users:
        user._roles_cache = frozenset(role for role in Role if role.value in names[user.pk])
