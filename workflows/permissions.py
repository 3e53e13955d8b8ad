"""Action checks of the procedure, each answering Decision(allowed, reason): who may take a step on a
dossier, see or manage a generated document, and draft a council's establishing decision. What a user
may see (read scopes) is in workflows.selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.roles import Role, roles_of
from core.permissions import Decision, allow, deny
from councils.models import Council, Membership
from councils.selectors import secretary_province_ids
from documents.models import GeneratedDocument
from dossiers.permissions import can_edit_dossier, user_province_id

from .steps import Scope, Step
from .transitions import steps_of

MINISTRY_SIDE = frozenset({Role.MINISTRY_CLERK, Role.MINISTRY_LEADER})
PROVINCE_SIDE = frozenset({Role.PROVINCIAL_OFFICER, Role.COUNCIL_SECRETARY})


def can_run_step(user, dossier, step: Step) -> Decision:
    """The step's roles, within its scope: the dossier's province, the ministry, or either."""
    allowed_roles = step.roles & roles_of(user)
    if not allowed_roles:
        return deny(_("Your role may not take this step."))
    in_province = (user_province_id(user) is not None and user_province_id(user) == dossier.province_id) or (
        Role.COUNCIL_SECRETARY in allowed_roles and dossier.province_id in secretary_province_ids(user)
    )
    ministry = bool(MINISTRY_SIDE & allowed_roles)
    provincial = bool(PROVINCE_SIDE & allowed_roles)
    if step.scope == Scope.MINISTRY and ministry:
        return allow()
    if step.scope == Scope.PROVINCE and provincial and in_province:
        return allow()
    if step.scope == Scope.EITHER and (ministry or (provincial and in_province)):
        return allow()
    return deny(_("This dossier is outside your scope."))


def can_request_council_judgement(user, dossier) -> Decision:
    """Ask the council to judge a dossier that fails a criterion: the officers of its department."""
    return can_edit_dossier(user, dossier)


def can_use_batch_page(user) -> Decision:
    """The batch page is for the roles that take at least one of the steps it offers."""
    if any(step.roles & roles_of(user) and step.in_batch_page for step in steps_of().values()):
        return allow()
    return deny(_("Your role takes no step on dossiers."))


def can_see_document(user, document: GeneratedDocument) -> Decision:
    from .selectors import documents_visible_to

    if documents_visible_to(user).filter(pk=document.pk).exists():
        return allow()
    return deny("outside scope")


def can_manage_document(user, document: GeneratedDocument) -> Decision:
    """Retry a failed build or correct a declaration: the officers of the dossier's department, the
    ministry's clerks for national documents, a council's secretary for its council's documents."""
    roles = roles_of(user)
    if document.dossier_id is not None and can_edit_dossier(user, document.dossier):
        return allow()
    if Role.MINISTRY_CLERK in roles:
        return allow()
    if (
        document.council_ref is not None
        and Role.COUNCIL_SECRETARY in roles
        and Membership.objects.current()
        .filter(council_id=document.council_ref, user=user, role=Membership.Role.SECRETARY)
        .exists()
    ):
        return allow()
    if (
        Role.PROVINCIAL_OFFICER in roles
        and document.province_id
        and document.province_id == user_province_id(user)
    ):
        return allow()
    return deny(_("You may not retry or correct this document."))


def can_draft_council_decision(user, council: Council) -> Decision:
    """A council's establishing decision is drafted for its issuing body: by a ministry clerk, or for a
    provincial council by the officers of its province."""
    roles = roles_of(user)
    allowed = Role.MINISTRY_CLERK in roles or (
        Role.PROVINCIAL_OFFICER in roles
        and council.province_id is not None
        and council.province_id == user_province_id(user)
    )
    return Decision(
        allowed, _("Only a ministry clerk, or an officer of the council's province, drafts this decision.")
    )
