"""Reminders and escalation, run by beat (`notifications.reminder_sweep`, see CELERY_BEAT_SCHEDULE): no
request, and each reminder once (its event key), however often the sweep runs.

This app's own reminders are about councils: a session the next day, a secret ballot closing within
NOTIFICATIONS_BALLOT_REMINDER_HOURS for the members who have not cast every ballot. The dossier deadlines
(the rulebook's written reply, supplement window and posting periods, with their escalation) are known
to the procedure above this app, which registers them as a source (workflows.reminders).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from councils.models import Session

from .events import Event, EventType
from .services import notify

# A source looks at the clock and calls notify() for what is due; it returns how many events it recorded.
ReminderSource = Callable[[datetime], int]
_sources: list[ReminderSource] = []


def register_reminder_source(source: ReminderSource) -> None:
    if source not in _sources:
        _sources.append(source)


def reminders_run(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(source(now) for source in [session_reminders, ballot_reminders, *_sources])


def session_reminders(now: datetime) -> int:
    """The day before a planned session (Vietnam time), its council's members and secretary are told."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    count = 0
    for session in Session.objects.filter(status=Session.Status.PLANNED, held_on=tomorrow):
        count += bool(
            notify(
                Event(
                    EventType.SESSION_TOMORROW,
                    session_id=session.pk,
                    key=f"session_tomorrow:{session.pk}:{session.held_on.isoformat()}",
                )
            )
        )
    return count


def ballot_reminders(now: datetime) -> int:
    """Within NOTIFICATIONS_BALLOT_REMINDER_HOURS of an open ballot's closing time, the present voting
    members who have not cast every ballot are told (from BallotParticipation, never Ballot)."""
    lead = timedelta(hours=settings.NOTIFICATIONS_BALLOT_REMINDER_HOURS)
    count = 0
    for session in Session.objects.filter(
        status=Session.Status.BALLOT_OPEN,
        ballot_closes_at__isnull=False,
        ballot_closes_at__gt=now,
        ballot_closes_at__lte=now + lead,
    ):
        count += bool(
            notify(
                Event(
                    EventType.BALLOT_CLOSING,
                    session_id=session.pk,
                    key=f"ballot_closing:{session.pk}:{session.ballot_closes_at.isoformat()}",
                )
            )
        )
    return count
