"""Who may do what with dossiers: checkers answering Decision(allowed, reason).

Read scope (which dossiers a user may see) is `dossiers.selectors.dossiers_visible_to`; the checkers here
answer for one object and one action, and agree with that scope. Council members and secretaries get
their scope from the councils app (agenda of their sessions) when it exists; until then they see none.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.roles import Role, remember_roles, roles_of
from core.permissions import Decision, allow, deny

from .scope import granted_scope

MINISTRY_ROLES = {Role.MINISTRY_CLERK, Role.MINISTRY_LEADER}


def user_province_id(user) -> int | None:
    agency = getattr(user, "agency", None)
    return agency.province_id if agency is not None else None


def _is_officer_of(user, province_id: int | None) -> bool:
    return (
        Role.PROVINCIAL_OFFICER in roles_of(user)
        and province_id is not None
        and user_province_id(user) == province_id
    )


def can_view_dossier(user, dossier) -> Decision:
    if _is_officer_of(user, dossier.province_id) or roles_of(user) & MINISTRY_ROLES:
        return allow()
    granted = granted_scope(user) if roles_of(user) else None
    if granted is not None and type(dossier).objects.filter(granted, pk=dossier.pk).exists():
        return allow()
    return deny(_("This dossier is outside your scope."))


# The granted scopes of this many users are checked in one statement (one boolean column each).
SCOPE_CHECKS_PER_STATEMENT = 200


def users_who_may_view_dossier(users, dossier) -> set[int]:
    """The ids of those of `users` for whom can_view_dossier allows the dossier, decided by the same
    rules in a constant number of queries: the roles of all of them in one (accounts.roles
    .remember_roles), then the granted scope of those whose role and province do not decide it in one
    more (up to SCOPE_CHECKS_PER_STATEMENT users each). The users' agencies must be loaded
    (select_related("agency")) or each is read once."""
    users = list(users)
    remember_roles(users)
    allowed: set[int] = set()
    to_check = []
    for user in users:
        roles = roles_of(user)
        if _is_officer_of(user, dossier.province_id) or roles & MINISTRY_ROLES:
            allowed.add(user.pk)
        elif roles:
            granted = granted_scope(user)
            if granted is not None:
                to_check.append((user.pk, granted))
    for start in range(0, len(to_check), SCOPE_CHECKS_PER_STATEMENT):
        chunk = to_check[start : start + SCOPE_CHECKS_PER_STATEMENT]
        # each column is the query can_view_dossier runs for that user, as an EXISTS
        model = type(dossier)
        columns = {f"u{pk}": Exists(model.objects.filter(q, pk=OuterRef("pk"))) for pk, q in chunk}
        row = model.objects.filter(pk=dossier.pk).values(**columns).first() or {}
        allowed.update(pk for pk, _q in chunk if row.get(f"u{pk}"))
    return allowed


def can_create_dossier(user, agency) -> Decision:
    if Role.PROVINCIAL_OFFICER not in roles_of(user):
        return deny(_("Only officers of a Department of Industry and Trade receive dossiers."))
    if user.agency_id != agency.pk:
        return deny(_("You can receive dossiers only for your own department."))
    return allow()


def can_edit_dossier(user, dossier) -> Decision:
    if not _is_officer_of(user, dossier.province_id):
        return deny(_("Only the officers of the receiving department can change this dossier."))
    return allow()


def can_view_sensitive(user, dossier) -> Decision:
    """CCCD, ethnicity and identity-card images: the receiving officers and ministry clerks only."""
    if _is_officer_of(user, dossier.province_id) or Role.MINISTRY_CLERK in roles_of(user):
        return allow()
    return deny(
        _("Personal identification data is shown only to the receiving officers and ministry clerks.")
    )


RULEBOOK_READERS = {
    Role.PROVINCIAL_OFFICER,
    Role.COUNCIL_MEMBER,
    Role.COUNCIL_SECRETARY,
    Role.MINISTRY_CLERK,
    Role.MINISTRY_LEADER,
    Role.SYSTEM_ADMINISTRATOR,
}


def can_read_rulebook(user) -> Decision:
    """The rules of a round (values, articles, marks, overrides) are read by everyone who works on the
    dossiers: they are the law as encoded, with no personal data."""
    if RULEBOOK_READERS & set(roles_of(user)):
        return allow()
    return deny(_("The rulebook is for the officers, the councils and the Ministry."))


RULE_OVERRIDERS = {Role.MINISTRY_LEADER, Role.SYSTEM_ADMINISTRATOR}


def can_override_rule(user) -> Decision:
    """A round's rule is changed by a ministry leader (who answers for how the law is applied) or a system
    administrator (who corrects a value the rulebook holds wrongly), never by a clerk alone."""
    if RULE_OVERRIDERS & set(roles_of(user)):
        return allow()
    return deny(_("Only a ministry leader or a system administrator may change the rules of a round."))


def can_see_statistics(user) -> Decision:
    """The round's statistics page: the Ministry (every province) and each province's officers (their
    own). A council's members see single dossiers on their agendas, not a round's figures."""
    roles = roles_of(user)
    if roles & MINISTRY_ROLES:
        return allow()
    if Role.PROVINCIAL_OFFICER in roles and user_province_id(user) is not None:
        return allow()
    return deny(_("The statistics are for the Ministry and the provincial officers."))
