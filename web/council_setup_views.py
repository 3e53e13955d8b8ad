"""Recording councils and their members from the decisions that establish and change them: the list of
councils the user manages (an officer their province's, a ministry clerk the ministerial and State
councils), recording a council with its members, the council's page (decisions, current and former
members, history, the establishing decision document) and a later decision changing its members.

Thin views: each write calls one service (councils.setup, workflows.services.documents), which checks
who may do it; a council outside the user's scope answers 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Role, roles_of
from core.forms import VNDateField
from core.services import action_records_of
from councils.models import Council, Membership
from councils.selectors import (
    council_current_members,
    council_decisions,
    council_former_members,
    council_voting_size,
    councils_managed_by,
)
from councils.setup import MemberInput, council_membership_change, council_record
from documents.kinds import Kind
from dossiers.models import Round
from dossiers.permissions import user_province_id
from dossiers.rulebook.selectors import rules_for_round
from workflows.permissions import can_draft_council_decision
from workflows.selectors import documents_visible_to
from workflows.services.documents import council_decision_issue

from .document_views import pdf_explanation
from .errors import refusal_to_form, refusal_to_messages

DEFAULT_ROWS, MAX_ROWS = 15, 60


def _levels_for(user) -> list[tuple[str, str]]:
    roles = roles_of(user)
    levels = []
    if Role.PROVINCIAL_OFFICER in roles and user_province_id(user) is not None:
        levels.append((Council.Level.PROVINCIAL.value, Council.Level.PROVINCIAL.label))
    if Role.MINISTRY_CLERK in roles:
        levels += [(lv.value, lv.label) for lv in (Council.Level.MINISTERIAL, Council.Level.STATE)]
    return levels


def _require_manager(user) -> None:
    if not _levels_for(user):
        raise PermissionDenied(
            _("Councils are recorded by the officers of a province and by the ministry's clerks.")
        )


def _rows(request: HttpRequest, default: int = DEFAULT_ROWS) -> int:
    raw = request.GET.get("rows", "")
    return min(max(int(raw), 1), MAX_ROWS) if raw.isdigit() else default


class DecisionFields(forms.Form):
    decision_number = forms.CharField(label=gettext_lazy("Decision number"), max_length=64)
    decision_date = VNDateField(label=gettext_lazy("Decision date"))
    decision_signer = forms.CharField(
        label=gettext_lazy("Signed by"),
        max_length=255,
        help_text=gettext_lazy("Full name of who signed the decision."),
    )
    size_reason = forms.CharField(
        label=gettext_lazy("Reason for the council's size"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Only when the number of voting members is outside the range the rules of the round give."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have checked the decision and its members against the signed decision: once recorded, it "
            "cannot be undone (a later change needs a new decision)."
        ),
    )


class CouncilForm(DecisionFields):
    field_order = [
        "round",
        "level",
        "name",
        "short_name",
        "decision_number",
        "decision_date",
        "decision_signer",
    ]

    round = forms.ModelChoiceField(
        label=gettext_lazy("Round"), queryset=Round.objects.none(), empty_label=None
    )
    level = forms.ChoiceField(label=gettext_lazy("Level"))
    name = forms.CharField(label=gettext_lazy("Name of the council"), max_length=255)
    short_name = forms.CharField(
        label=gettext_lazy("Short name for document headers"),
        max_length=255,
        required=False,
        help_text=gettext_lazy(
            "Shown in document headers when the full name is too long; leave empty for the usual short form"
            " of the level."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.order_by("-number")
        self.fields["level"].choices = _levels_for(user)
        self.order_fields(self.field_order)


class MemberForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=255)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    position = forms.CharField(label=gettext_lazy("Position"), max_length=255, required=False)
    agency_name = forms.CharField(label=gettext_lazy("Agency"), max_length=255, required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("Role in the council"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
    )
    authorised_to_preside = forms.BooleanField(
        label=gettext_lazy("Vice-chair authorised by the chair to preside"), required=False
    )


def _member_formset(data=None, *, rows: int, prefix: str = "members"):
    formset_class = formset_factory(MemberForm, extra=rows, max_num=MAX_ROWS, absolute_max=MAX_ROWS)
    return formset_class(data, prefix=prefix)


def _members_of(formset) -> list[MemberInput]:
    return [
        MemberInput(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            position=form.cleaned_data.get("position", ""),
            agency_name=form.cleaned_data.get("agency_name", ""),
            role=form.cleaned_data["role"],
            authorised_to_preside=form.cleaned_data.get("authorised_to_preside", False),
        )
        for form in formset
        if form.has_changed() and form.cleaned_data
    ]


def _size_hint(round_, level: str) -> dict | None:
    rules = rules_for_round(round_)
    low, high = f"council.{level}.min_members", f"council.{level}.max_members"
    if low in rules and high in rules:
        return {"low": rules.value(low), "high": rules.value(high)}
    return None


def setup_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    councils = list(councils_managed_by(user=request.user))
    return render(request, "councils/setup_list.html", {"councils": councils})


@require_http_methods(["GET", "POST"])
def setup_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    user = request.user
    if request.method == "POST":
        form = CouncilForm(request.POST, user=user)
        formset = _member_formset(request.POST, rows=0)
        if form.is_valid() & formset.is_valid():
            data = form.cleaned_data
            province = user.agency.province if data["level"] == Council.Level.PROVINCIAL else None
            try:
                council = council_record(
                    round=data["round"],
                    level=data["level"],
                    province=province,
                    name=data["name"],
                    short_name=data["short_name"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    decision_signer=data["decision_signer"],
                    members=_members_of(formset),
                    size_reason=data["size_reason"],
                    by=user,
                )
            except (PermissionDenied, ValidationError) as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(request, _("The council and its members are recorded."))
                return redirect("council_setup_detail", managed_council_id=council.pk)
    else:
        form, formset = CouncilForm(user=user), _member_formset(rows=_rows(request))
    newest = Round.objects.order_by("-number").first()
    hints = [
        (label, hint)
        for level, label in form.fields["level"].choices
        if newest is not None and (hint := _size_hint(newest, level))
    ]
    return render(
        request,
        "councils/setup_new.html",
        {"form": form, "formset": formset, "hints": hints, "max_rows": MAX_ROWS},
    )


def _managed_or_404(request: HttpRequest, managed_council_id: int) -> Council:
    return get_object_or_404(councils_managed_by(user=request.user), pk=managed_council_id)


def setup_detail(request: HttpRequest, managed_council_id: int) -> HttpResponse:
    council = _managed_or_404(request, managed_council_id)
    documents = (
        documents_visible_to(request.user)
        .filter(council_ref=council.pk, kind=Kind.COUNCIL_DECISION)
        .order_by("-requested_at", "-id")
    )
    context = {
        "council": council,
        "decisions": council_decisions(council=council),
        "members": council_current_members(council=council),
        "former": council_former_members(council=council),
        "voting_size": council_voting_size(council=council),
        "size_hint": _size_hint(council.round, council.level),
        "history": list(action_records_of(council)),
        "documents": [{"document": doc, "pdf_note": pdf_explanation(doc)} for doc in documents],
        "may_draft": bool(can_draft_council_decision(request.user, council)),
    }
    return render(request, "councils/setup_detail.html", context)


class ChangeForm(DecisionFields):
    end = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members whose membership this decision ends"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end"].queryset = council.memberships.current().select_related("user")
        self.fields["end"].label_from_instance = lambda m: f"{m.user} — {m.get_role_display()}"
        self.order_fields(["decision_number", "decision_date", "decision_signer", "end"])


@require_http_methods(["GET", "POST"])
def setup_change(request: HttpRequest, managed_council_id: int) -> HttpResponse:
    council = _managed_or_404(request, managed_council_id)
    if request.method == "POST":
        form = ChangeForm(request.POST, council=council)
        formset = _member_formset(request.POST, rows=0)
        if form.is_valid() & formset.is_valid():
            data = form.cleaned_data
            try:
                council_membership_change(
                    council=council,
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    decision_signer=data["decision_signer"],
                    add=_members_of(formset),
                    end=list(data["end"]),
                    size_reason=data["size_reason"],
                    by=request.user,
                )
            except (PermissionDenied, ValidationError) as exc:
                refusal_to_form(form, exc)
            else:
                messages.success(request, _("The decision and the council's new members are recorded."))
                return redirect("council_setup_detail", managed_council_id=council.pk)
    else:
        form, formset = ChangeForm(council=council), _member_formset(rows=_rows(request, default=5))
    return render(
        request,
        "councils/setup_change.html",
        {
            "council": council,
            "form": form,
            "formset": formset,
            "size_hint": _size_hint(council.round, council.level),
            "max_rows": MAX_ROWS,
        },
    )


@require_POST
def setup_decision_document(request: HttpRequest, managed_council_id: int) -> HttpResponse:
    council = _managed_or_404(request, managed_council_id)
    try:
        council_decision_issue(council=council, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(
            request, _("The establishing decision is being prepared; it appears below in a moment.")
        )
    return redirect("council_setup_detail", managed_council_id=council.pk)
