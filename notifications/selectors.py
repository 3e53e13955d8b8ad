"""Reads: a user's own notifications (never anyone else's), the unread count, the preferences."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .events import EventType
from .models import EventRecord, Notification, Preference


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related(
        "event__dossier__artisan", "event__session__council"
    )


def unread_count(user) -> int:
    """The user's unread messages."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_items(user) -> int:
    """The items of the user's list that hold unread news, as the list groups them: one per dossier with
    any unread message, one per unread message about no dossier (one dossier's steps are one item, not a
    count of every step). One query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    counts = Notification.objects.filter(recipient=user, read_at__isnull=True).aggregate(
        dossiers=Count("event__dossier_id", distinct=True),
        others=Count("pk", filter=Q(event__dossier_id__isnull=True)),
    )
    return counts["dossiers"] + counts["others"]


def preferences_of(user) -> dict[str, str]:
    """Every event type with the user's mode (the event's default when not chosen)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("event_type", "mode"))
    return {t.value: chosen.get(t.value, Preference.default_for(t.value)) for t in EventType}


def dossier_feed(dossier_id: int) -> QuerySet[EventRecord]:
    """The activity feed of a dossier: every event about it, newest first."""
    return EventRecord.objects.filter(dossier_id=dossier_id)


def notification_of(*, user, pk: int) -> Notification | None:
    """One of the user's own notifications, or None (someone else's is never found)."""
    return notifications_of(user).filter(pk=pk).first()


def notifications_listed_for(*, user) -> QuerySet[Notification]:
    """The user's notifications for the list page: each with only its event, whose stored text is what
    the page shows (events_to_render loads the few not dispatched yet)."""
    return notifications_of(user).select_related(None).select_related("event")


def events_to_render(*, ids: list[int]) -> dict[int, EventRecord]:
    """These events with what rendering their text needs (their dossier's artisan, their session's
    council), by id: one query."""
    from dossiers.models import sealed_fields

    return (
        EventRecord.objects.select_related("dossier__artisan", "session__council")
        .defer(*sealed_fields("dossier__artisan"))
        .in_bulk(ids)
    )


def dossier_activity(*, dossier_id: int, limit: int = 50) -> QuerySet[EventRecord]:
    """The newest events of a dossier's feed with who caused them (the dossier page)."""
    return dossier_feed(dossier_id).select_related("actor")[:limit]
