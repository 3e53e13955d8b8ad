"""The council secretary's field-visit page: a visit to the artisan's workshop of a dossier on the
session's agenda, with its team, date, place, report and signed report. A thin view over
councils.services.field_visit_record, which checks again who may record it and what was given."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.forms import VNDateField
from councils.models import Membership
from councils.selectors import (
    council_memberships,
    field_visits_of,
    membership_in,
    session_agenda_dossiers,
    sessions_of,
)
from councils.services import field_visit_record
from dossiers.models import Dossier

from .errors import refusal_to_form


class MemberBoxes(forms.CheckboxSelectMultiple):
    """A group of boxes has no label of its own: the error summary links to the first box."""

    def id_for_label(self, id_, index="0"):
        return f"{id_}_{index}" if id_ else ""


class FieldVisitForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members of the group"),
        queryset=Membership.objects.none(),
        widget=MemberBoxes,
    )
    visited_on = VNDateField(label=gettext_lazy("Date of the visit"))
    place = forms.CharField(label=gettext_lazy("Place visited"), max_length=255)
    report = forms.CharField(label=gettext_lazy("Report"), widget=forms.Textarea(attrs={"rows": 6}))
    report_upload = forms.FileField(label=gettext_lazy("Signed report (file)"), required=False)

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = council_memberships(council=council)
        self.fields["members"].label_from_instance = lambda m: f"{m.user} ({m.get_role_display()})"


@require_http_methods(["GET", "POST"])
def field_visit_view(request: HttpRequest, pk: int, dossier_id: int) -> HttpResponse:
    """Another council's session or a dossier not on this agenda answers 404; a member who is not the
    council's secretary, 403."""
    session = get_object_or_404(sessions_of(request.user), pk=pk)
    try:
        dossier = session_agenda_dossiers(session=session).get(pk=dossier_id)
    except Dossier.DoesNotExist:
        raise Http404 from None
    council = session.council
    membership = membership_in(session, request.user)
    if membership is None or membership.role != Membership.Role.SECRETARY:
        raise PermissionDenied(_("Only the council's secretary can do this."))
    form = FieldVisitForm(request.POST or None, request.FILES or None, council=council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            field_visit_record(
                council=council,
                dossier=dossier,
                visited_on=data["visited_on"],
                members=list(data["members"]),
                place=data["place"],
                report=data["report"],
                report_upload=data.get("report_upload"),
                by=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The field visit was recorded."))
            return redirect("council_agenda_dossier", pk=session.pk, dossier_id=dossier.pk)
    context = {
        "session": session,
        "dossier": dossier,
        "form": form,
        "visits": field_visits_of(council=council, dossier=dossier),
    }
    return render(request, "councils/field_visit.html", context)
