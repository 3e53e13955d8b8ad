"""Every service tells through notify(): a transition, the task it opens, a posting, a ballot opened, a
public comment, a complaint. After the commit only, and without a request."""

from datetime import date

import pytest
from django.core import mail

from councils.public import comment_submit
from dossiers.models import DossierState
from notifications.events import EventType
from notifications.models import EventRecord, Notification
from tests import factories as f
from tests.workflows.conftest import complete_eligible_dossier, set_state
from workflows import services as wf

pytestmark = pytest.mark.django_db


def types_of(dossier):
    return [e.type for e in EventRecord.objects.filter(dossier=dossier).order_by("pk")]


def test_a_transition_records_its_event_and_the_new_task_with_it_and_tells_after_commit(
    people, django_capture_on_commit_callbacks
):
    dossier, officer = complete_eligible_dossier("01")
    with django_capture_on_commit_callbacks(execute=True):
        wf.dossier_transition(name="submit", dossier=dossier, by=officer)
        # written in the step's transaction; nobody is told before the commit
        assert types_of(dossier) == [EventType.DOSSIER_STATE_CHANGED, EventType.TASK_ASSIGNED]
        assert not Notification.objects.exists() and not mail.outbox
    # and the declaration that the step asked for, once it is built (see docs/documents.md)
    assert types_of(dossier) == [
        EventType.DOSSIER_STATE_CHANGED,
        EventType.TASK_ASSIGNED,
        EventType.DOCUMENT_READY,
    ]
    changed, task, _declaration = EventRecord.objects.filter(dossier=dossier).order_by("pk")
    assert changed.data["to_state"] == "submitted" and changed.actor == officer
    assert task.data["role"] == "provincial_officer" and task.data["due"] == "2025-09-30"
    assert {n.recipient for n in Notification.objects.filter(event=changed)} == {
        people.officer,
        people.officer_en,
    }
    assert officer in {n.recipient for n in Notification.objects.filter(event=task)}
    vi = next(m for m in mail.outbox if m.to == [people.officer.email] and "Việc mới" in m.subject)
    assert "Hạn cuối: ngày 30/09/2025." in vi.body


def test_a_batch_step_tells_about_each_dossier(people, django_capture_on_commit_callbacks):
    dossiers = [complete_eligible_dossier("01") for _ in range(3)]
    officer = dossiers[0][1]
    with django_capture_on_commit_callbacks(execute=True):
        result = wf.dossiers_transition_batch(dossiers=[d for d, _o in dossiers], name="submit", by=officer)
    assert len(result.done) == 3
    for d, _o in dossiers:
        assert types_of(d) == [
            EventType.DOSSIER_STATE_CHANGED,
            EventType.TASK_ASSIGNED,
            EventType.DOCUMENT_READY,
        ]


def test_posting_on_the_government_portal_starts_the_period(people, django_capture_on_commit_callbacks):
    dossier = set_state(f.dossier("01"), DossierState.MINISTERIAL_PASSED)
    with django_capture_on_commit_callbacks(execute=True):
        wf.dossier_transition(
            name="post_on_government_portal", dossier=dossier, by=people.clerk, on=date(2025, 11, 1)
        )
    posting = EventRecord.objects.get(dossier=dossier, type=EventType.POSTING_STARTED)
    assert posting.data["posting"] == "gov_portal" and posting.data["last_day"] == "2025-11-20"
    assert {n.recipient for n in posting.notifications.all()} == {
        people.officer,
        people.officer_en,
        people.clerk,
    }


def test_public_comment_then_complaint(people, django_capture_on_commit_callbacks):
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_submit(
            dossier_id=dossier.pk,
            full_name="Trần Thị Bình",
            phone="0912 345 678",
            address="12 Hàng Bạc, Hà Nội",
            text="Ý kiến về số người học nghề",
            client="198.51.100.7",
        )
    received = EventRecord.objects.get(dossier=dossier, type=EventType.COMMENT_RECEIVED)
    # the comment's id and the names the text shows (the artisan's, the dossier's code), never the
    # commenter's identity
    assert received.data == {
        "comment_id": comment.pk,
        "artisan_name": dossier.artisan.full_name,
        "dossier_code": dossier.code,
    }
    assert {n.recipient for n in received.notifications.all()} == {
        people.officer,
        people.officer_en,
        people.clerk,
    }
    for m in mail.outbox:  # the commenter's identity stays in the comment
        assert "0912 345 678" not in m.body and "Hàng Bạc" not in m.body and "Trần Thị Bình" not in m.body

    with django_capture_on_commit_callbacks(execute=True):
        wf.public_comment_to_complaint(comment=comment, by=people.clerk, note="Cần xác minh")
    complaint = EventRecord.objects.get(dossier=dossier, type=EventType.COMPLAINT_RECEIVED)
    assert {n.recipient for n in complaint.notifications.all()} == {
        people.officer,
        people.officer_en,
        people.leader,
    }
    assert EventRecord.objects.filter(dossier=dossier, type=EventType.DOSSIER_STATE_CHANGED).get().data[
        "to_state"
    ] == ("on_hold")


def test_opening_the_ballot_tells_the_present_members_after_commit(
    people, council_session, django_capture_on_commit_callbacks
):
    from councils.services import ballot_open

    session, voters, secretary, _items = council_session
    with django_capture_on_commit_callbacks(execute=True):
        ballot_open(session=session, by=secretary.user)
    opened = EventRecord.objects.get(session=session, type=EventType.BALLOT_OPENED)
    assert {n.recipient for n in opened.notifications.all()} == {m.user for m in voters}
    assert all("Bắt đầu bỏ phiếu kín" in m.subject for m in mail.outbox if m.to[0] == voters[0].user.email)


def test_a_refused_ballot_opening_records_no_event(
    people, council_session, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from councils.services import ballot_open

    session, _voters, secretary, _items = council_session
    session.present.clear()  # no quorum
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        ballot_open(session=session, by=secretary.user)
    assert not EventRecord.objects.exists()
