from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .roles import Role


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's home: who they are, for which agency and province, in which roles."""
    names = set(request.user.groups.values_list("name", flat=True))
    labels = [role.label for role in Role if role.value in names]
    return render(request, "accounts/home.html", {"role_labels": labels})
