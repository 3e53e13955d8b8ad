"""Pages of the ministry's clerks and leaders (and, within their province, the officers): the national
pipeline by province and state, batch steps with a preview of what will change, and the public comments
to handle as complaints. Thin views: the preview runs `transition_check` (nothing written), the batch
runs `dossiers_transition_batch`, a complaint `public_comment_to_complaint`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AdministrativeUnit
from core.permissions import require
from councils.permissions import can_handle_public_comments
from councils.selectors import public_comments_visible_to
from dossiers.models import DossierState
from dossiers.selectors import dossier_counts_by_province_and_state, provinces_of_visible_dossiers
from workflows.permissions import can_use_batch_page
from workflows.selectors import batch_steps_for, dossiers_for_batch_step
from workflows.services import dossiers_transition_batch, public_comment_to_complaint, transition_check
from workflows.transitions import label_of, records_decision, step_of, steps_of

from .account_views import reauth_required
from .errors import refusal_to_messages
from .xlsx import NUMBER, Column, wants_xlsx, xlsx_response


def pipeline(request: HttpRequest) -> HttpResponse:
    """Counts of the dossiers the user may see, by province and state: one aggregate query."""
    counts = dossier_counts_by_province_and_state(user=request.user)
    provinces: dict[int, dict] = {}
    states_seen: set[str] = set()
    for row in counts:
        entry = provinces.setdefault(
            row["province_id"],
            {"name": row["province__name"], "sort_key": row["province__sort_key"], "counts": {}},
        )
        entry["counts"][row["state"]] = row["n"]
        states_seen.add(row["state"])
    states = [s for s in DossierState if s.value in states_seen]
    rows = [
        {
            "name": p["name"],
            "cells": [p["counts"].get(s.value, 0) for s in states],
            "total": sum(p["counts"].values()),
        }
        for p in sorted(provinces.values(), key=lambda p: p["sort_key"])
    ]
    totals = [sum(r["cells"][i] for r in rows) for i in range(len(states))]
    if wants_xlsx(request):
        return _pipeline_xlsx(request, states, rows, totals)
    return render(
        request,
        "ministry/pipeline.html",
        {"states": states, "rows": rows, "totals": totals, "grand_total": sum(totals)},
    )


def _pipeline_xlsx(request: HttpRequest, states, rows: list[dict], totals: list[int]) -> HttpResponse:
    """The page's table: a province a row, a state a column, the totals last."""
    columns = [
        Column(gettext_lazy("Province"), 24),
        *(Column(state.label, 14, NUMBER) for state in states),
        Column(gettext_lazy("Total"), 10, NUMBER),
    ]
    lines = [(row["name"], *row["cells"], row["total"]) for row in rows]
    if rows:
        lines.append((_("Total"), *totals, sum(totals)))
    return xlsx_response(
        request,
        stem="tong-hop-ho-so",
        sheet_name=_("National pipeline"),
        columns=columns,
        rows=lines,
        list_name="ministry_pipeline",
    )


class BatchForm(forms.Form):
    step = forms.ChoiceField(label=gettext_lazy("Step"))
    province = forms.ModelChoiceField(
        label=gettext_lazy("Province (optional)"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        steps = batch_steps_for(user=user)
        main = [(n, label) for n, label in steps if not step_of(n).detour]
        other = [(n, label) for n, label in steps if step_of(n).detour]
        self.fields["step"].choices = [
            ("", "—"),
            *([(gettext_lazy("Steps that move dossiers on"), main)] if main else []),
            *([(gettext_lazy("Other steps (return, refuse, hold)"), other)] if other else []),
        ]
        self.fields["province"].queryset = provinces_of_visible_dossiers(user=user)
        # the data the offered steps take, from their declarations; the chosen step's service checks it.
        # Each field knows the steps that take it, so that the page shows only the chosen step's.
        self.data_fields: list[str] = []
        self.field_steps: dict[str, list[str]] = {}
        for name, _label in steps:
            for key, field in step_of(name).form_fields().items():
                self.field_steps.setdefault(key, []).append(name)
                if key not in self.fields:
                    field.required = False
                    self.fields[key] = field
                    self.data_fields.append(key)

    def data_field_boxes(self):
        return [(self[key], " ".join(self.field_steps[key])) for key in self.data_fields]

    def data_for_service(self) -> dict:
        c = self.cleaned_data
        data = {"reason": c.get("reason") or ""}
        data.update({key: c[key] for key in self.data_fields if c.get(key) not in (None, "")})
        return data


def _batch_preview_url(request: HttpRequest) -> str:
    """The preview of the batch that was posted, with its fields (not the chosen dossiers)."""
    data = [key for spec in steps_of().values() for key in spec.data_names]
    keep = dict.fromkeys(["step", "province", "reason", *data])  # in this order, once each
    query = {k: request.POST[k] for k in keep if request.POST.get(k)}
    return f"{reverse('batch_step')}?{urlencode(query)}"


@require_http_methods(["GET", "POST"])
@reauth_required(_batch_preview_url, when=lambda request: records_decision(request.POST.get("step")))
def batch_step(request: HttpRequest) -> HttpResponse:
    """GET with a step: the preview (each dossier with whether the step would succeed and why not);
    POST with the chosen dossiers and the confirmation: the batch, each dossier in its own transaction."""
    require(can_use_batch_page(request.user))
    data = request.POST if request.method == "POST" else (request.GET if "step" in request.GET else None)
    form = BatchForm(data, user=request.user)
    preview, result = None, None
    if data is not None and form.is_valid():
        step = form.cleaned_data["step"]
        candidates = list(
            dossiers_for_batch_step(user=request.user, step=step, province=form.cleaned_data["province"])
        )
        extra = form.data_for_service()
        if request.method == "POST":
            chosen_ids = {int(i) for i in request.POST.getlist("dossier") if i.isdigit()}
            chosen = [d for d in candidates if d.pk in chosen_ids]
            if not request.POST.get("confirm"):
                messages.error(request, _("Tick the confirmation first."))
            elif not chosen:
                messages.error(request, _("Choose at least one dossier."))
            else:
                outcome = dossiers_transition_batch(
                    dossiers=chosen,
                    name=step,
                    by=request.user,
                    request_id=request.headers.get("X-Request-ID", "")[:64],
                    **extra,
                )
                names = {d.pk: d.artisan.full_name for d in chosen}
                result = {
                    "step": step_of(step).label,
                    "done": [names[i] for i in outcome.done],
                    "refused": [(names[i], reason) for i, reason in outcome.refused],
                    "unknown": [(i, names[i]) for i in outcome.unknown],
                    "again_url": _batch_preview_url(request),
                }
                return render(request, "ministry/batch_result.html", {"result": result})
        preview = [
            {"dossier": d, "decision": transition_check(dossier=d, name=step, by=request.user, **extra)}
            for d in candidates
        ]
    return render(
        request,
        "ministry/batch.html",
        {
            "form": form,
            "preview": preview,
            "step_label": _label_or_blank(form.data.get("step")),
        },
    )


def _label_or_blank(name: str | None) -> str:
    return label_of(name) if name in steps_of() else ""


def public_comments(request: HttpRequest) -> HttpResponse:
    """The written comments of the public on the posted lists, newest first; those not yet handled can
    be turned into a complaint (the dossier goes on hold)."""
    require(can_handle_public_comments(request.user))
    comments = public_comments_visible_to(user=request.user).order_by("status", "-received_at", "-id")[:500]
    return render(request, "ministry/comments.html", {"comments": comments})


@require_POST
def comment_to_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(public_comments_visible_to(user=request.user), pk=pk)
    note = request.POST.get("note", "")
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the confirmation first."))
    elif not note.strip():
        messages.error(request, _("Write why this comment is a complaint."))
    else:
        try:
            public_comment_to_complaint(comment=comment, by=request.user, note=note)
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_messages(request, exc)
        else:
            messages.success(request, _("The comment is handled as a complaint; the dossier is on hold."))
    return redirect("public_comments")
