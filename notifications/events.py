"""Every kind of notification, in one place: what happened, and who is told (notifications.recipients).

    notify(Event(EventType.BALLOT_OPENED, session_id=s.pk, actor_id=by.pk))

- dossier_state_changed (workflows, every transition): the officers of the dossier's province; the
  ministry's clerks once the dossier is at the ministry; never the actor.
- task_assigned (workflows, a state that waits on someone): the holders of the task's role in scope.
- deadline_approaching (reminder sweep, before the task's last day): the holders of the task's role.
- deadline_passed (reminder sweep, after the last day): the role above (escalation) and the role that
  missed it.
- ballot_opened (councils): the voting members present at the session.
- ballot_closing (reminder sweep, before the ballot closes): the present voting members who have not
  cast every ballot.
- session_tomorrow (reminder sweep, the day before): every member and the secretary of the council.
- posting_started (workflows, a result posted): the province's officers; the ministry's clerks too for
  the Government portal.
- posting_ended (reminder sweep): who acts next: the officers (provincial), the clerks (Government portal).
- comment_received (councils, public comment form): the province's officers and the ministry's clerks.
- complaint_received (workflows, a comment handled as a complaint): the province's officers, the
  ministry's clerks and leaders.
- document_ready / document_failed (documents): the officers of the dossier's province and the
  ministry's clerks; for a failure also the system administrators.

Recipients are always filtered by what they may see (dossiers.permissions.can_view_dossier, decided for
all of an event's recipients at once by users_who_may_view_dossier).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    DOSSIER_STATE_CHANGED = "dossier_state_changed", _("A dossier changed state")
    TASK_ASSIGNED = "task_assigned", _("A task was assigned")
    DEADLINE_APPROACHING = "deadline_approaching", _("A deadline is approaching")
    DEADLINE_PASSED = "deadline_passed", _("A deadline has passed")
    BALLOT_OPENED = "ballot_opened", _("A secret ballot was opened")
    BALLOT_CLOSING = "ballot_closing", _("A secret ballot is closing")
    SESSION_TOMORROW = "session_tomorrow", _("A council session is tomorrow")
    POSTING_STARTED = "posting_started", _("A posting period started")
    POSTING_ENDED = "posting_ended", _("A posting period ended")
    COMMENT_RECEIVED = "comment_received", _("A public comment was received")
    COMPLAINT_RECEIVED = "complaint_received", _("A complaint was received")
    DOCUMENT_READY = "document_ready", _("A document is ready")
    DOCUMENT_FAILED = "document_failed", _("A document could not be produced")


@dataclass(frozen=True)
class Event:
    """What notify() receives: plain identifiers and values, never a request or a model instance.

    `key` makes an event happen once (a reminder for one deadline); None for ordinary events.
    `data` holds only what the message shows (states, role, dates as ISO strings); never personal data
    beyond the names the text shows, which notify() adds itself (`artisan_name`, `council_name`).
    """

    type: EventType
    dossier_id: int | None = None
    session_id: int | None = None
    actor_id: int | None = None
    key: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
