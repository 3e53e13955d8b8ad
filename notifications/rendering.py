"""The text of a notification in the recipient's language, from the templates in
notifications/templates/notifications/messages/ (first line: the subject; the rest: the body). Dates
dd/mm/yyyy, times in Asia/Ho_Chi_Minh. A dossier is named by its code and its artisan, a document by its
kind's name. The stored text has no footer: e-mail adds it (`render_footer`), the feed shows none. Only
what the event row holds is shown: never a CCCD number, an ethnicity or a vote. The artisan's and the
council's names are those notify() kept in the event's data (`artisan_name`, `dossier_code`,
`council_name`)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from dossiers.models import DossierState

from .models import EventRecord


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _context(event: EventRecord) -> dict:
    data = event.data or {}
    context = {"event": event, "data": data, "dossier": event.dossier, "session": event.session}
    for name in ("from_state", "to_state"):
        if data.get(name):
            context[name] = DossierState(data[name]).label
    for name in ("role", "escalated_to"):
        if data.get(name):
            context[name] = Role(data[name]).label
    for name in ("due", "closes_on", "last_day"):
        if data.get(name):
            context[name] = date.fromisoformat(data[name])
    if data.get("kind"):
        context["kind"] = _kind_label(data["kind"])
    if event.dossier is not None:
        context["link"] = site_url(reverse("dossier_detail", args=[event.dossier_id]))
        # kept in the event by notify(); an event recorded before that reads the dossier
        context["artisan"] = data.get("artisan_name") or event.dossier.artisan.full_name
        context["code"] = data.get("dossier_code") or event.dossier.code or str(event.dossier_id)
        # the subject names the dossier by its code and the artisan, so that a list of subjects reads alone
        context["headline"] = (
            f"{context['code']} ({context['artisan']})" if context["artisan"] else context["code"]
        )
    if event.session is not None:
        context["council"] = data.get("council_name") or event.session.council.name
    context["notifications_link"] = site_url(reverse("notification_list"))
    return context


def _kind_label(kind: str) -> str:
    """A document kind as its reader knows it ("Form 04: list of persons proposed"), never its code."""
    from documents.kinds import Kind

    try:
        return str(Kind(kind).label)
    except ValueError:
        return kind


def render_footer(event: EventRecord, *, language: str) -> str:
    """The e-mail's footer: the links and why the message came. The application's own list shows the
    message without it."""
    with translation.override(language):
        return _tidy(render_to_string("notifications/messages/_footer.txt", _context(event)))


def render_event(event: EventRecord, *, language: str) -> tuple[str, str]:
    with translation.override(language):
        text = render_to_string(f"notifications/messages/{event.type}.txt", _context(event)).strip()
    subject, _sep, body = text.partition("\n")
    return " ".join(subject.split()), _tidy(body)


def texts_of(event: EventRecord) -> dict[str, list[str]]:
    """The event's subject and body in every language of the site, as EventRecord.texts stores them."""
    return {code: list(render_event(event, language=code)) for code, _name in settings.LANGUAGES}


def event_text(event: EventRecord, *, language: str) -> tuple[str, str]:
    """The stored text in `language`, or the text rendered now (an event not dispatched yet)."""
    stored = (event.texts or {}).get(language)
    if stored:
        return stored[0], stored[1]
    return render_event(event, language=language)


def render_digest(day: date, events: list[EventRecord], *, language: str) -> tuple[str, str]:
    with translation.override(language):
        items = [(render_event(e, language=language)[0], _context(e).get("link", "")) for e in events]
        text = render_to_string(
            "notifications/messages/digest.txt",
            {"day": day, "items": items, "notifications_link": site_url(reverse("notification_list"))},
        ).strip()
    subject, _sep, body = text.partition("\n")
    return " ".join(subject.split()), _tidy(body)


def _tidy(body: str) -> str:
    lines = [line.rstrip() for line in body.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
