"""The round's statistics page (`/bo/thong-ke/`, docs/statistics.md): counts by province and state, by
craft and by title; the pass rate at each council level; the days spent in each state. For the Ministry
(every province) and each province's officers (their own): the figures are read from the dossier list's
scope (`dossiers_visible_to`), narrowed by the filters of the query string. Each figure is a bar chart
(inline SVG) with a table of the same numbers, and downloads as a sheet (`?format=xlsx&view=…`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AdministrativeUnit
from accounts.roles import roles_of
from dossiers.models import DossierState, RoundMilestone, Title
from dossiers.permissions import MINISTRY_ROLES, can_see_statistics
from dossiers.selectors import crafts, rounds
from workflows.round_statistics import (
    StatisticsFilter,
    dossier_counts,
    pass_rates,
    stage_times,
)

from .charts import bar_chart
from .widgets import QuickSelect
from .xlsx import NUMBER, Column, wants_xlsx, xlsx_response

NONE = "—"  # a rate with nothing to measure


class StatisticsFilterForm(forms.Form):
    """The page's filters from the query string (bookmarkable). Without `round` the latest round is
    shown; `round=` (empty) is every round. The province filter is the Ministry's only: an officer's
    figures are their province's whatever the URL says."""

    round = forms.IntegerField(label=gettext_lazy("Round"), required=False, min_value=1, widget=QuickSelect)
    province = forms.IntegerField(
        label=gettext_lazy("Province"), required=False, min_value=1, widget=QuickSelect
    )
    title = forms.ChoiceField(label=gettext_lazy("Title"), required=False, widget=QuickSelect)
    craft = forms.IntegerField(label=gettext_lazy("Craft"), required=False, min_value=1, widget=QuickSelect)

    def __init__(self, data, *, national: bool):
        all_ = ("", _("all"))
        round_choices = [(r.pk, str(r)) for r in rounds()]  # newest first
        if "round" not in data and round_choices:
            data = data.copy()
            data["round"] = str(round_choices[0][0])
        super().__init__(data)
        self.fields["round"].widget.choices = [all_, *round_choices]
        self.fields["title"].choices = [all_, *Title.choices]
        self.fields["craft"].widget.choices = [all_, *((c.pk, c.name) for c in crafts())]
        if national:
            provinces = AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True).order_by(
                "sort_key", "code"
            )
            self.fields["province"].widget.choices = [all_, *((p.pk, p.name) for p in provinces)]
        else:
            del self.fields["province"]

    def statistics_filter(self) -> StatisticsFilter:
        """The valid filters; an invalid value is left out."""
        self.is_valid()
        data = self.cleaned_data
        return StatisticsFilter(
            round_id=data.get("round"),
            province_id=data.get("province"),
            title=data.get("title") or "",
            craft_id=data.get("craft"),
        )


def _number(value: float | None, digits: int = 1) -> str:
    return NONE if value is None else formats.number_format(value, digits)


# --- the figures, from the selectors' rows ---------------------------------------------------------------


def _counts(rows: list[dict]) -> dict:
    """The counts query's rows folded three ways: province × state, craft × title, title."""
    states_seen, provinces, crafts_, titles = set(), {}, {}, {}
    for row in rows:
        n, state, title = row["n"], row["state"], row["title"]
        states_seen.add(state)
        p = provinces.setdefault(
            row["province_id"], {"name": row["province__name"], "key": row["province__sort_key"], "by": {}}
        )
        p["by"][state] = p["by"].get(state, 0) + n
        c = crafts_.setdefault(row["artisan__craft_id"], {"name": row["artisan__craft__name"], "by": {}})
        c["by"][title] = c["by"].get(title, 0) + n
        titles[title] = titles.get(title, 0) + n
    states = [s for s in DossierState if s.value in states_seen]
    province_rows = [
        {
            "name": p["name"],
            "cells": [p["by"].get(s.value, 0) for s in states],
            "total": sum(p["by"].values()),
        }
        for p in sorted(provinces.values(), key=lambda p: p["key"])
    ]
    craft_rows = [
        {"name": c["name"], "cells": [c["by"].get(t.value, 0) for t in Title], "total": sum(c["by"].values())}
        for c in sorted(crafts_.values(), key=lambda c: c["name"])
    ]
    title_rows = [{"name": t.label, "total": titles.get(t.value, 0)} for t in Title]
    state_totals = [sum(r["cells"][i] for r in province_rows) for i in range(len(states))]
    return {
        "states": states,
        "provinces": province_rows,
        "state_totals": state_totals,
        "crafts": craft_rows,
        "titles": title_rows,
        "total": sum(state_totals),
    }


def _rate_rows(rates) -> list[dict]:
    labels = dict(RoundMilestone.Level.choices)
    return [
        {
            "name": labels[r.level.key],
            "reached": r.reached,
            "passed": r.passed,
            "failed": r.failed,
            "waiting": r.waiting,
            "rate": r.rate,
            "rate_text": NONE if r.rate is None else f"{_number(r.rate)} %",
        }
        for r in rates
    ]


def _time_rows(times) -> list[dict]:
    labels = dict(DossierState.choices)
    return [
        {
            "name": labels.get(t.state, t.state),
            "stays": t.stays,
            "median": round(t.median_days, 1),
            "max": round(t.max_days, 1),
            "median_text": _number(t.median_days),
            "max_text": _number(t.max_days),
        }
        for t in times
    ]


CHART_NOTE = gettext_lazy("A bar chart; the table beside it gives the same numbers.")


def _charts(counts: dict, rates: list[dict], times: list[dict]) -> dict:
    def whole(rows):
        return [(r["name"], [r["total"]], [str(r["total"])]) for r in rows]

    return {
        "provinces": bar_chart(
            id="chart-provinces",
            title=_("Dossiers by province"),
            description=str(CHART_NOTE),
            rows=whole(counts["provinces"]),
        ),
        "crafts": bar_chart(
            id="chart-crafts",
            title=_("Dossiers by craft"),
            description=str(CHART_NOTE),
            rows=whole(counts["crafts"]),
        ),
        "titles": bar_chart(
            id="chart-titles",
            title=_("Dossiers by title"),
            description=str(CHART_NOTE),
            rows=whole(counts["titles"]),
        ),
        "rates": bar_chart(
            id="chart-rates",
            title=_("Pass rate at each council level"),
            description=str(CHART_NOTE),
            rows=[(r["name"], [r["rate"]], [r["rate_text"]]) for r in rates],
        ),
        "times": bar_chart(
            id="chart-times",
            title=_("Days spent in each state"),
            description=str(CHART_NOTE),
            rows=[(r["name"], [r["median"], r["max"]], [r["median_text"], r["max_text"]]) for r in times],
            series=(_("median"), _("longest")),
        ),
    }


# --- the page ---------------------------------------------------------------------------------------------

VIEWS = ("provinces", "crafts", "titles", "pass_rates", "durations")


def statistics_page(request: HttpRequest) -> HttpResponse:
    decision = can_see_statistics(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)
    national = bool(roles_of(request.user) & MINISTRY_ROLES)
    form = StatisticsFilterForm(request.GET, national=national)
    chosen = form.statistics_filter()
    if wants_xlsx(request):
        view = request.GET.get("view") or "provinces"
        if view not in VIEWS:
            raise Http404
        return _xlsx(request, view, chosen)
    counts = _counts(dossier_counts(user=request.user, filters=chosen))
    rates = _rate_rows(pass_rates(user=request.user, filters=chosen))
    times = _time_rows(stage_times(user=request.user, filters=chosen))
    context = {
        "form": form,
        "national": national,
        "counts": counts,
        "rates": rates,
        "times": times,
        "titles": list(Title),
        "charts": _charts(counts, rates, times),
        "today": timezone.localdate(),
    }
    return render(request, "ministry/statistics.html", context)


def _xlsx(request: HttpRequest, view: str, chosen: StatisticsFilter) -> HttpResponse:
    """One sheet: the table of one figure, with the page's filters."""
    user = request.user
    if view in ("provinces", "crafts", "titles"):
        counts = _counts(dossier_counts(user=user, filters=chosen))
    if view == "provinces":
        columns = [
            Column(gettext_lazy("Province"), 24),
            *(Column(s.label, 14, NUMBER) for s in counts["states"]),
            Column(gettext_lazy("Total"), 10, NUMBER),
        ]
        lines = [(r["name"], *r["cells"], r["total"]) for r in counts["provinces"]]
        if lines:
            lines.append((_("Total"), *counts["state_totals"], counts["total"]))
        stem, sheet = "thong-ke-theo-tinh", _("Dossiers by province")
    elif view == "crafts":
        columns = [
            Column(gettext_lazy("Craft"), 30),
            *(Column(t.label, 16, NUMBER) for t in Title),
            Column(gettext_lazy("Total"), 10, NUMBER),
        ]
        lines = [(r["name"], *r["cells"], r["total"]) for r in counts["crafts"]]
        stem, sheet = "thong-ke-theo-nghe", _("Dossiers by craft")
    elif view == "titles":
        columns = [Column(gettext_lazy("Title"), 24), Column(gettext_lazy("Dossiers"), 12, NUMBER)]
        lines = [(r["name"], r["total"]) for r in counts["titles"]]
        stem, sheet = "thong-ke-theo-danh-hieu", _("Dossiers by title")
    elif view == "pass_rates":
        columns = [
            Column(gettext_lazy("Council level"), 20),
            Column(gettext_lazy("Reached the council"), 14, NUMBER),
            Column(gettext_lazy("Passed"), 12, NUMBER),
            Column(gettext_lazy("Not passed"), 12, NUMBER),
            Column(gettext_lazy("Awaiting the result"), 14, NUMBER),
            Column(gettext_lazy("Pass rate, per cent"), 12, NUMBER),
        ]
        lines = [
            (
                r["name"],
                r["reached"],
                r["passed"],
                r["failed"],
                r["waiting"],
                NONE if r["rate"] is None else round(r["rate"], 1),
            )
            for r in _rate_rows(pass_rates(user=user, filters=chosen))
        ]
        stem, sheet = "ty-le-dat-theo-cap", _("Pass rate at each council level")
    else:
        columns = [
            Column(gettext_lazy("State"), 40),
            Column(gettext_lazy("Completed stays"), 14, NUMBER),
            Column(gettext_lazy("Median (days)"), 14, NUMBER),
            Column(gettext_lazy("Longest (days)"), 14, NUMBER),
        ]
        lines = [
            (r["name"], r["stays"], r["median"], r["max"])
            for r in _time_rows(stage_times(user=user, filters=chosen))
        ]
        stem, sheet = "thoi-gian-tung-trang-thai", _("Days spent in each state")
    return xlsx_response(
        request,
        stem=stem,
        sheet_name=sheet,
        columns=columns,
        rows=lines,
        list_name=f"statistics_{view}",
        filters={
            "view": view,
            "round_id": chosen.round_id,
            "province_id": chosen.province_id,
            "title": chosen.title,
            "craft_id": chosen.craft_id,
        },
    )
