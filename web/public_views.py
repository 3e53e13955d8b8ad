"""Public pages, without login: the posted lists, the written-comment form and the accessibility statement."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.auth import client_ip
from councils.public import comment_submit, posted_lists, posted_nominees

from .errors import refusal_to_form


class CommentForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    phone = forms.CharField(label=_("Phone number"), max_length=20)
    address = forms.CharField(label=_("Address"), max_length=500)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    text = forms.CharField(label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


@login_not_required
@require_http_methods(["GET", "HEAD"])
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (in Vietnamese), linked from every page's footer."""
    return render(
        request,
        "public/accessibility.html",
        {"contact": settings.ACCESSIBILITY_CONTACT, "address": settings.MINISTRY_COMMENT_ADDRESS},
    )


@login_not_required
def posted_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/list.html", {"lists": posted_lists(), "today": timezone.localdate()})


@login_not_required
@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, dossier_id: int) -> HttpResponse:
    nominee = next(iter(posted_nominees(dossier_id=dossier_id)), None)
    if nominee is None:
        raise Http404
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment_submit(dossier_id=dossier_id, client=client_ip(request) or "", **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_form(form, exc)
        else:
            return render(request, "public/thanks.html", {"nominee": nominee})
    return render(request, "public/comment.html", {"nominee": nominee, "form": form})
