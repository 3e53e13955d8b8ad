"""Reads: a user's own notifications (never anyone else's), the unread count, the preferences."""

from __future__ import annotations

from django.db.models import QuerySet

from .events import EventType
from .models import EventRecord, Notification, Preference


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related(
        "event__dossier__artisan", "event__session__council"
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_of(user) -> dict[str, str]:
    """Every event type with the user's mode (immediately when not chosen)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("event_type", "mode"))
    return {t.value: chosen.get(t.value, Preference.Mode.IMMEDIATE) for t in EventType}


def dossier_feed(dossier_id: int) -> QuerySet[EventRecord]:
    """The activity feed of a dossier: every event about it, newest first."""
    return EventRecord.objects.filter(dossier_id=dossier_id)
