"""The Ministry's round pages: the list of rounds, creating a round with its milestones, a round's page
(plan, milestones, rulebook version with its change form while no dossier exists, the rules with their
overrides and history, the round's history), editing the plan, and the override page of one rule.

Thin views over `dossiers.services.rounds` and `dossiers.rulebook.services.round_rule_override`. Every
page first checks the role (403 with the reason), then looks the round up (404), so that a round that
does not exist and one that exists answer alike to a user who may not see rounds."""

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import NFCCharField, VNDateField
from core.permissions import require
from dossiers.models import Confidence, RoundMilestone, RulebookVersion
from dossiers.permissions import can_override_rule
from dossiers.round_permissions import can_manage_rounds, can_view_rounds
from dossiers.round_selectors import (
    round_by_number,
    round_history,
    round_milestones,
    round_rule_parameter,
    rounds_for_ministry,
    rulebook_versions,
)
from dossiers.rulebook.selectors import rulebook_latest, rulebook_rows
from dossiers.rulebook.services import round_rule_override
from dossiers.services.rounds import round_create, round_has_dossiers, round_rulebook_change, round_update

from .errors import form_errors_to_messages, refusal_to_form, refusal_to_messages

ACTION_LABELS = {
    "round.create": gettext_lazy("Round created"),
    "round.update": gettext_lazy("Plan changed"),
    "round.rulebook_change": gettext_lazy("Rulebook version changed"),
    "round.rule_override": gettext_lazy("Rule overridden"),
}


# Forms ------------------------------------------------------------------------------------------------


class RoundForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Round number"), min_value=1)
    name = NFCCharField(label=gettext_lazy("Name"), max_length=255)
    plan_decision_number = NFCCharField(
        label=gettext_lazy("Plan decision number"),
        max_length=64,
        help_text=gettext_lazy("For example 355/QĐ-BCT."),
    )
    plan_decision_date = VNDateField(label=gettext_lazy("Plan decision date"))
    rulebook = forms.ModelChoiceField(
        label=gettext_lazy("Rulebook version"), queryset=RulebookVersion.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the number and the rulebook version are not changed by this form
            del self.fields["number"], self.fields["rulebook"]
        else:
            del self.fields["reason"]
            self.fields["rulebook"].queryset = rulebook_versions()
            self.fields["rulebook"].initial = rulebook_latest()


class MilestoneForm(forms.Form):
    level = forms.ChoiceField(
        label=gettext_lazy("Level"), required=False, choices=[("", "—"), *RoundMilestone.Level.choices]
    )
    description = NFCCharField(label=gettext_lazy("What must be done"), required=False, max_length=255)
    due_on = VNDateField(label=gettext_lazy("Due on"), required=False)

    def is_blank(self) -> bool:
        c = self.cleaned_data
        return not c.get("description") and not c.get("due_on")


MilestoneFormSet = formset_factory(MilestoneForm, extra=0)


def _milestone_inputs(formset) -> list[tuple]:
    return [
        (f.cleaned_data.get("level"), f.cleaned_data.get("description"), f.cleaned_data.get("due_on"))
        for f in formset.forms
        if not f.is_blank()
    ]


class RulebookChangeForm(forms.Form):
    rulebook = forms.ModelChoiceField(
        label=gettext_lazy("New rulebook version"), queryset=RulebookVersion.objects.none()
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm the change of the rulebook version; it is recorded with my name.")
    )

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        versions = rulebook_versions()
        self.fields["rulebook"].queryset = versions.exclude(pk=round.rulebook_id) if round else versions


class NumberValueField(forms.CharField):
    """A number as people type it: 20, 12.5 or 12,5 (the Vietnamese decimal comma)."""

    def to_python(self, value):
        text = (super().to_python(value) or "").strip().replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter a number, for example 20 or 0,9.")) from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number, for example 20 or 0,9."))
        return int(number) if number == number.to_integral_value() and "." not in text else float(number)


class JSONValueField(forms.CharField):
    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        try:
            return json.loads(text)
        except ValueError:
            raise ValidationError(
                _('Enter the value as JSON, for example ["a", "b"], "text", 12 or null.')
            ) from None


def value_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    return "json"


class OverrideForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm the new value for this round; it is recorded with my name and reason.")
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        label = gettext_lazy("New value")
        if kind == "bool":
            field = forms.TypedChoiceField(
                label=label,
                choices=[("true", _("yes")), ("false", _("no"))],
                coerce=lambda v: v == "true",
                widget=forms.RadioSelect,
            )
        elif kind == "number":
            field = NumberValueField(label=label, help_text=_("A number, for example 20 or 0,9."))
        elif kind == "text":
            field = NFCCharField(label=label)
        else:
            field = JSONValueField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    'As JSON: a list ["a", "b"], a text "a", a number, true/false, or null for unknown.'
                ),
            )
        self.fields = {"value": field, **self.fields}


def _initial_value(kind: str, value: Any):
    if kind == "bool":
        return "true" if value else "false"
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


# Helpers ----------------------------------------------------------------------------------------------


def _round_or_404(number: int):
    round = round_by_number(number=number)
    if round is None:
        raise Http404(_("There is no such round."))
    return round


def shown(value: Any) -> str:
    """A rule's value as the pages show it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _english() -> bool:
    return not (get_language() or "vi").startswith("vi")


def _rule_rows(round) -> list[dict]:
    english = _english()
    rows = []
    for row in rulebook_rows(round=round):
        p = row.parameter
        rows.append(
            {
                "key": p.key,
                "description": p.description_en if english else p.description_vi,
                "article": p.article,
                "confidence": p.confidence,
                "confidence_label": p.get_confidence_display(),
                "rulebook_value": shown(p.value),
                "override": row.override,
                "override_value": shown(row.override.value) if row.override else "",
                "overrides": [
                    {"o": o, "value": shown(o.value), "current": i == 0} for i, o in enumerate(row.overrides)
                ],
            }
        )
    return rows


def _history(round) -> list[dict]:
    return [{"r": r, "label": ACTION_LABELS.get(r.action, r.action)} for r in round_history(round=round)]


# Views ------------------------------------------------------------------------------------------------


def round_list(request: HttpRequest) -> HttpResponse:
    require(can_view_rounds(request.user))
    return render(
        request,
        "rounds/list.html",
        {"rounds": rounds_for_ministry(), "can_manage": bool(can_manage_rounds(request.user))},
    )


@require_http_methods(["GET", "POST"])
def round_create_page(request: HttpRequest) -> HttpResponse:
    require(can_manage_rounds(request.user))
    data = request.POST if request.method == "POST" else None
    form = RoundForm(data)
    formset = MilestoneFormSet(
        data, prefix="ms", initial=[{"level": level.value} for level in RoundMilestone.Level]
    )
    if data is not None and form.is_valid() and formset.is_valid():
        c = form.cleaned_data
        try:
            round = round_create(
                number=c["number"],
                name=c["name"],
                plan_decision_number=c["plan_decision_number"],
                plan_decision_date=c["plan_decision_date"],
                rulebook=c["rulebook"],
                milestones=_milestone_inputs(formset),
                by=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("Round %(number)s is created.") % {"number": round.number})
            return redirect("round_detail", round_number=round.number)
    return render(request, "rounds/form.html", {"form": form, "formset": formset, "round": None})


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, round_number: int) -> HttpResponse:
    require(can_manage_rounds(request.user))
    round = _round_or_404(round_number)
    data = request.POST if request.method == "POST" else None
    form = RoundForm(
        data,
        editing=True,
        initial={
            "name": round.name,
            "plan_decision_number": round.plan_decision_number,
            "plan_decision_date": round.plan_decision_date,
        },
    )
    initial = [
        {"level": m.level, "description": m.description, "due_on": m.due_on}
        for m in round_milestones(round=round)
    ]
    formset = MilestoneFormSet(data, prefix="ms", initial=[*initial, {}])
    if data is not None and form.is_valid() and formset.is_valid():
        c = form.cleaned_data
        try:
            round_update(
                round=round,
                name=c["name"],
                plan_decision_number=c["plan_decision_number"],
                plan_decision_date=c["plan_decision_date"],
                milestones=_milestone_inputs(formset),
                reason=c.get("reason") or "",
                by=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The plan of the round is saved."))
            return redirect("round_detail", round_number=round.number)
    return render(request, "rounds/form.html", {"form": form, "formset": formset, "round": round})


def round_detail(request: HttpRequest, round_number: int) -> HttpResponse:
    require(can_view_rounds(request.user))
    round = _round_or_404(round_number)
    has_dossiers = round_has_dossiers(round)
    can_manage = bool(can_manage_rounds(request.user))
    pin_form = RulebookChangeForm(round=round) if can_manage and not has_dossiers else None
    return render(
        request,
        "rounds/detail.html",
        {
            "round": round,
            "milestones": round_milestones(round=round),
            "has_dossiers": has_dossiers,
            "can_manage": can_manage,
            "can_override": bool(can_override_rule(request.user)),
            "pin_form": pin_form
            if pin_form is not None and pin_form.fields["rulebook"].queryset.exists()
            else None,
            "no_other_version": pin_form is not None and not pin_form.fields["rulebook"].queryset.exists(),
            "rules": _rule_rows(round),
            "history": _history(round),
            "marks": Confidence.choices,
        },
    )


@require_POST
def round_rulebook_change_page(request: HttpRequest, round_number: int) -> HttpResponse:
    """The change form of the round's page, posted: refusals come back as messages on that page."""
    require(can_manage_rounds(request.user))
    round = _round_or_404(round_number)
    form = RulebookChangeForm(request.POST, round=round)
    if not form.is_valid():
        form_errors_to_messages(request, form)
    else:
        try:
            round_rulebook_change(
                round=round,
                rulebook=form.cleaned_data["rulebook"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_messages(request, exc)
        else:
            messages.success(
                request, _("The round is now judged by %(version)s.") % {"version": round.rulebook}
            )
    return redirect(reverse("round_detail", kwargs={"round_number": round.number}) + "#rulebook")


@require_http_methods(["GET", "POST"])
def round_rule_override_page(request: HttpRequest, round_number: int, rule_key: str) -> HttpResponse:
    require(can_view_rounds(request.user))
    require(can_override_rule(request.user))
    round = _round_or_404(round_number)
    param = round_rule_parameter(round=round, key=rule_key)
    if param is None:
        raise Http404(_("The rulebook of this round has no such rule."))
    row = next(r for r in _rule_rows(round) if r["key"] == rule_key)
    kind = value_kind(param.value)
    current = row["override"].value if row["override"] else param.value
    data = request.POST if request.method == "POST" else None
    form = OverrideForm(data, kind=kind, initial={"value": _initial_value(kind, current)})
    if data is not None and form.is_valid():
        try:
            round_rule_override(
                round=round,
                key=rule_key,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The rule is changed for this round."))
            return redirect(
                reverse("round_detail", kwargs={"round_number": round.number}) + f"#rule-{rule_key}"
            )
    return render(
        request,
        "rounds/override.html",
        {"round": round, "param": param, "row": row, "form": form, "kind": kind, "current": shown(current)},
    )
