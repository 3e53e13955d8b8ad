"""Dispatching an event costs the same number of SQL statements whatever the number of recipients, and
resolving them in bulk is exactly as strict as asking can_view_dossier of each one."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils.models import Membership, Session
from dossiers.models import DossierState
from dossiers.permissions import can_view_dossier
from notifications.events import Event, EventType
from notifications.models import EmailDelivery, EventRecord, Notification, Preference
from notifications.recipients import recipients_of
from notifications.services import event_dispatch, notify
from tests import factories as f
from tests.notifications.conftest import make_council, person
from tests.workflows.conftest import set_state

pytestmark = pytest.mark.django_db

# The statements of event_dispatch for one event, whatever the number of recipients: the event row
# (locked, with its dossier and session), each role's holders, their roles, the read scope of those who
# need it, their preferences, the notifications written and read back, the e-mail deliveries written,
# the event marked dispatched, the e-mails to send; plus the transaction's savepoint and its release.
STATE_CHANGE_STATEMENTS = 12
SECRETARY_TASK_STATEMENTS = 12


def _officers(n):
    officers = [person("provincial_officer", f.department("01")) for _ in range(n)]
    # one wants every state change at once, one in the application only, the others keep the default
    # (the daily digest: a state change asks nothing of them): their preferences are read too
    Preference.objects.create(
        user=officers[0], event_type=EventType.DOSSIER_STATE_CHANGED, mode=Preference.Mode.IMMEDIATE
    )
    if n > 1:
        Preference.objects.create(
            user=officers[1], event_type=EventType.DOSSIER_STATE_CHANGED, mode=Preference.Mode.IN_APP
        )
    return officers


def _dispatch_counted(record):
    with CaptureQueriesContext(connection) as ctx:
        to_send = event_dispatch(event_id=record.pk)
    return [q["sql"] for q in ctx.captured_queries], to_send


@pytest.mark.parametrize("n", [1, 20])
def test_a_state_change_is_dispatched_in_a_constant_number_of_statements(n):
    dossier = f.dossier("01")
    officers = _officers(n)
    clerk = person("ministry_clerk", f.ministry())
    other_province = person("provincial_officer", f.department("31"))
    record = notify(
        Event(
            EventType.DOSSIER_STATE_CHANGED,
            dossier_id=dossier.pk,
            data={"from_state": "provincial_posted", "to_state": "forwarded"},
        ),
        dossier=dossier,
    )
    statements, to_send = _dispatch_counted(record)

    told = set(Notification.objects.filter(event=record).values_list("recipient_id", flat=True))
    assert told == {u.pk for u in officers} | {clerk.pk}
    assert other_province.pk not in told
    pending = EmailDelivery.objects.filter(pk__in=to_send)
    # only the reader who chose it is mailed now; the application-only reader gets no e-mail; the
    # others (the clerk among them) wait for the digest
    assert {d.notification.recipient_id for d in pending} == {officers[0].pk}
    assert not EmailDelivery.objects.filter(notification__recipient__in=officers[1:2])
    assert EmailDelivery.objects.get(notification__recipient=clerk).status == "digest"
    assert len(statements) == STATE_CHANGE_STATEMENTS, statements


@pytest.mark.parametrize("n", [1, 20])
def test_a_secretary_task_checks_each_secretarys_scope_in_a_constant_number_of_statements(n):
    """Secretaries see a dossier through their council (a granted scope, not their role): the scope of
    every one of them is checked, in one statement, and one out of scope is never told."""
    dossier = set_state(f.dossier("01"), DossierState.PROVINCIAL_REVIEW)
    council, _voters, secretary = make_council("01", members=1)
    # more secretaries of the province's council: each sees the dossiers waiting for it
    in_scope = [secretary.user] + [
        Membership.objects.create(
            council=council,
            user=person("council_secretary", f.department("01")),
            role=Membership.Role.SECRETARY,
        ).user
        for _ in range(n - 1)
    ]
    # secretaries in the province's department who keep no council: the dossier is outside their scope
    outside = [person("council_secretary", f.department("01")) for _ in range(n)]
    record = notify(
        Event(
            EventType.TASK_ASSIGNED,
            dossier_id=dossier.pk,
            data={"role": "council_secretary", "to_state": "provincial_review"},
        ),
        dossier=dossier,
    )
    statements, _to_send = _dispatch_counted(record)

    told = set(Notification.objects.filter(event=record).values_list("recipient_id", flat=True))
    assert told == {u.pk for u in in_scope}
    assert not told & {u.pk for u in outside}
    assert len(statements) == SECRETARY_TASK_STATEMENTS, statements


def test_bulk_resolution_agrees_with_can_view_dossier_for_each_recipient():
    """Many candidates resolved at once: exactly those can_view_dossier allows, one by one, are told."""
    dossier = set_state(f.dossier("01"), DossierState.PROVINCIAL_REVIEW)
    council, _voters, secretary = make_council("01", members=1)
    # a secretary of another round's council of the same province: a scope mismatch
    other_round = make_council("01", members=1)[0]
    other_round.round = f.round_(7)
    other_round.save(update_fields=["round"])
    mismatched = Membership.objects.get(council=other_round, role=Membership.Role.SECRETARY).user
    bystanders = [person("council_secretary", f.department("01")) for _ in range(12)]
    inactive = person("council_secretary", f.department("01"))
    Membership.objects.create(council=council, user=inactive, role=Membership.Role.SECRETARY)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    record = notify(
        Event(
            EventType.DEADLINE_PASSED,
            dossier_id=dossier.pk,
            data={
                "role": "council_secretary",
                "escalated_to": "ministry_clerk",
                "to_state": "provincial_review",
                "due": "2025-09-30",
            },
        )
    )
    clerk = person("ministry_clerk", f.ministry())
    record.refresh_from_db()
    resolved = {u.pk for u in recipients_of(record)}
    candidates = [secretary.user, mismatched, clerk, *bystanders]
    expected = {u.pk for u in candidates if can_view_dossier(type(u).objects.get(pk=u.pk), dossier)}
    assert resolved == expected == {secretary.user_id, clerk.pk}
    assert mismatched.pk not in resolved and inactive.pk not in resolved


def test_a_second_dispatch_writes_nothing_more():
    dossier = f.dossier("01")
    officers = _officers(5)
    record = notify(
        Event(
            EventType.DOSSIER_STATE_CHANGED,
            dossier_id=dossier.pk,
            data={"from_state": "draft", "to_state": "submitted"},
        )
    )
    first = event_dispatch(event_id=record.pk)
    notifications = Notification.objects.filter(event=record).count()
    # the event is marked dispatched: a second run only answers which e-mails are still to send
    assert event_dispatch(event_id=record.pk) == first
    record.__class__.objects.filter(pk=record.pk).update(dispatched_at=None)  # as if interrupted
    assert sorted(event_dispatch(event_id=record.pk)) == sorted(first)
    assert Notification.objects.filter(event=record).count() == notifications == len(officers)
    # one reads in the application only: no e-mail
    assert EmailDelivery.objects.filter(notification__event=record).count() == len(officers) - 1


def test_the_artisans_name_is_kept_when_recorded_and_not_read_again_to_dispatch():
    dossier = f.dossier("01", artisan=f.artisan("01", full_name="Lê Thị Hoa"))
    _officers(2)
    dossier = type(dossier).objects.select_related("artisan").get(pk=dossier.pk)
    event = Event(
        EventType.DOSSIER_STATE_CHANGED,
        dossier_id=dossier.pk,
        data={"from_state": "draft", "to_state": "submitted"},
    )
    with CaptureQueriesContext(connection) as recorded:
        record = notify(event, dossier=dossier)  # the step has the dossier and its artisan in memory
    assert not [q for q in recorded.captured_queries if "dossiers_artisan" in q["sql"]]
    assert record.data["artisan_name"] == "Lê Thị Hoa"
    # without the dossier in memory: the name alone, in one query
    with CaptureQueriesContext(connection) as fallback:
        other = notify(event)
    assert other.data["artisan_name"] == "Lê Thị Hoa"
    assert len([q for q in fallback.captured_queries if "dossiers_artisan" in q["sql"]]) == 1
    statements, _to_send = _dispatch_counted(record)
    assert not [sql for sql in statements if "dossiers_artisan" in sql]
    record.refresh_from_db()
    assert "Lê Thị Hoa" in record.texts["vi"][1] and "Lê Thị Hoa" in record.texts["en"][1]


def test_an_event_recorded_without_the_names_still_renders():
    """Events recorded before the names were kept in them: the text reads the artisan and the council."""
    dossier = f.dossier("01", artisan=f.artisan("01", full_name="Phạm Văn Bình"))
    council, voters, _secretary = make_council("01", members=2)
    session = Session.objects.create(council=council, held_on=date(2025, 11, 20), place="Sở Công Thương")
    session.present.set(voters)
    old_dossier_event = EventRecord.objects.create(
        type=EventType.DOSSIER_STATE_CHANGED,
        dossier=dossier,
        data={"from_state": "draft", "to_state": "submitted"},
    )
    old_session_event = EventRecord.objects.create(type=EventType.BALLOT_OPENED, session=session)
    event_dispatch(event_id=old_dossier_event.pk)
    event_dispatch(event_id=old_session_event.pk)
    old_dossier_event.refresh_from_db()
    old_session_event.refresh_from_db()
    assert "Phạm Văn Bình" in old_dossier_event.texts["en"][1]
    assert council.name in old_session_event.texts["en"][0]
    assert Notification.objects.filter(event=old_session_event).count() == len(voters)


def _step_events(dossier):
    """What a step writes: its state change and the task it opens."""
    return [
        notify(
            Event(
                EventType.DOSSIER_STATE_CHANGED,
                dossier_id=dossier.pk,
                data={"from_state": "draft", "to_state": "submitted"},
            )
        ),
        notify(
            Event(
                EventType.TASK_ASSIGNED,
                dossier_id=dossier.pk,
                data={"role": "provincial_officer", "to_state": "submitted"},
            )
        ),
    ]


def test_a_steps_events_are_dispatched_together_in_fewer_statements_than_one_by_one():
    from notifications.services import events_dispatch

    dossier = f.dossier("01")
    officers = _officers(3)
    alone = _step_events(dossier)
    with CaptureQueriesContext(connection) as one_by_one:
        for record in alone:
            event_dispatch(event_id=record.pk)
    together = _step_events(dossier)
    with CaptureQueriesContext(connection) as at_once:
        to_send = events_dispatch(event_ids=[r.pk for r in together])
    assert len(at_once.captured_queries) < len(one_by_one.captured_queries) - 3
    # the same outcome: each event's notifications, its e-mails by preference, its text, dispatched
    for first, second in zip(alone, together, strict=True):
        first.refresh_from_db()
        second.refresh_from_db()
        assert second.dispatched_at and second.texts.keys() == first.texts.keys()
        told = lambda r: set(Notification.objects.filter(event=r).values_list("recipient_id", flat=True))  # noqa: E731
        assert told(first) == told(second) == {u.pk for u in officers}
    # the task is mailed at once to all three; the state change only to the one who chose it
    mailed = EmailDelivery.objects.filter(pk__in=to_send)
    assert sorted(d.notification.event_id for d in mailed) == sorted([together[0].pk] + [together[1].pk] * 3)


def test_one_event_failing_does_not_hold_back_the_others_of_its_message(monkeypatch):
    from notifications import recipients, services, tasks

    dossier = f.dossier("01")
    _officers(2)
    good, bad = _step_events(dossier)
    real = recipients.recipients_of

    def flaky(record):
        if record.pk == bad.pk:
            raise RuntimeError("cannot resolve")
        return real(record)

    monkeypatch.setattr(services, "recipients_of", flaky)
    with pytest.raises(Exception, match="cannot resolve"):  # the message is retried later
        tasks.dispatch_events.apply(args=[[good.pk, bad.pk]])
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.dispatched_at is not None and bad.dispatched_at is None
    monkeypatch.setattr(services, "recipients_of", real)  # fixed: the retry dispatches what is left
    tasks.dispatch_events.apply(args=[[good.pk, bad.pk]])
    bad.refresh_from_db()
    assert bad.dispatched_at is not None
    assert Notification.objects.filter(event=good).count() == 2  # not twice


def test_many_steps_events_dispatched_together_read_the_province_officers_once():
    """A batch's events travel to one dispatch fifty steps at a time: the holders of a role in a scope
    are read once for all of them, so ten dossiers' events cost the statements of one dossier's (and
    each event still goes to the right people)."""
    from notifications.services import events_dispatch

    officers = _officers(3)
    one = _step_events(f.dossier("01"))
    ten = [record for _ in range(10) for record in _step_events(f.dossier("01"))]
    with CaptureQueriesContext(connection) as for_one:
        events_dispatch(event_ids=[r.pk for r in one])
    with CaptureQueriesContext(connection) as for_ten:
        events_dispatch(event_ids=[r.pk for r in ten])
    assert len(for_ten.captured_queries) == len(for_one.captured_queries)
    officer_reads = [q for q in for_ten.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(officer_reads) == 1
    for record in ten:
        assert set(Notification.objects.filter(event=record).values_list("recipient_id", flat=True)) == {
            u.pk for u in officers
        }


def test_holders_read_for_one_dispatch_are_not_kept_for_the_next():
    """The shared reading lives as long as one dispatch: an officer added afterwards is told of the
    next event."""
    from notifications.services import events_dispatch

    officers = _officers(1)
    events_dispatch(event_ids=[r.pk for r in _step_events(f.dossier("01"))])
    newcomer = person("provincial_officer", f.department("01"))
    later = _step_events(f.dossier("01"))
    events_dispatch(event_ids=[r.pk for r in later])
    assert set(Notification.objects.filter(event=later[0]).values_list("recipient_id", flat=True)) == {
        officers[0].pk,
        newcomer.pk,
    }
