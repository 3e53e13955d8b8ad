"""Who is told of each event type (eager mode): resolved from roles and scopes, only what they may see,
and never an officer of another province."""

import pytest

from notifications.events import Event, EventType
from notifications.models import EventRecord, Notification
from notifications.services import notify
from tests.councils.conftest import declare_no_conflict
from tests.notifications.conftest import person

pytestmark = pytest.mark.django_db


def told(event, capture):
    with capture(execute=True):
        record = notify(event)
    return {n.recipient for n in Notification.objects.filter(event=record).select_related("recipient")}


def test_state_change_tells_the_provinces_officers_not_the_actor_nor_another_province(
    people, dossier, django_capture_on_commit_callbacks
):
    recipients = told(
        Event(
            EventType.DOSSIER_STATE_CHANGED,
            dossier_id=dossier.pk,
            actor_id=people.officer.pk,
            data={"from_state": "draft", "to_state": "submitted"},
        ),
        django_capture_on_commit_callbacks,
    )
    assert recipients == {people.officer_en}
    assert people.other_officer not in recipients


def test_state_change_at_the_ministry_tells_the_clerks_too(
    people, dossier, django_capture_on_commit_callbacks
):
    recipients = told(
        Event(
            EventType.DOSSIER_STATE_CHANGED,
            dossier_id=dossier.pk,
            data={"from_state": "provincial_posted", "to_state": "forwarded"},
        ),
        django_capture_on_commit_callbacks,
    )
    assert recipients == {people.officer, people.officer_en, people.clerk}


@pytest.mark.parametrize(
    ("event_type", "extra"),
    [(EventType.TASK_ASSIGNED, {}), (EventType.DEADLINE_APPROACHING, {"due": "2025-09-30"})],
)
def test_task_and_reminder_tell_the_role_in_scope(
    people, dossier, event_type, extra, django_capture_on_commit_callbacks
):
    data = {"role": "provincial_officer", "to_state": "submitted", **extra}
    recipients = told(Event(event_type, dossier_id=dossier.pk, data=data), django_capture_on_commit_callbacks)
    assert recipients == {people.officer, people.officer_en}


def test_deadline_passed_tells_the_role_above_and_the_late_role(
    people, dossier, django_capture_on_commit_callbacks
):
    data = {
        "role": "provincial_officer",
        "escalated_to": "ministry_clerk",
        "to_state": "submitted",
        "due": "2025-09-30",
    }
    recipients = told(
        Event(EventType.DEADLINE_PASSED, dossier_id=dossier.pk, data=data), django_capture_on_commit_callbacks
    )
    assert recipients == {people.officer, people.officer_en, people.clerk}


def test_ballot_opened_tells_the_present_voting_members_only(
    people, council_session, django_capture_on_commit_callbacks
):
    session, voters, secretary, _items = council_session
    session.present.set(voters[:3])
    recipients = told(
        Event(EventType.BALLOT_OPENED, session_id=session.pk, actor_id=secretary.user_id),
        django_capture_on_commit_callbacks,
    )
    assert recipients == {m.user for m in voters[:3]}


def test_session_tomorrow_tells_every_member_and_the_secretary(
    people, council_session, django_capture_on_commit_callbacks
):
    session, voters, secretary, _items = council_session
    recipients = told(
        Event(EventType.SESSION_TOMORROW, session_id=session.pk), django_capture_on_commit_callbacks
    )
    assert recipients == {m.user for m in voters} | {secretary.user}
    assert people.outsider not in recipients and people.officer not in recipients


def test_ballot_closing_tells_only_who_has_not_voted_from_participation(
    people, council_session, django_capture_on_commit_callbacks
):
    from councils.models import Session
    from councils.services import ballot_cast, ballot_open

    session, voters, secretary, items = council_session
    with django_capture_on_commit_callbacks(execute=True):
        ballot_open(session=session, by=secretary.user)
    session = Session.objects.get(pk=session.pk)
    declare_no_conflict(session, items, voters[:1])
    declare_no_conflict(session, items[:1], voters[1:2])
    for d in items:  # voter 0 voted on everything, voter 1 on one dossier, the others on none
        ballot_cast(session=session, dossier=d, choice="agree", by=voters[0].user)
    ballot_cast(session=session, dossier=items[0], choice="disagree", by=voters[1].user)
    recipients = told(
        Event(EventType.BALLOT_CLOSING, session_id=session.pk), django_capture_on_commit_callbacks
    )
    assert recipients == {m.user for m in voters[1:]}


def test_posting_on_the_government_portal_tells_officers_and_clerks(
    people, dossier, django_capture_on_commit_callbacks
):
    data = {"posting": "gov_portal", "last_day": "2025-12-20"}
    started = told(
        Event(EventType.POSTING_STARTED, dossier_id=dossier.pk, data=data), django_capture_on_commit_callbacks
    )
    ended = told(
        Event(EventType.POSTING_ENDED, dossier_id=dossier.pk, data=data), django_capture_on_commit_callbacks
    )
    assert started == {people.officer, people.officer_en, people.clerk}
    assert ended == {people.clerk}


def test_provincial_posting_end_tells_the_officers(people, dossier, django_capture_on_commit_callbacks):
    data = {"posting": "provincial", "last_day": "2025-12-20"}
    ended = told(
        Event(EventType.POSTING_ENDED, dossier_id=dossier.pk, data=data), django_capture_on_commit_callbacks
    )
    assert ended == {people.officer, people.officer_en}


def test_comment_and_complaint(people, dossier, django_capture_on_commit_callbacks):
    comment = told(
        Event(EventType.COMMENT_RECEIVED, dossier_id=dossier.pk, data={"comment_id": 1}),
        django_capture_on_commit_callbacks,
    )
    complaint = told(
        Event(EventType.COMPLAINT_RECEIVED, dossier_id=dossier.pk, actor_id=people.clerk.pk, data={}),
        django_capture_on_commit_callbacks,
    )
    assert comment == {people.officer, people.officer_en, people.clerk}
    assert complaint == {people.officer, people.officer_en, people.leader}


def test_document_ready_and_failed(people, dossier, django_capture_on_commit_callbacks):
    from notifications.receivers import on_document_status_changed

    with django_capture_on_commit_callbacks(execute=True):
        on_document_status_changed(
            None,
            document_id=7,
            dossier_id=dossier.pk,
            kind="decision",
            status="done",
            error="",
            requested_by_id=people.officer.pk,
        )
        on_document_status_changed(
            None,
            document_id=8,
            dossier_id=dossier.pk,
            kind="minutes",
            status="failed",
            error="template missing",
            requested_by_id=people.officer.pk,
        )
        on_document_status_changed(
            None,
            document_id=9,
            dossier_id=None,
            kind="list",
            status="done",
            error="",
            requested_by_id=people.clerk.pk,
        )
        on_document_status_changed(
            None,
            document_id=10,
            dossier_id=dossier.pk,
            kind="decision",
            status="done",
            error="",
            requested_by_id=people.other_officer.pk,
        )
    ready, failed, no_dossier = (
        EventRecord.objects.get(key=f"document:{i}:{s}") for i, s in ((7, "done"), (8, "failed"), (9, "done"))
    )
    assert ready.type == EventType.DOCUMENT_READY and failed.type == EventType.DOCUMENT_FAILED

    def users(record):
        return {n.recipient for n in record.notifications.all()}

    # the requester is told, and only while they may see the dossier; a failure reaches the administrators
    assert users(ready) == {people.officer}
    assert users(failed) == {people.officer, people.admin}
    assert users(no_dossier) == {people.clerk}
    assert users(EventRecord.objects.get(key="document:10:done")) == set()
    assert failed.data["error"] == "template missing"


def test_another_provinces_officer_receives_nothing_of_any_event(
    people, dossier, council_session, django_capture_on_commit_callbacks
):
    session = council_session[0]
    with django_capture_on_commit_callbacks(execute=True):
        for t in EventType:
            data = {
                "role": "provincial_officer",
                "escalated_to": "ministry_clerk",
                "to_state": "forwarded",
                "from_state": "provincial_posted",
                "due": "2025-09-30",
                "posting": "provincial",
                "kind": "x",
                "last_day": "2025-09-30",
            }
            notify(Event(t, dossier_id=dossier.pk, session_id=session.pk, data=data))
    assert Notification.objects.filter(recipient=people.other_officer).count() == 0
    assert Notification.objects.count() > 0


def test_a_council_member_sees_only_dossiers_on_their_agenda(
    people, council_session, django_capture_on_commit_callbacks
):
    """A council member is told of a dossier only when it is on their session's agenda (their scope)."""
    from tests import factories as f

    _session, voters, _secretary, items = council_session
    elsewhere = f.dossier("01")
    member = voters[0].user
    # a member is not in the recipients of dossier events in general; the scope filter keeps it so
    from notifications.recipients import _visible

    assert _visible([member], items[0], EventType.DOCUMENT_READY) == [member]
    assert _visible([member], elsewhere, EventType.DOCUMENT_READY) == []


def test_inactive_users_are_not_told(people, dossier, django_capture_on_commit_callbacks):
    people.officer_en.is_active = False
    people.officer_en.save()
    late = person("provincial_officer", people.officer.agency)
    recipients = told(
        Event(
            EventType.TASK_ASSIGNED,
            dossier_id=dossier.pk,
            data={"role": "provincial_officer", "to_state": "submitted"},
        ),
        django_capture_on_commit_callbacks,
    )
    assert recipients == {people.officer, late}
