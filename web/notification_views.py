"""The user's notifications (list, unread count, mark read) and how they want each kind. Thin: every read
through notifications.selectors, every write through notifications.services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.events import EventType
from notifications.models import Preference
from notifications.rendering import event_text
from notifications.selectors import (
    events_to_render,
    notification_of,
    notifications_listed_for,
    preferences_of,
    unread_count,
)
from notifications.services import notification_mark_read, notifications_mark_all_read, preferences_set

from .document_views import page_size


def notification_list(request: HttpRequest) -> HttpResponse:
    # The rows need only their event's stored text; the few events not dispatched yet (no text yet) are
    # read again with what rendering them needs, in one more query.
    rows = notifications_listed_for(user=request.user)
    page = Paginator(rows, page_size()).get_page(request.GET.get("page"))
    language = (get_language() or "vi")[:2]
    untold = [n.event_id for n in page if language not in (n.event.texts or {})]
    if untold:
        events = events_to_render(ids=untold)
        for n in page:
            n.event = events.get(n.event_id, n.event)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "groups": _grouped(page, language), "unread": unread_count(request.user)},
    )


def _grouped(page, language: str) -> list[dict]:
    """The page's notifications grouped by dossier, newest first: one entry per dossier with its newest
    message shown and the earlier ones folded under it, so that one dossier's steps read as one item."""
    groups: dict[object, dict] = {}
    for n in page:
        subject, body = event_text(n.event, language=language)
        item = {"notification": n, "subject": subject, "body": body}
        key = n.event.dossier_id or ("notification", n.pk)
        group = groups.get(key)
        if group is None:
            groups[key] = {"first": item, "rest": [], "unread": 0 if n.read_at else 1}
        else:
            group["rest"].append(item)
            group["unread"] += 0 if n.read_at else 1
    return list(groups.values())


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_of(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    notification_mark_read(notification=notification, by=request.user)
    return redirect("notification_list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(by=request.user)
    return redirect("notification_list")


def notification_preferences(request: HttpRequest) -> HttpResponse:
    current = preferences_of(request.user)
    if request.method == "POST":
        modes = {}
        for event_type in EventType:
            value = request.POST.get(event_type.value, current[event_type.value])
            if value not in Preference.Mode.values:
                value = current[event_type.value]
            modes[event_type.value] = value
        preferences_set(user=request.user, modes=modes)
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect("notification_preferences")
    rows = [{"type": t, "mode": current[t.value]} for t in EventType]
    return render(request, "notifications/preferences.html", {"rows": rows, "modes": Preference.Mode.choices})
