"""The signals of the apps below this one, each turned into one call of notify(). Connected in
NotificationsConfig.ready (councils); `on_document_status_changed` is for documents.events
.document_status_changed (kwargs document_id, dossier_id, kind, status "done"/"failed", error)."""

from __future__ import annotations

from .events import Event, EventType
from .services import notify


def on_ballot_opened(sender, *, session_id: int, actor_id: int | None = None, **kwargs) -> None:
    notify(Event(EventType.BALLOT_OPENED, session_id=session_id, actor_id=actor_id))


def on_public_comment_received(sender, *, comment_id: int, dossier_id: int, **kwargs) -> None:
    # The comment's author, phone and address stay in the comment: the event names only the comment.
    notify(Event(EventType.COMMENT_RECEIVED, dossier_id=dossier_id, data={"comment_id": comment_id}))


def on_document_status_changed(
    sender,
    *,
    document_id: int,
    dossier_id: int | None = None,
    kind: str = "",
    status: str,
    error: str = "",
    requested_by_id: int | None = None,
    **kwargs,
) -> None:
    failed = status == "failed"
    data = {"document_id": document_id, "kind": kind, "status": status}
    if failed:
        data["error"] = (error or "")[:500]
    notify(
        Event(
            EventType.DOCUMENT_FAILED if failed else EventType.DOCUMENT_READY,
            dossier_id=dossier_id,
            actor_id=requested_by_id,
            key=f"document:{document_id}:{status}",
            data=data,
        )
    )
