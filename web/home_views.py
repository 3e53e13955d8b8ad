"""The signed-in user's home: what they must do next and by when, and the pages of their roles."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Role, roles_of
from councils.selectors import public_comments_waiting_count, sessions_of
from dossiers.models import DossierState
from dossiers.selectors import dossier_counts_by_state, dossiers_visible_to
from workflows.selectors import inbox_of

SHOWN = 10


def readable_ids(user, items) -> set[int]:
    """The inbox items' dossiers the user may open. A council's secretary has the task of a dossier sent
    to the council before it is on a session's agenda (their read scope): that task leads to the
    council's page, where the secretary puts it on a session's agenda."""
    ids = [item.dossier.pk for item in items]
    return set(dossiers_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    items = inbox_of(user)
    shown = items[:SHOWN]
    context = {
        "role_labels": [role.label for role in Role if role in roles],
        "items": shown,
        "readable": readable_ids(user, shown),
        "more": max(len(items) - SHOWN, 0),
        "is_officer": Role.PROVINCIAL_OFFICER in roles,
        "is_council": bool(roles & {Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY}),
        "is_ministry": bool(roles & {Role.MINISTRY_CLERK, Role.MINISTRY_LEADER}),
    }
    if context["is_officer"] or context["is_ministry"]:
        labels = dict(DossierState.choices)
        context["by_state"] = [
            (labels.get(state, state), n) for state, n in dossier_counts_by_state(user=user)
        ]
        context["comments_waiting"] = public_comments_waiting_count(user=user)
    if context["is_council"]:
        context["sessions"] = list(sessions_of(user)[:5])
    return render(request, "accounts/home.html", context)
