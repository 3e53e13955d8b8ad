"""The secret ballot through the web: one POST per ballot (dossier, choice), handed to
councils.services.ballot_cast, which checks the member, the session's status (under its row lock), the
agenda and conflicts of interest, and refuses a second ballot. Used by the council pages and by
`make bench`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from councils.selectors import sessions_of
from councils.services import ballot_cast
from dossiers.selectors import dossier_by_id

from .account_views import reauth_required
from .errors import plain_text, refusal_as_text


@sensitive_post_parameters("choice")  # an error report never shows the choice
@require_POST
@reauth_required(lambda request, session_id: reverse("council_ballot", kwargs={"pk": session_id}))
def ballot_cast_view(request: HttpRequest, session_id: int) -> HttpResponse:
    """A recorded ballot redirects to the inbox (one ballot fewer there); a refusal answers 400 (bad or
    repeated ballot, closed session) or 403 (not a voting member present) with the reason as text."""
    # Only the sessions of the user's councils exist for them: anyone else gets the 404 of a missing id.
    session = get_object_or_404(sessions_of(request.user), pk=session_id)
    try:
        dossier_id = int(request.POST.get("dossier", ""))
    except ValueError:
        return plain_text(_("Choose a dossier on the session's agenda."), 400)
    dossier = dossier_by_id(pk=dossier_id)
    if dossier is None:
        raise Http404
    try:
        ballot_cast(session=session, dossier=dossier, choice=request.POST.get("choice", ""), by=request.user)
    except (PermissionDenied, ValidationError) as exc:
        return refusal_as_text(exc, default=_("You may not vote in this session."))
    messages.success(request, _("Your ballot was recorded."))
    return redirect("task_inbox")
