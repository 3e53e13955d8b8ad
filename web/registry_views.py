"""The public registry of conferred artisans, without login: the list (`/nghe-nhan/`) and each artisan's
page (`/nghe-nhan/<public id>/`). Only what the President's decision makes public is shown: name,
title, round and year, the decision, the province (today's and the former one), the craft and whether
the title was posthumous; never the CCCD number, the ethnicity, the date of birth or the address."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from dossiers.models import Title
from dossiers.registry_selectors import registry_artisan, registry_facets, registry_filter, registry_rows
from dossiers.services.conferrals import can_import_conferral

from .widgets import QuickSelect
from .xlsx import DATE, NUMBER, Column, wants_xlsx, xlsx_response

REGISTRY_PAGE_SIZE = 50


class RegistryFilterForm(forms.Form):
    """The registry's search and filters, read from the query string (a filtered list can be
    bookmarked and its pages keep them). The choices of province, craft and year are those of the
    registry's rows, set after parsing (set_choices); a value outside them simply finds nothing."""

    q = forms.CharField(label=_("Search by name, craft or decision"), required=False, max_length=100)
    province = forms.IntegerField(label=_("Province"), required=False, min_value=1, widget=QuickSelect)
    craft = forms.IntegerField(label=_("Craft"), required=False, min_value=1, widget=QuickSelect)
    title = forms.ChoiceField(label=_("Title"), required=False, widget=QuickSelect)
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=1900, max_value=9999, widget=QuickSelect
    )

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["title"].choices = [("", _("all")), *Title.choices]

    def set_choices(self, *, provinces, crafts, years) -> None:
        self.fields["province"].widget.choices = [("", _("all")), *provinces]
        self.fields["craft"].widget.choices = [("", _("all")), *crafts]
        self.fields["year"].widget.choices = [("", _("all")), *((y, y) for y in years)]

    def filters(self) -> dict:
        """The valid filters as registry_filter takes them; an invalid value is left out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "province_id": data.get("province"),
            "craft_id": data.get("craft"),
            "title": data.get("title") or "",
            "year": data.get("year"),
        }


@login_not_required
@require_http_methods(["GET", "HEAD"])
def registry_list(request: HttpRequest) -> HttpResponse:
    """Every conferred title, newest decision first, 50 a page. Two queries whatever the number of
    rows: one gives the filters' choices and the count, one the page."""
    form = RegistryFilterForm(request.GET)
    filters = form.filters()
    condition = registry_filter(**filters)
    provinces, crafts, years, total = registry_facets(condition)
    form.set_choices(provinces=provinces, crafts=crafts, years=years)
    if wants_xlsx(request):
        return _registry_xlsx(request, registry_rows(condition), filters)
    paginator = Paginator(registry_rows(condition), REGISTRY_PAGE_SIZE)
    paginator.count = total  # counted with the choices: no COUNT query of its own
    page = paginator.get_page(request.GET.get("trang"))
    filtered = any(value not in (None, "") for value in filters.values())
    can_import = request.user.is_authenticated and bool(can_import_conferral(request.user))
    context = {"rows": page, "page": page, "form": form, "filtered": filtered, "can_import": can_import}
    return render(request, "public/registry.html", context)


REGISTRY_COLUMNS = (
    Column(_("Full name"), 28),
    Column(_("Title"), 20),
    Column(_("Round"), 8, NUMBER),
    Column(_("Year"), 8, NUMBER),
    Column(_("Decision number"), 18),
    Column(_("Decision date"), 14, DATE),
    Column(_("Province"), 20),
    Column(_("Province at the conferral"), 20),
    Column(_("Craft"), 22),
    Column(_("Posthumous"), 12),
)


def _registry_xlsx(request: HttpRequest, rows, filters: dict) -> HttpResponse:
    """The filtered registry, every row, with the page's columns: what the President's decisions made
    public, nothing more."""
    posthumous = str(_("posthumous"))
    values = (
        (
            c.full_name,
            c.get_title_display(),
            c.round_number,
            c.year,
            c.decision_number,
            c.decision_date,
            c.current_province.name if c.current_province_id else "",
            c.province.name if c.province_id else "",
            c.craft.name if c.craft_id else "",
            posthumous if c.posthumous else "",
        )
        for c in rows.iterator(chunk_size=2000)
    )
    return xlsx_response(
        request,
        stem="danh-sach-nghe-nhan",
        sheet_name=str(_("Registry of conferred artisans")),
        columns=REGISTRY_COLUMNS,
        rows=values,
        list_name="registry",
        filters=filters,
    )


@login_not_required
@require_http_methods(["GET", "HEAD"])
def registry_artisan_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """One artisan's titles (an Excellent Artisan later made People's Artisan has two)."""
    titles = registry_artisan(public_id=public_id)
    if not titles:
        raise Http404
    return render(request, "public/registry_artisan.html", {"titles": titles, "artisan": titles[-1]})
