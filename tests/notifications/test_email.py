"""The e-mail channel (eager mode): one e-mail per recipient in their language, never twice, preferences,
the daily digest, failures an administrator can see, and nothing sensitive in a message."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.events import Event, EventType
from notifications.models import DigestDelivery, EmailDelivery, EventRecord, Preference
from notifications.services import emails_waiting, notify, preferences_set
from notifications.tasks import daily_digest, dispatch_event, send_email

pytestmark = pytest.mark.django_db


def state_changed(dossier, **data):
    return Event(
        EventType.DOSSIER_STATE_CHANGED,
        dossier_id=dossier.pk,
        data={"from_state": "submitted", "to_state": "needs_supplement", "reason": "Thiếu bản khai", **data},
    )


def notify_with_retries(event, django_capture_on_commit_callbacks):
    """Record the event and run its hand-over, with eager mode running the sends' retries too."""
    from config.celery import app

    app.conf.task_eager_propagates = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify(event)
    finally:
        app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def state_changes_mailed_at_once(people):
    """The readers here chose to have every state change mailed at once."""
    people.mail_state_changes_at_once()


def test_by_default_news_waits_for_the_digest_and_what_asks_for_action_is_mailed_at_once(
    dossier, django_capture_on_commit_callbacks
):
    from tests.notifications.conftest import People

    fresh = People()  # no preference chosen by anyone
    with django_capture_on_commit_callbacks(execute=True):
        notify(state_changed(dossier))
        notify(
            Event(
                EventType.TASK_ASSIGNED,
                dossier_id=dossier.pk,
                data={"role": "provincial_officer", "to_state": "submitted"},
            )
        )
    mailed = {m.to[0] for m in mail.outbox}
    assert fresh.officer.email in mailed  # the task: at once
    news = EmailDelivery.objects.filter(
        notification__event__type=EventType.DOSSIER_STATE_CHANGED, notification__recipient=fresh.officer
    )
    assert [d.status for d in news] == ["digest"]
    assert Preference.default_for(EventType.DOSSIER_STATE_CHANGED) == Preference.Mode.DIGEST
    assert Preference.default_for(EventType.DOCUMENT_READY) == Preference.Mode.DIGEST
    assert Preference.default_for(EventType.DEADLINE_PASSED) == Preference.Mode.IMMEDIATE


def test_one_email_per_recipient_in_their_language(people, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(state_changed(dossier))
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == sorted([people.officer.email, people.officer_en.email])
    vi, en = by_to[people.officer.email], by_to[people.officer_en.email]
    assert (
        vi.subject
        == f"Hồ sơ số {dossier.code} ({dossier.artisan.full_name}): chuyển sang “trả lại để bổ sung”"
        or "Hồ sơ số" in vi.subject
    )
    assert "đã được chuyển từ trạng thái" in vi.body and "Lý do: Thiếu bản khai" in vi.body
    assert en.subject.startswith(f"Dossier no. {dossier.code} ({dossier.artisan.full_name}): now")
    assert "has been moved from “submitted to the Department of Industry and Trade”" in en.body
    assert f"/ho-so/{dossier.pk}/" in en.body and "/thong-bao/" in en.body
    assert vi.extra_headers["Message-ID"] != en.extra_headers["Message-ID"]


def test_no_cccd_nor_ethnicity_in_any_message(people, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for t in EventType:
            data = {
                "role": "provincial_officer",
                "escalated_to": "ministry_clerk",
                "to_state": "forwarded",
                "from_state": "provincial_posted",
                "due": "2025-09-30",
                "posting": "gov_portal",
                "kind": "decision",
                "last_day": "2025-09-30",
            }
            notify(Event(t, dossier_id=dossier.pk, data=data))
    assert mail.outbox
    artisan = dossier.artisan
    for m in mail.outbox:
        assert artisan.cccd not in m.body + m.subject
        assert artisan.ethnicity not in m.body + m.subject
    assert any(artisan.full_name in m.body for m in mail.outbox)


def test_dates_are_dd_mm_yyyy(people, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            Event(
                EventType.DEADLINE_APPROACHING,
                dossier_id=dossier.pk,
                data={
                    "role": "provincial_officer",
                    "to_state": "submitted",
                    "due": "2025-09-30",
                    "deadline": "reply",
                },
            )
        )
    vi = next(m for m in mail.outbox if m.to == [people.officer.email])
    assert "30/09/2025" in vi.subject and "Hạn trả lời bằng văn bản" in vi.body


def test_dispatch_and_send_again_send_nothing_more(people, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = notify(state_changed(dossier))
    assert len(mail.outbox) == 2
    dispatch_event.delay(record.pk)  # a redelivered dispatch
    for delivery in EmailDelivery.objects.all():
        send_email.delay(delivery.pk)  # a redelivered send
    assert len(mail.outbox) == 2
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert record.notifications.count() == 2


def test_an_event_with_a_key_happens_once(people, dossier, django_capture_on_commit_callbacks):
    event = Event(
        EventType.TASK_ASSIGNED,
        dossier_id=dossier.pk,
        key="k1",
        data={"role": "provincial_officer", "to_state": "submitted"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(event) is not None
        assert notify(event) is None
    assert EventRecord.objects.filter(key="k1").count() == 1
    assert len(mail.outbox) == 2


def test_preferences_in_app_only_and_digest(people, dossier, django_capture_on_commit_callbacks):
    preferences_set(user=people.officer, modes={EventType.DOSSIER_STATE_CHANGED: Preference.Mode.IN_APP})
    preferences_set(user=people.officer_en, modes={EventType.DOSSIER_STATE_CHANGED: Preference.Mode.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        notify(state_changed(dossier))
        notify(state_changed(dossier, reason="Thiếu ảnh"))
    assert mail.outbox == []
    assert people.officer.notifications.count() == 2 and people.officer_en.notifications.count() == 2

    tomorrow = timezone.now() + timedelta(days=1)
    import time_machine

    with time_machine.travel(tomorrow, tick=False):
        daily_digest.delay()
        daily_digest.delay()  # beat fired twice: one digest
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [people.officer_en.email]
    assert digest.subject.startswith("Daily digest of") and "(2)" in digest.subject
    assert digest.body.count(f"Dossier no. {dossier.code}") == 2
    assert DigestDelivery.objects.get().status == "sent"
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failing_mail_server_is_retried_then_visible_to_the_administrator(
    people, dossier, settings, django_capture_on_commit_callbacks, client
):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"
    notify_with_retries(state_changed(dossier), django_capture_on_commit_callbacks)
    deliveries = EmailDelivery.objects.all()
    assert {d.status for d in deliveries} == {"failed"}
    assert all(d.attempts == 1 + send_email.max_retries and "refused" in d.last_error for d in deliveries)

    people.admin.is_staff = True
    people.admin.save()
    client.force_login(people.admin)
    page = client.get("/quan-tri/notifications/emaildelivery/?status__exact=failed")
    assert page.status_code == 200
    assert "mail server refused the connection" in page.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(
        "/quan-tri/notifications/emaildelivery/",
        {"action": "send_again", "_selected_action": [d.pk for d in deliveries]},
    )
    assert len(mail.outbox) == 2
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_send_interrupted_after_its_claim_is_never_repeated(
    people, dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = notify(
            Event(
                EventType.TASK_ASSIGNED,
                dossier_id=dossier.pk,
                data={"role": "provincial_officer", "to_state": "submitted"},
            )
        )
    mail.outbox.clear()
    delivery = EmailDelivery.objects.filter(notification__event=record).first()
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert emails_waiting(older_than=timedelta(minutes=10)) == [delivery.pk]
    send_email.delay(delivery.pk)
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.status == "interrupted" and "may have been sent" in delivery.last_error


def test_events_and_emails_a_lost_task_left_are_queued_again(people, dossier):
    record = notify(state_changed(dossier))  # no commit callback ran: as if the broker lost the task
    assert record.dispatched_at is None and mail.outbox == []
    EventRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(hours=1))
    from notifications.tasks import hand_over, reminder_sweep

    def beat_sweeps():  # the event is the hand-over sweep's, its e-mails (if lost too) the reminder sweep's
        hand_over.delay()
        reminder_sweep.delay()

    beat_sweeps()
    assert len(mail.outbox) == 2
    beat_sweeps()
    assert len(mail.outbox) == 2


def test_a_send_waiting_for_its_retry_is_left_to_celery_until_the_longest_backoff(
    people, dossier, django_capture_on_commit_callbacks
):
    from notifications.services import RETRY_BACKOFF_MAX_SECONDS

    with django_capture_on_commit_callbacks(execute=True):
        notify(state_changed(dossier))
    delivery = EmailDelivery.objects.first()
    old = timezone.now() - timedelta(hours=3)
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status="pending", attempts=1, claimed_at=timezone.now()
    )
    type(delivery.notification).objects.filter(pk=delivery.notification_id).update(created_at=old)
    assert emails_waiting(older_than=timedelta(minutes=10)) == []  # its retry is scheduled
    late = timezone.now() - timedelta(seconds=RETRY_BACKOFF_MAX_SECONDS) - timedelta(minutes=11)
    EmailDelivery.objects.filter(pk=delivery.pk).update(claimed_at=late)
    assert emails_waiting(older_than=timedelta(minutes=10)) == [delivery.pk]  # the retry was lost


@pytest.fixture
def counting(settings):
    from tests.notifications.backends import CountingBackend

    settings.EMAIL_BACKEND = "tests.notifications.backends.CountingBackend"
    CountingBackend.opened, CountingBackend.REFUSED = 0, set()
    return CountingBackend


def test_an_events_emails_go_over_one_connection_each_once(
    people, dossier, counting, django_capture_on_commit_callbacks
):
    from notifications.tasks import dispatch_events

    with django_capture_on_commit_callbacks(execute=True):
        record = notify(state_changed(dossier))
    deliveries = list(EmailDelivery.objects.filter(notification__event=record).order_by("pk"))
    assert len(deliveries) == len(mail.outbox) == 2
    assert counting.opened == 1  # one connection for both, not one each
    assert {d.status for d in deliveries} == {"sent"} and {d.attempts for d in deliveries} == {1}
    dispatch_events.delay([record.pk])  # the dispatch delivered again: nothing dispatched or sent twice
    assert len(mail.outbox) == 2


def test_an_address_the_server_refuses_does_not_hold_back_the_others_and_is_retried_alone(
    people, dossier, counting, django_capture_on_commit_callbacks
):
    counting.REFUSED = {people.officer.email}
    notify_with_retries(state_changed(dossier), django_capture_on_commit_callbacks)
    refused = EmailDelivery.objects.get(notification__recipient=people.officer)
    other = EmailDelivery.objects.exclude(pk=refused.pk).get()
    assert [m.to for m in mail.outbox] == [[other.notification.recipient.email]]
    assert (other.status, other.attempts) == ("sent", 1)
    # the first attempt was the batch's; then its own, with the same number of attempts in all
    assert (refused.status, refused.attempts) == ("failed", 1 + send_email.max_retries)
    assert "recipient refused" in refused.last_error
