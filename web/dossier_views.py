"""The officer's dossier pages: thin views that parse a form, call one service and render."""

import logging
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import Role, roles_of
from accounts.selectors import saved_filters_of
from accounts.services import saved_filter_delete, saved_filter_save
from core.security_log import security_event
from dossiers.completeness import check_completeness
from dossiers.eligibility import evaluate
from dossiers.facts import facts_from_dossier
from dossiers.models import Dossier
from dossiers.permissions import can_create_dossier, can_edit_dossier, can_view_sensitive
from dossiers.rulebook.selectors import rules_for_round
from dossiers.selectors import (
    dossier_filter,
    dossier_list_facets,
    dossier_works,
    dossiers_visible_to,
    is_cccd_query,
    may_search_cccd,
)
from dossiers.sensitive import artisan_sensitive_read
from dossiers.services.attachments import attachment_add, attachments_discard
from dossiers.services.intake import (
    AwardInput,
    PeriodInput,
    PriorTitleInput,
    TraineeInput,
    WorkInput,
    dossier_receive,
    dossier_update_evidence,
)
from notifications.selectors import dossier_activity
from workflows.permissions import can_request_council_judgement
from workflows.selectors import dossier_history, dossier_progress, inbox_of
from workflows.services import (
    available_transitions,
    council_judgement_request,
    dossier_transition,
    step_committed,
)
from workflows.services.judgement import JUDGEMENT_REQUEST_STATES
from workflows.transitions import label_of, records_decision, step_of, steps_of

from .account_views import reauth_required
from .document_views import documents_of_dossier, page_size
from .dossier_forms import (
    EVIDENCE_ROW_FORMS,
    AttachmentForm,
    AttachmentRowFormSet,
    CouncilJudgementForm,
    DossierFilterForm,
    EvidenceSummary,
    PeriodFormSet,
    PriorTitleFormSet,
    ReceiveForm,
    StepForm,
    TraineeFormSet,
    WorkFormSet,
)
from .errors import form_errors_to_messages, refusal_to_form, refusal_to_messages
from .xlsx import DATE, NUMBER, Column, wants_xlsx, xlsx_response

logger = logging.getLogger(__name__)


def _visible_or_404(request, pk: int) -> Dossier:
    """A dossier outside the user's scope answers 404, so that its existence is not revealed."""
    try:
        return dossiers_visible_to(request.user).get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def task_inbox(request: HttpRequest) -> HttpResponse:
    """What the user must do next, overdue first, then by deadline; 25 a page (LIST_PAGE_SIZE) like the
    other lists (a council's secretary or the ministry may have hundreds of open tasks)."""
    from .home_views import readable_ids

    q = (request.GET.get("q") or "").strip()[:100]
    condition = dossier_filter(q=q, cccd_allowed=may_search_cccd(request.user)) if q else None
    if is_cccd_query(q):
        security_event("dossier_search_by_cccd", request=request, allowed=may_search_cccd(request.user))
    page = Paginator(inbox_of(request.user, condition=condition), page_size()).get_page(
        request.GET.get("trang")
    )
    context = {"items": page, "page": page, "readable": readable_ids(request.user, page), "q": q}
    return render(request, "dossiers/inbox.html", context)


def dossier_list(request: HttpRequest) -> HttpResponse:
    """The dossiers the user may see, newest first, 25 a page (LIST_PAGE_SIZE; the ministry sees every
    province's), searched and filtered by the query string (DossierFilterForm) within that scope. The
    same queries whatever the number of rows: one gives the filters' choices and the count, one the page."""
    visible = dossiers_visible_to(request.user)
    form = DossierFilterForm(request.GET)
    filters = form.filters()
    cccd_allowed = may_search_cccd(request.user)
    condition = dossier_filter(**filters, cccd_allowed=cccd_allowed)
    if is_cccd_query(filters.get("q", "")):
        # who looked a person up by their number, never the number itself
        security_event("dossier_search_by_cccd", request=request, allowed=cccd_allowed)
    ordered = visible.filter(condition).order_by("-received_on", "-id")
    if wants_xlsx(request):
        return _dossier_list_xlsx(request, ordered, filters)
    rounds, provinces, total, crafts = dossier_list_facets(visible, condition)
    form.set_choices(rounds=rounds, provinces=provinces, crafts=crafts)
    # the page's rows: the columns the table shows over the four joins they need (no receiving agency,
    # no search column), as plain values: five model objects a row cost more than the rest of the rows'
    # rendering (web/templatetags/dossier_rows.py)
    shown = ordered.select_related(None).values_list(*LIST_COLUMNS, named=True)
    paginator = Paginator(shown, page_size())
    paginator.count = total  # counted with the choices: no COUNT query of its own
    page = paginator.get_page(request.GET.get("trang"))
    agency = request.user.agency
    may_receive = agency is not None and bool(can_create_dossier(request.user, agency))
    filtered = any(value not in (None, "") for value in filters.values())
    context = {
        "dossiers": page,
        "page": page,
        "may_receive": may_receive,
        "form": form,
        "filtered": filtered,
        "saved_filters": saved_filters_of(user=request.user, page="dossier_list"),
        "saveable": _saveable_query(request.GET),
    }
    return render(request, "dossiers/list.html", context)


LIST_COLUMNS = (
    "pk",
    "code",
    "posthumous",
    "title",
    "state",
    "received_on",
    "artisan__full_name",
    "artisan__craft__name",
    "round__number",
    "province__name",
)

FILTER_PARAMS = ("q", "round", "title", "state", "posthumous", "province", "craft")


def _saveable_query(params) -> str:
    """The list's filters as a query string to save: the filter form's own parameters, the valid ones,
    never a CCCD number (stored as a bookmark, it would put the number in the database in clear)."""
    form = DossierFilterForm({k: params.get(k, "") for k in FILTER_PARAMS})
    form.is_valid()
    kept = {k: params[k] for k in FILTER_PARAMS if params.get(k) and k in form.cleaned_data}
    if is_cccd_query(kept.get("q", "")):
        kept.pop("q")
    return urlencode(kept)


@require_POST
def saved_filter_save_view(request: HttpRequest) -> HttpResponse:
    query = _saveable_query(request.POST)
    try:
        saved = saved_filter_save(
            user=request.user, page="dossier_list", name=request.POST.get("name", ""), query=query
        )
    except ValidationError as exc:
        refusal_to_messages(request, exc)
        return redirect(f"{reverse('dossier_list')}?{query}")
    messages.success(request, _("The filter “%(name)s” was saved.") % {"name": saved.name})
    return redirect(f"{reverse('dossier_list')}?{saved.query}")


@require_POST
def saved_filter_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not saved_filter_delete(user=request.user, pk=pk):
        raise Http404
    messages.success(request, _("The saved filter was deleted."))
    return redirect("dossier_list")


DOSSIER_COLUMNS = (
    Column(gettext_lazy("Code"), 12),
    Column(gettext_lazy("Artisan"), 28),
    Column(gettext_lazy("Posthumous"), 12),
    Column(gettext_lazy("Title sought"), 24),
    Column(gettext_lazy("Craft"), 24),
    Column(gettext_lazy("Province"), 20),
    Column(gettext_lazy("Round"), 8, NUMBER),
    Column(gettext_lazy("Date received"), 14, DATE),
    Column(gettext_lazy("State"), 30),
)


def _dossier_list_xlsx(request: HttpRequest, dossiers, filters: dict) -> HttpResponse:
    """Every row of the filtered list (not one page), with the page's columns; no identification data
    (CCCD, ethnicity, date of birth) whoever asks. One query, read in chunks."""
    posthumous = _("posthumous")
    titles = {value: str(label) for value, label in Dossier._meta.get_field("title").flatchoices}
    states = {value: str(label) for value, label in Dossier._meta.get_field("state").flatchoices}
    # plain values, not model objects: the sheet needs nine columns, not five joined rows per dossier
    values = dossiers.values_list(
        "code",
        "artisan__full_name",
        "posthumous",
        "title",
        "artisan__craft__name",
        "province__name",
        "round__number",
        "received_on",
        "state",
    )
    rows = (
        (
            code,
            name,
            posthumous if dead else "",
            titles.get(title, title),
            craft,
            province,
            number,
            on,
            states.get(state, state),
        )
        for code, name, dead, title, craft, province, number, on, state in values.iterator(chunk_size=2000)
    )
    return xlsx_response(
        request,
        stem="danh-sach-ho-so",
        sheet_name=_("Dossiers"),
        columns=DOSSIER_COLUMNS,
        rows=rows,
        list_name="dossier_list",
        filters=filters,
    )


def dossier_receive_view(request: HttpRequest) -> HttpResponse:
    """The receipt in one page: the artisan, the dossier, its evidence tables and its files, saved together
    or not at all, then the receipt step; the officer lands on the dossier."""
    agency = request.user.agency
    decision = can_create_dossier(request.user, agency) if agency is not None else None
    if not decision:
        raise PermissionDenied(decision.reason if decision is not None else _("You belong to no department."))
    data = request.POST if request.method == "POST" else None
    form = ReceiveForm(data, province=agency.province)
    # the evidence and the files are optional parts of the post: a client that sends only the receipt's
    # fields (no formset management data) receives a dossier without them
    formsets = _evidence_formsets(data, optional=True)
    files = AttachmentRowFormSet(_if_sent(data, "files"), request.FILES or None, prefix="files")
    parts_valid = all(not part.is_bound or part.is_valid() for part in [files, *formsets.values()])
    if data is not None and form.is_valid() and parts_valid:
        stored: list = []
        try:
            with transaction.atomic():
                dossier, warnings = dossier_receive(by=request.user, **form.service_arguments(agency))
                evidence = _evidence_inputs(formsets)
                if any(evidence.values()):
                    dossier_update_evidence(dossier=dossier, by=request.user, **evidence)
                for row in files.cleaned_data if files.is_bound else []:
                    if row.get("file"):
                        stored.append(
                            attachment_add(
                                dossier=dossier, kind=row["kind"], uploaded_file=row["file"], by=request.user
                            )
                        )
                dossier_transition(
                    name="submit", dossier=dossier, by=request.user, request_id=_request_id(request)
                )
        except BaseException as exc:
            # the rows are rolled back; the files the storage already holds go with them
            attachments_discard(stored)
            if not isinstance(exc, PermissionDenied | ValidationError):
                raise
            refusal_to_form(form, exc)
        else:
            messages.success(request, _("The dossier was received."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("dossier_detail", pk=dossier.pk)
    return render(request, "dossiers/receive.html", {"form": form, "formsets": formsets, "files": files})


@require_POST
def evidence_row_check(request: HttpRequest, name: str) -> HttpResponse:
    """One row of an evidence table checked as it is typed (static/js/formset.js): the errors the same
    form would give on saving, by field. Nothing is saved. For the officers who enter evidence."""
    if Role.PROVINCIAL_OFFICER not in roles_of(request.user):
        raise PermissionDenied(_("Only officers of a Department of Industry and Trade enter evidence."))
    form_class = EVIDENCE_ROW_FORMS.get(name)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    form.is_valid()
    return JsonResponse(
        {"errors": {field: [str(e) for e in errors] for field, errors in form.errors.items()}}
    )


def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _visible_or_404(request, pk)
    if request.htmx and request.GET.get("part") == "documents":
        # htmx: only the documents, polled while one is still being generated
        return render(request, "dossiers/_documents.html", _documents_context(request.user, dossier))
    rules = rules_for_round(dossier.round)
    facts = facts_from_dossier(dossier)
    report = evaluate(facts, rules)
    context = {
        "dossier": dossier,
        "report": report,
        "judgement_form": _judgement_form(dossier, report, request.user),
        "completeness": check_completeness(facts, rules),
        "today": timezone.localdate(),
        "may_edit": bool(can_edit_dossier(request.user, dossier)),
        "may_see_sensitive": bool(can_view_sensitive(request.user, dossier)),
        "attachment_form": AttachmentForm(),
        "periods": dossier.craft_periods.all(),
        "works": dossier_works(dossier=dossier),
        "trainees": dossier.trainee_records.all(),
        "attachments": dossier.attachments.all(),
        "prior_titles": dossier.artisan.prior_titles.all(),
        "actions": _actions(dossier, request.user),
        **_documents_context(request.user, dossier),
        "feed": dossier_activity(dossier_id=dossier.pk),
    }
    history = list(dossier_history(dossier=dossier))
    context["timeline"] = [(entry, label_of(entry.transition)) for entry in history]
    context["progress"] = dossier_progress(dossier=dossier, history=history)
    return render(request, "dossiers/detail.html", context)


def _judgement_form(dossier, report, user) -> CouncilJudgementForm | None:
    """The request that the council judge a dossier failing a criterion: for its department's officers,
    before it goes to the council (the service checks all of it again)."""
    if (
        report.overall != "not_met"
        or dossier.state not in JUDGEMENT_REQUEST_STATES
        or not can_request_council_judgement(user, dossier)
    ):
        return None
    return CouncilJudgementForm(initial={"reason": dossier.council_judgement_note})


@require_POST
def dossier_council_judgement(request: HttpRequest, pk: int) -> HttpResponse:
    """Record why the council should judge a dossier that fails a checkable criterion."""
    dossier = _visible_or_404(request, pk)
    form = CouncilJudgementForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("dossier_detail", pk=dossier.pk)
    try:
        council_judgement_request(
            dossier=dossier,
            reason=form.cleaned_data["reason"],
            by=request.user,
            request_id=_request_id(request),
        )
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("The reason for the council's judgement was recorded."))
    return redirect("dossier_detail", pk=dossier.pk)


def _documents_context(user, dossier) -> dict:
    documents = documents_of_dossier(user, dossier)
    pending = any(row["document"].status in ("queued", "generating") for row in documents)
    return {"dossier": dossier, "documents": documents, "documents_pending": pending}


def _actions(dossier, user) -> list[dict]:
    actions = []
    for name in available_transitions(dossier, user):
        spec = step_of(name)
        actions.append(
            {
                "name": name,
                "label": spec.label,
                "reason_required": spec.reason_required,
                "reason_lists_missing": spec.reason_lists_missing,
                "data_fields": StepForm(step=spec).data_field_boxes(),
                "detour": spec.detour,
            }
        )
    # the steps that move the dossier on first, in procedural order; returns, refusals and holds after them
    return sorted(actions, key=lambda action: action["detour"])


@require_POST
@reauth_required(
    lambda request, pk: reverse("dossier_detail", kwargs={"pk": pk}),
    when=lambda request: records_decision(request.POST.get("name")),
)
def dossier_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one step of the procedure after the user confirmed it; the service decides."""
    dossier = _visible_or_404(request, pk)
    name = request.POST.get("name", "")
    if name not in steps_of():
        raise Http404
    form = StepForm(request.POST, step=step_of(name))
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("dossier_detail", pk=dossier.pk)
    request_id = _request_id(request) or uuid.uuid4().hex
    try:
        dossier_transition(
            dossier=dossier,
            name=name,
            by=request.user,
            request_id=request_id,
            **form.transition_data(),
        )
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    except DatabaseError:
        # The connection was lost, perhaps at COMMIT: say what is true, asked on a new connection.
        logger.exception("step %s on dossier %s: the connection was lost", name, dossier.pk)
        kept = step_committed(request_id=request_id, dossier_id=dossier.pk)
        if kept is None:
            raise  # the database cannot be reached: the error page says to check before trying again
        if kept:
            messages.success(request, _("Done: %(step)s.") % {"step": step_of(name).label})
        else:
            messages.error(
                request,
                _(
                    "The connection to the database was lost and the step was not recorded. Nothing changed; "
                    "you can take it again."
                ),
            )
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": step_of(name).label})
    return redirect("dossier_detail", pk=dossier.pk)


def _request_id(request) -> str:
    return request.headers.get("X-Request-ID", "")[:64]


@require_POST
def dossier_reveal_sensitive(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the CCCD number and ethnicity once, after an explicit request; the read is logged."""
    dossier = _visible_or_404(request, pk)
    data = artisan_sensitive_read(dossier=dossier, by=request.user, purpose="dossier page")
    return render(request, "dossiers/sensitive.html", {"dossier": dossier, "data": data})


def dossier_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _visible_or_404(request, pk)
    decision = can_edit_dossier(request.user, dossier)
    if not decision:
        raise PermissionDenied(decision.reason)
    data = request.POST if request.method == "POST" else None
    formsets = _evidence_formsets(data, dossier)
    summary = EvidenceSummary(data or {})  # the refusals that no one row of a formset holds
    if data is not None and all(fs.is_valid() for fs in formsets.values()):
        try:
            dossier_update_evidence(dossier=dossier, by=request.user, **_evidence_inputs(formsets))
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_form(summary, exc)
        else:
            messages.success(request, _("The evidence was saved."))
            return redirect("dossier_detail", pk=dossier.pk)
    return render(
        request, "dossiers/evidence.html", {"dossier": dossier, "formsets": formsets, "summary": summary}
    )


@require_POST
def dossier_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _visible_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(
                dossier=dossier,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                by=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            refusal_to_messages(request, exc)
        else:
            messages.success(request, _("The file was attached."))
    else:
        form_errors_to_messages(request, form)
    # sent by the upload script, the redirect becomes where to go (core.middleware.UploadScriptMiddleware)
    return redirect("dossier_detail", pk=dossier.pk)


def _if_sent(data, prefix: str):
    """The post for a formset whose management data was sent, else None (the formset stays unbound)."""
    return data if data is not None and f"{prefix}-TOTAL_FORMS" in data else None


def _evidence_formsets(data, dossier=None, *, optional: bool = False) -> dict:
    """The four evidence tables, filled from the dossier's evidence (none for a new dossier). `optional`:
    a table whose management data was not posted stays unbound, and counts as empty."""
    if optional:
        return {
            name: formset_class(_if_sent(data, name), prefix=name)
            for name, formset_class in (
                ("periods", PeriodFormSet),
                ("works", WorkFormSet),
                ("trainees", TraineeFormSet),
                ("prior_titles", PriorTitleFormSet),
            )
        }
    initial: dict[str, list] = {"periods": [], "works": [], "trainees": [], "prior_titles": []}
    if dossier is not None:
        initial = {
            "periods": [
                {"start": p.start, "end": p.end, "place": p.place} for p in dossier.craft_periods.all()
            ],
            "works": [_work_initial(w) for w in dossier_works(dossier=dossier)],
            "trainees": [
                {"count": t.count, "start": t.start, "end": t.end, "description": t.description}
                for t in dossier.trainee_records.all()
            ],
            "prior_titles": [
                {
                    "title": p.title,
                    "field": p.field,
                    "decision_number": p.decision_number,
                    "decision_date": p.decision_date,
                }
                for p in dossier.artisan.prior_titles.all()
                if p.conferral_id is None  # a title from the registry is shown, not edited
            ],
        }
    return {
        "periods": PeriodFormSet(data, prefix="periods", initial=initial["periods"]),
        "works": WorkFormSet(data, prefix="works", initial=initial["works"]),
        "trainees": TraineeFormSet(data, prefix="trainees", initial=initial["trainees"]),
        "prior_titles": PriorTitleFormSet(data, prefix="prior_titles", initial=initial["prior_titles"]),
    }


def _rows(formset) -> list[dict]:
    if not formset.is_bound:
        return []
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _work_initial(work) -> dict:
    initial = {
        "name": work.name,
        "completed_on": work.completed_on,
        "made_after_title": work.made_after_title,
    }
    award = next(iter(work.awards.all()), None)
    if award is not None:
        initial.update(
            award_competition=award.competition,
            award_organiser=award.organiser,
            award_competent=award.organiser_is_competent,
            award_state_appointed=award.state_appointed,
            award_level=award.level,
            award_scope=award.scope,
            award_on=award.awarded_on,
        )
    return initial


def _evidence_inputs(formsets) -> dict:
    works = []
    for row in _rows(formsets["works"]):
        awards = ()
        if row.get("award_competition"):
            awards = (
                AwardInput(
                    competition=row["award_competition"],
                    organiser=row["award_organiser"] or "",
                    level=row["award_level"],
                    scope=row["award_scope"],
                    awarded_on=row["award_on"],
                    organiser_is_competent=row["award_competent"],
                    state_appointed=row["award_state_appointed"],
                ),
            )
        works.append(
            WorkInput(
                name=row["name"],
                completed_on=row["completed_on"],
                made_after_title=row["made_after_title"],
                awards=awards,
            )
        )
    return {
        "periods": [
            PeriodInput(r["start"], r["end"], r.get("place") or "") for r in _rows(formsets["periods"])
        ],
        "works": works,
        "trainees": [
            TraineeInput(r["count"], r["start"], r["end"], r.get("description") or "")
            for r in _rows(formsets["trainees"])
        ],
        "prior_titles": [
            PriorTitleInput(r["title"], r["field"], r["decision_number"], r["decision_date"])
            for r in _rows(formsets["prior_titles"])
        ],
    }
