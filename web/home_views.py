"""The signed-in user's home: what they must do next and by when, and the pages of their roles."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Role, roles_of
from councils.models import PublicComment
from councils.selectors import sessions_of
from dossiers.models import DossierState
from dossiers.selectors import dossiers_visible_to
from workflows.selectors import inbox_of

SHOWN = 10


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    items = inbox_of(user)
    context = {
        "role_labels": [role.label for role in Role if role in roles],
        "items": items[:SHOWN],
        "more": max(len(items) - SHOWN, 0),
        "is_officer": Role.PROVINCIAL_OFFICER in roles,
        "is_council": bool(roles & {Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY}),
        "is_ministry": bool(roles & {Role.MINISTRY_CLERK, Role.MINISTRY_LEADER}),
    }
    if context["is_officer"] or context["is_ministry"]:
        labels = dict(DossierState.choices)
        context["by_state"] = [
            (labels.get(row["state"], row["state"]), row["n"])
            for row in dossiers_visible_to(user).order_by("state").values("state").annotate(n=Count("id"))
        ]
        context["comments_waiting"] = PublicComment.objects.filter(
            status=PublicComment.Status.RECEIVED, dossier__in=dossiers_visible_to(user).values("pk")
        ).count()
    if context["is_council"]:
        context["sessions"] = list(sessions_of(user)[:5])
    return render(request, "accounts/home.html", context)
