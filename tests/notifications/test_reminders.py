"""Reminders and escalation with a frozen clock: each reminder once, at its time, from the rulebook's
periods, and the role above told after the deadline. The sweep runs as beat runs it, with no request."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from councils.models import Session
from councils.services import ballot_cast, ballot_open
from dossiers.models import DossierState
from dossiers.rulebook.selectors import rules_for_round
from notifications.events import EventType
from notifications.models import EventRecord, Notification
from notifications.tasks import reminder_sweep
from tests.councils.conftest import declare_no_conflict
from tests.workflows.conftest import complete_eligible_dossier, set_state
from workflows import services as wf

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 8, minute: int = 0):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN), tick=False)


def sweep(day: date, hour: int = 8, minute: int = 0, *, capture) -> list[EventRecord]:
    before = set(EventRecord.objects.values_list("pk", flat=True))
    with at(day, hour, minute), capture(execute=True):
        reminder_sweep.delay()
    return list(EventRecord.objects.exclude(pk__in=before).order_by("pk"))


def told(record):
    return {n.recipient for n in Notification.objects.filter(event=record)}


def test_written_reply_reminder_once_then_escalation_after_the_deadline(
    people, django_capture_on_commit_callbacks
):
    dossier, officer = complete_eligible_dossier("01")
    with at(date(2025, 9, 21)), django_capture_on_commit_callbacks(execute=True):
        wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    rules = rules_for_round(dossier.round)
    last_day = dossier.received_on + timedelta(days=rules.value("intake.check_days"))  # 30/09/2025
    reminder_day = last_day - timedelta(days=2)  # NOTIFICATIONS_DEADLINE_REMINDER_DAYS

    assert sweep(reminder_day - timedelta(days=1), 23, 59, capture=django_capture_on_commit_callbacks) == []
    [reminder] = sweep(reminder_day, 0, 1, capture=django_capture_on_commit_callbacks)
    assert reminder.type == EventType.DEADLINE_APPROACHING
    assert reminder.data["deadline"] == "reply" and reminder.data["due"] == last_day.isoformat()
    assert told(reminder) == {people.officer, people.officer_en, officer}
    assert people.other_officer not in told(reminder)
    # the sweep runs every five minutes: nothing more until the deadline passes
    assert sweep(reminder_day, 9, capture=django_capture_on_commit_callbacks) == []
    assert sweep(last_day, 23, 59, capture=django_capture_on_commit_callbacks) == []

    [escalation] = sweep(last_day + timedelta(days=1), 0, 1, capture=django_capture_on_commit_callbacks)
    assert escalation.type == EventType.DEADLINE_PASSED
    assert escalation.data["escalated_to"] == "ministry_clerk"
    assert people.clerk in told(escalation) and people.officer in told(escalation)
    assert people.leader not in told(escalation) and people.other_officer not in told(escalation)
    assert sweep(last_day + timedelta(days=3), capture=django_capture_on_commit_callbacks) == []

    en = Notification.objects.get(event=escalation, recipient=people.officer_en)
    from notifications.rendering import render_event

    _subject, body = render_event(en.event, language="en")
    assert f"The last day ({last_day:%d/%m/%Y})" in body and "escalated to the Ministry clerk" in body


def test_supplement_window_from_the_day_it_was_returned(people, django_capture_on_commit_callbacks):
    dossier, officer = complete_eligible_dossier("01")
    returned = date(2025, 9, 25)
    with at(date(2025, 9, 21)), django_capture_on_commit_callbacks(execute=True):
        dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    with at(returned), django_capture_on_commit_callbacks(execute=True):
        wf.dossier_transition(
            name="return_for_supplement", dossier=dossier, by=officer, reason="Thiếu bản khai"
        )
    last_day = returned + timedelta(days=rules_for_round(dossier.round).value("intake.supplement_days"))
    events = sweep(last_day - timedelta(days=2), capture=django_capture_on_commit_callbacks)
    # the reply deadline of the submitted state is gone with its task: only the supplement reminder
    assert [(e.type, e.data["deadline"], e.data["due"]) for e in events] == [
        (EventType.DEADLINE_APPROACHING, "supplement", last_day.isoformat())
    ]
    [passed] = sweep(last_day + timedelta(days=1), capture=django_capture_on_commit_callbacks)
    assert passed.type == EventType.DEADLINE_PASSED and passed.data["deadline"] == "supplement"


def test_end_of_the_government_portal_posting(people, django_capture_on_commit_callbacks):
    from tests import factories as f

    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    posted = date(2025, 11, 1)
    type(dossier).objects.filter(pk=dossier.pk).update(gov_posted_on=posted)
    last_day = posted + timedelta(days=rules_for_round(dossier.round).value("posting.gov_portal_days") - 1)
    assert sweep(last_day, 23, 59, capture=django_capture_on_commit_callbacks) == []
    [ended] = sweep(last_day + timedelta(days=1), 0, 1, capture=django_capture_on_commit_callbacks)
    assert ended.type == EventType.POSTING_ENDED and ended.data["last_day"] == last_day.isoformat()
    assert told(ended) == {people.clerk}
    assert sweep(last_day + timedelta(days=2), capture=django_capture_on_commit_callbacks) == []


def test_session_the_next_day_and_members_yet_to_vote_before_the_ballot_closes(
    people, council_session, django_capture_on_commit_callbacks
):
    session, voters, secretary, items = council_session
    held = session.held_on  # 20/11/2025
    assert sweep(held - timedelta(days=2), 20, capture=django_capture_on_commit_callbacks) == []
    [tomorrow] = sweep(held - timedelta(days=1), 7, capture=django_capture_on_commit_callbacks)
    assert tomorrow.type == EventType.SESSION_TOMORROW
    assert told(tomorrow) == {m.user for m in voters} | {secretary.user}
    assert sweep(held - timedelta(days=1), 18, capture=django_capture_on_commit_callbacks) == []

    closes = datetime(2025, 11, 22, 17, 0, tzinfo=VN)
    with at(held, 9), django_capture_on_commit_callbacks(execute=True):
        ballot_open(session=session, by=secretary.user, closes_at=closes)
        session = Session.objects.get(pk=session.pk)
        declare_no_conflict(session, items, voters[:1])
        for d in items:
            ballot_cast(session=session, dossier=d, choice="agree", by=voters[0].user)
    assert sweep(date(2025, 11, 21), 16, 59, capture=django_capture_on_commit_callbacks) == []
    [closing] = sweep(date(2025, 11, 21), 17, 0, capture=django_capture_on_commit_callbacks)
    assert closing.type == EventType.BALLOT_CLOSING
    assert told(closing) == {m.user for m in voters[1:]}
    assert sweep(date(2025, 11, 22), 9, capture=django_capture_on_commit_callbacks) == []

    from notifications.rendering import render_event

    _subject, body = render_event(closing, language="vi")
    assert "17:00 22/11/2025" in body  # shown in Vietnam time
    assert "agree" not in body and "đồng ý" not in body.lower()
