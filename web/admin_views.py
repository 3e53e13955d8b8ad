"""The system administrators' pages: agencies (list, create, edit) and accounts (list with search,
create with roles and agency, which e-mails an invitation; edit; send the invitation again; reset the
second factor). Thin views over accounts.services; every page and every write is for system
administrators only (403 for anyone else). The Django admin stays for reference data."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.models import Agency, User
from accounts.permissions import can_administer_accounts
from accounts.roles import Role
from core.permissions import require
from core.services import action_records_of
from core.text import to_nfc

from .errors import refusal_to_form, refusal_to_messages


def _administrators_only(request: HttpRequest) -> None:
    require(can_administer_accounts(request.user))


# --- agencies --------------------------------------------------------------------------------------------


class AgencyForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=Agency.Kind.choices)
    name = forms.CharField(label=gettext_lazy("name"), max_length=255)
    short_name = forms.CharField(
        label=gettext_lazy("abbreviation"),
        max_length=32,
        help_text=gettext_lazy("Used in document symbols, e.g. SCT, BCT."),
    )
    parent_name = forms.CharField(
        label=gettext_lazy("parent body"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Shown above the body's name in document headers, e.g. UBND TỈNH ..."),
    )
    address = forms.CharField(
        label=gettext_lazy("address"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Where the body receives mail, e.g. the written comments on a posted list."),
    )
    province = forms.ModelChoiceField(
        label=gettext_lazy("province"),
        queryset=selectors.current_units_by_name(level="province"),
        required=False,
        help_text=gettext_lazy("Only for a provincial department."),
    )
    is_active = forms.BooleanField(label=gettext_lazy("active"), required=False, initial=True)

    def clean_name(self) -> str:
        return to_nfc(self.cleaned_data["name"])

    def clean_parent_name(self) -> str:
        return to_nfc(self.cleaned_data["parent_name"])


def agency_list(request: HttpRequest) -> HttpResponse:
    _administrators_only(request)
    return render(request, "accounts/admin_agency_list.html", {"agencies": selectors.agencies_for_admin()})


@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (no pk) or edit an agency."""
    _administrators_only(request)
    agency = get_object_or_404(Agency, pk=pk) if pk is not None else None
    initial = (
        {
            "kind": agency.kind,
            "name": agency.name,
            "short_name": agency.short_name,
            "parent_name": agency.parent_name,
            "address": agency.address,
            "province": agency.province_id,
            "is_active": agency.is_active,
        }
        if agency
        else None
    )
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if agency is None:
                agency = services.agency_create(by=request.user, **form.cleaned_data)
                messages.success(request, _("The agency was created."))
            else:
                services.agency_update(agency=agency, by=request.user, **form.cleaned_data)
                messages.success(request, _("The agency was saved."))
            return redirect("admin_agency_list")
        except ValidationError as exc:
            refusal_to_form(form, exc)
    context = {"form": form, "agency": agency, "history": action_records_of(agency) if agency else []}
    return render(request, "accounts/admin_agency_form.html", context)


# --- users -----------------------------------------------------------------------------------------------


class UserForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("full name"), max_length=255)
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("The invitation to set a password is sent here."),
    )
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles"),
        choices=[(r.value, r.label) for r in Role],
        widget=forms.CheckboxSelectMultiple,
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("agency"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    is_active = forms.BooleanField(label=gettext_lazy("active"), required=False, initial=True)

    def __init__(self, *args, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(r.value, r.label) for r in Role]
        if not editing:
            del self.fields["is_active"]

    def clean_full_name(self) -> str:
        return to_nfc(self.cleaned_data["full_name"])


def user_list(request: HttpRequest) -> HttpResponse:
    _administrators_only(request)
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.users_for_admin(query=query), settings.LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    role_labels = {r.value: r.label for r in Role}
    rows = [
        {"user": u, "roles": [role_labels[g.name] for g in u.groups.all() if g.name in role_labels]}
        for u in page.object_list
    ]
    return render(request, "accounts/admin_user_list.html", {"rows": rows, "page": page, "query": query})


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _administrators_only(request)
    form = UserForm(request.POST or None, editing=False)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(
                request,
                _("The account was created and an invitation e-mailed to %(email)s.") % {"email": user.email},
            )
            return redirect("admin_user_edit", pk=user.pk)
    return render(request, "accounts/admin_user_form.html", {"form": form, "target": None})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _administrators_only(request)
    target = get_object_or_404(User, pk=pk)
    initial = {
        "full_name": target.full_name,
        "email": target.email,
        "roles": list(target.groups.filter(name__in=[r.value for r in Role]).values_list("name", flat=True)),
        "agency": target.agency_id,
        "is_active": target.is_active,
    }
    form = UserForm(request.POST or None, initial=initial, editing=True)
    if target.agency_id and not target.agency.is_active:
        form.fields["agency"].queryset = Agency.objects.filter(is_active=True) | Agency.objects.filter(
            pk=target.agency_id
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=target, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("admin_user_edit", pk=target.pk)
    context = {
        "form": form,
        "target": target,
        "invitation": selectors.latest_invitation_of(target),
        "has_password": target.has_usable_password(),
        "history": action_records_of(target),
    }
    return render(request, "accounts/admin_user_form.html", context)


@require_POST
def user_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the invitation again (the earlier links stop working)."""
    _administrators_only(request)
    target = get_object_or_404(User, pk=pk)
    try:
        services.invitation_send(user=target, by=request.user)
    except ValidationError as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("A new invitation was e-mailed to %(email)s.") % {"email": target.email})
    return redirect("admin_user_edit", pk=target.pk)


class ResetSecondFactorForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that the person's authenticator app stops working and they must set up a new one."
        )
    )


@require_http_methods(["GET", "POST"])
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page, then the reset (a lost phone): the person enrols a new app at the next sign-in."""
    _administrators_only(request)
    target = get_object_or_404(User, pk=pk)
    form = ResetSecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_second_factor_reset(
                user=target, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(
                request, _("The second factor was reset; the person sets up a new app at the next sign-in.")
            )
            return redirect("admin_user_edit", pk=target.pk)
    return render(request, "accounts/admin_reset_second_factor.html", {"form": form, "target": target})
