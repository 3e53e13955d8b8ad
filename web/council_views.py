"""Council pages: a member's sessions, agenda, conflict-of-interest declarations, advisory notes and the
secret ballot; a secretary's agenda, attendance, quorum, opening and closing the ballot, the tally and the
session's minutes. Thin views: each write calls one service, which checks who may do it.

Secrecy: no page here shows or logs a member's choice; after casting, the member sees only that they
voted, and the others' notes (counted, without names) as `advisory_notes_for` allows."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import VNDateField
from core.permissions import require
from councils.conflicts import (
    conflict_withdrawal_decide,
    current_declarations,
    may_decide_withdrawals,
    pending_withdrawals,
    session_withdrawal_requests,
)
from councils.models import AdvisoryNote, ConflictDeclaration, Membership, Session
from councils.selectors import (
    advisory_notes_of,
    agenda_candidates,
    agenda_candidates_chosen,
    ballot_progress,
    conflict_declaration_of,
    conflict_declarations_of,
    conflict_history_of,
    council_roles_of,
    councils_kept_by,
    dossiers_voted_by,
    field_visits_of,
    has_voted,
    is_present,
    membership_in,
    session_agenda_dossiers,
    session_members,
    session_memberships,
    session_present_ids,
    session_tallies,
    sessions_of,
)
from councils.services import (
    advisory_notes_for,
    advisory_notes_record,
    ballot_paper_cast,
    conflict_declare,
    conflicts_declare_none,
    quorum,
    session_agenda_add,
    session_attendance_record,
    session_schedule,
)
from dossiers.eligibility import craft_span, evaluate
from dossiers.facts import facts_from_dossier
from dossiers.models import Dossier
from dossiers.rulebook.selectors import rules_for_round
from dossiers.selectors import attachments_for_judging
from workflows.selectors import documents_of_session
from workflows.services import council_ballot_close, council_ballot_open

from .account_views import reauth_required
from .document_views import pdf_explanation
from .errors import form_errors_to_messages, refusal_to_messages
from .xlsx import NUMBER, Column, wants_xlsx, xlsx_response


def _session_or_404(request: HttpRequest, pk: int) -> Session:
    """A session of a council the user does not belong to answers 404."""
    return get_object_or_404(sessions_of(request.user), pk=pk)


class ScheduleForm(forms.Form):
    held_on = VNDateField(label=gettext_lazy("Date of the session"))
    starts_at = forms.TimeField(
        label=gettext_lazy("Start time"), required=False, input_formats=["%H:%M", "%Hh%M", "%H.%M"]
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=255)


def _run_form(request: HttpRequest, form: forms.Form, action, done: str):
    """Validate the form, run the service with its cleaned data and say the outcome: the service's result,
    or None once the form's or the service's errors are shown."""
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return None
    try:
        result = action(form.cleaned_data)
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
        return None
    messages.success(request, done)
    return result


def council_home(request: HttpRequest) -> HttpResponse:
    """My sessions, with my role in each; a secretary schedules a new session of their council here."""
    sessions = list(sessions_of(request.user))
    roles = council_roles_of(user=request.user)
    rows = [(s, Membership.Role(roles[s.council_id]).label) for s in sessions if s.council_id in roles]
    kept = list(councils_kept_by(user=request.user))
    return render(request, "councils/home.html", {"rows": rows, "kept": kept, "form": ScheduleForm()})


@require_POST
def session_schedule_view(request: HttpRequest, council_id: int) -> HttpResponse:
    council = get_object_or_404(councils_kept_by(user=request.user), pk=council_id)
    session = _run_form(
        request,
        ScheduleForm(request.POST),
        lambda data: session_schedule(council=council, by=request.user, **data),
        _("The session is scheduled; set its agenda and attendance."),
    )
    return redirect("council_session", pk=session.pk) if session else redirect("council_home")


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    if wants_xlsx(request):
        return _tally_xlsx(request, session)
    membership = membership_in(session, request.user)
    is_secretary = membership is not None and membership.role == Membership.Role.SECRETARY
    agenda = list(session_agenda_dossiers(session=session))
    voted = dossiers_voted_by(session=session, membership=membership)
    declarations = conflict_declarations_of(membership=membership, dossier_ids=[d.pk for d in agenda])
    rules = rules_for_round(session.council.round)
    rows = [
        {
            "dossier": d,
            "years": craft_span(d.craft_periods.all(), rules)[0],
            "works": len(d.works.all()),
            "awards": sum(len(w.awards.all()) for w in d.works.all()),
            "trainees": sum(t.count for t in d.trainee_records.all()),
            "voted": d.pk in voted,
            "declaration": declarations.get(d.pk),
        }
        for d in agenda
    ]
    members = session_members(session=session)
    present_ids = session_present_ids(session=session)
    context = {
        "session": session,
        "membership": membership,
        "is_secretary": is_secretary,
        "is_voter": membership is not None and membership.votes,
        "is_present": membership is not None and membership.pk in present_ids,
        "rows": rows,
        "members": members,
        "present_ids": present_ids,
        "quorum": quorum(session),
        "tallies": session_tallies(session=session),
        "documents": [
            {"document": doc, "pdf_note": pdf_explanation(doc)}
            for doc in documents_of_session(user=request.user, session=session)
        ],
        "candidates": agenda_candidates(session) if is_secretary and session.status == "planned" else [],
        "progress": (
            ballot_progress(session=session, present_ids=present_ids, agenda_size=len(agenda))
            if is_secretary and session.status == "ballot_open"
            else None
        ),
        "withdrawals": list(pending_withdrawals(session=session)) if is_secretary else [],
    }
    if request.htmx and request.GET.get("part") == "documents":
        return render(request, "councils/_documents.html", context)
    return render(request, "councils/session.html", context)


TALLY_COLUMNS = (
    Column(gettext_lazy("Code"), 12),
    Column(gettext_lazy("Artisan"), 28),
    Column(gettext_lazy("Agree"), 10, NUMBER),
    Column(gettext_lazy("Disagree"), 10, NUMBER),
    Column(gettext_lazy("Base"), 10, NUMBER),
    Column(gettext_lazy("Recused"), 10, NUMBER),
    Column(gettext_lazy("Result"), 14),
)


def _tally_xlsx(request: HttpRequest, session: Session) -> HttpResponse:
    """The session's tally as the page shows it, to whoever sees the page (the council's members and
    secretary); there is none to download until the ballot is closed (404)."""
    if session.status != Session.Status.BALLOT_CLOSED:
        raise Http404
    passed, not_passed = _("passed"), _("not passed")
    rows = (
        (
            t.dossier.code,
            t.dossier.artisan.full_name,
            t.agree,
            t.disagree,
            t.base,
            t.recused,
            passed if t.passed else not_passed,
        )
        for t in session_tallies(session=session).iterator(chunk_size=500)
    )
    return xlsx_response(
        request,
        stem=f"kiem-phieu-phien-{session.pk}",
        sheet_name=_("Tally"),
        columns=TALLY_COLUMNS,
        rows=rows,
        list_name="council_tally",
        filters={"session": session.pk},
    )


@require_POST
def session_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    ids = [int(i) for i in request.POST.getlist("dossier") if i.isdigit()]
    chosen = list(agenda_candidates_chosen(session=session, ids=ids))
    if not chosen:
        messages.error(request, _("Choose at least one dossier."))
        return redirect("council_session", pk=session.pk)
    try:
        session_agenda_add(session=session, dossiers=chosen, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("The agenda was updated."))
    return redirect("council_session", pk=session.pk)


@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    ids = [int(i) for i in request.POST.getlist("present") if i.isdigit()]
    present = session_memberships(session=session, ids=ids)
    try:
        session_attendance_record(session=session, present=present, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("The attendance was recorded."))
    return redirect("council_session", pk=session.pk)


@require_POST
def session_ballot_open(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the confirmation first."))
        return redirect("council_session", pk=session.pk)
    try:
        council_ballot_open(session=session, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("The secret ballot is open."))
    return redirect("council_session", pk=session.pk)


@require_POST
def session_ballot_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the confirmation first."))
        return redirect("council_session", pk=session.pk)
    try:
        council_ballot_close(
            session=session, by=request.user, request_id=request.headers.get("X-Request-ID", "")[:64]
        )
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("The ballot is closed and counted."))
    return redirect("council_session", pk=session.pk)


def _agenda_dossier_or_404(session: Session, dossier_id: int) -> Dossier:
    try:
        return session_agenda_dossiers(session=session).get(pk=dossier_id)
    except Dossier.DoesNotExist:
        raise Http404 from None


class ConflictForm(forms.Form):
    """The member's declaration. Never pre-set: the member chooses "no conflict" or "a conflict" each
    time (a radio with nothing checked)."""

    status = forms.ChoiceField(
        label=gettext_lazy("Declaration"),
        choices=ConflictDeclaration.Status.choices,
        widget=forms.RadioSelect,
    )
    relation = forms.ChoiceField(
        label=gettext_lazy("Relation (when you declare a conflict)"),
        choices=[("", "—"), *ConflictDeclaration.Relation.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for withdrawing a declared conflict"),
        help_text=gettext_lazy(
            "Only to withdraw a conflict you declared: the council's secretary must accept it, and until "
            "then you do not vote on this dossier."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("accept", gettext_lazy("Accept the withdrawal")), ("refuse", gettext_lazy("Refuse it"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)


def agenda_dossier(request: HttpRequest, pk: int, dossier_id: int) -> HttpResponse:
    """One dossier of the agenda, for a member: the evidence, the eligibility report, my declaration,
    my notes, and the others' notes once I have voted."""
    session = _session_or_404(request, pk)
    dossier = _agenda_dossier_or_404(session, dossier_id)
    membership = membership_in(session, request.user)
    report = evaluate(facts_from_dossier(dossier), rules_for_round(dossier.round))
    mine = advisory_notes_of(session=session, dossier=dossier, membership=membership)
    declaration = conflict_declaration_of(membership=membership, dossier=dossier)
    voted = has_voted(session=session, dossier=dossier, membership=membership)
    context = {
        "session": session,
        "dossier": dossier,
        "membership": membership,
        "is_voter": membership is not None and membership.votes,
        "report": report,
        "notes": [(c, mine.get(c.key)) for c in report.results],
        "note_choices": AdvisoryNote.Assessment.choices,
        "declaration": declaration,
        "conflict_history": conflict_history_of(membership=membership, dossier=dossier),
        "conflict_form": ConflictForm(),
        "voted": voted,
        "others": _others(session, dossier, request.user, report),
        "visits": field_visits_of(council=session.council, dossier=dossier),
        "files": attachments_for_judging(dossier=dossier),
    }
    return render(request, "councils/agenda_dossier.html", context)


def _others(session, dossier, user, report):
    """The other members' notes, counted per criterion and without names, once the user has voted."""
    summaries = advisory_notes_for(session=session, dossier=dossier, user=user)
    if summaries is None:
        return None
    vi = get_language() == "vi"
    labels = {c.key: (c.label_vi if vi else c.label_en) for c in report.results}
    return [(labels.get(s.criterion, s.criterion), s) for s in summaries]


@require_POST
def conflict_declare_view(request: HttpRequest, pk: int, dossier_id: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    dossier = _agenda_dossier_or_404(session, dossier_id)
    entry = _run_form(
        request,
        ConflictForm(request.POST),
        lambda data: conflict_declare(session=session, dossier=dossier, by=request.user, **data),
        _("Your declaration was recorded."),
    )
    if entry is not None and entry.kind == ConflictDeclaration.Kind.WITHDRAWAL_REQUEST:
        messages.info(
            request, _("Until the secretary accepts your withdrawal, you do not vote on this dossier.")
        )
    return redirect("council_agenda_dossier", pk=session.pk, dossier_id=dossier.pk)


@require_POST
def conflict_withdrawal_decide_view(request: HttpRequest, pk: int, withdrawal_id: int) -> HttpResponse:
    """The council's secretary accepts or refuses a member's request to withdraw a declared conflict."""
    session = _session_or_404(request, pk)
    withdrawal = get_object_or_404(session_withdrawal_requests(session=session), pk=withdrawal_id)
    require(may_decide_withdrawals(session=session, user=request.user))
    _run_form(
        request,
        WithdrawalDecisionForm(request.POST),
        lambda data: conflict_withdrawal_decide(
            withdrawal=withdrawal, accept=data["decision"] == "accept", note=data["note"], by=request.user
        ),
        _("Your decision on the withdrawal was recorded."),
    )
    return redirect("council_session", pk=session.pk)


@require_POST
def advisory_note_view(request: HttpRequest, pk: int, dossier_id: int) -> HttpResponse:
    """Every criterion's note of the dossier in one form and one save: nothing typed is lost."""
    session = _session_or_404(request, pk)
    dossier = _agenda_dossier_or_404(session, dossier_id)
    report = evaluate(facts_from_dossier(dossier), rules_for_round(dossier.round))
    notes = {
        c.key: (request.POST.get(f"assessment-{c.key}", ""), request.POST.get(f"text-{c.key}", "")[:2000])
        for c in report.results
        if f"assessment-{c.key}" in request.POST or f"text-{c.key}" in request.POST
    }
    try:
        n = advisory_notes_record(session=session, dossier=dossier, notes=notes, by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        refusal_to_messages(request, exc)
    else:
        messages.success(request, _("Your notes were recorded (%(n)d criteria).") % {"n": n})
    return redirect("council_agenda_dossier", pk=session.pk, dossier_id=dossier.pk)


@sensitive_post_parameters()  # the choices: an error report never shows them
@require_http_methods(["GET", "POST"])
@reauth_required(lambda request, pk: reverse("council_ballot", kwargs={"pk": pk}))
def ballot_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """One screen: every dossier of the agenda the member may still vote on, agree or disagree each, one
    confirmation. Afterwards the screen says the ballot was cast, never what was chosen."""
    session = _session_or_404(request, pk)
    membership = membership_in(session, request.user)
    if membership is None or not membership.votes:
        raise PermissionDenied(_("Only the council's voting members vote."))
    agenda = list(session_agenda_dossiers(session=session))
    voted = dossiers_voted_by(session=session, membership=membership)
    declarations = current_declarations(memberships=[membership], dossiers=agenda)
    recused = {d.pk for d in agenda if (c := declarations.get((membership.pk, d.pk))) and c.recuses}
    undeclared = {d.pk for d in agenda if (membership.pk, d.pk) not in declarations}
    to_vote = [d for d in agenda if d.pk not in voted and d.pk not in recused and d.pk not in undeclared]
    errors: list[str] = []
    if request.method == "POST" and request.POST.get("declare_none"):
        if not request.POST.get("no_conflict_confirm"):
            errors.append(_("Tick the declaration first."))
        else:
            try:
                n = conflicts_declare_none(
                    session=session, dossiers=[d for d in agenda if d.pk in undeclared], by=request.user
                )
            except (PermissionDenied, ValidationError) as exc:
                refusal_to_messages(request, exc)
            else:
                messages.success(request, _("No conflict of interest declared (%(n)d dossiers).") % {"n": n})
            return redirect("council_ballot", pk=session.pk)
    elif request.method == "POST":
        choices = {d.pk: request.POST.get(f"choice-{d.pk}", "") for d in to_vote}
        if not request.POST.get("confirm"):
            errors.append(_("Tick the confirmation: a ballot cannot be changed once cast."))
        if any(c not in ("agree", "disagree") for c in choices.values()):
            errors.append(_("Choose agree or disagree for every dossier."))
        if not to_vote:
            errors.append(_("There is nothing left for you to vote on."))
        if not errors:
            # the paper is cast whole or not at all: one refusal (a dossier changed meanwhile) says why
            try:
                cast = ballot_paper_cast(session=session, choices=choices, by=request.user)
            except (PermissionDenied, ValidationError) as exc:
                refusal_to_messages(request, exc)
            else:
                messages.success(request, _("Your secret ballot was cast (%(n)d dossiers).") % {"n": cast})
            return redirect("council_ballot", pk=session.pk)
    context = {
        "session": session,
        "to_vote": to_vote,
        "voted": [d for d in agenda if d.pk in voted],
        "recused": [d for d in agenda if d.pk in recused and d.pk not in voted],
        "undeclared": [d for d in agenda if d.pk in undeclared and d.pk not in voted],
        "is_present": is_present(session=session, membership=membership),
        "errors": errors,
    }
    return render(request, "councils/ballot.html", context)
