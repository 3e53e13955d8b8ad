"""The notifications page (list, unread count in the navigation, mark read) and the preferences page:
login required, a user sees only their own, forms with CSRF."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from notifications.events import Event, EventType
from notifications.models import Notification, Preference
from notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_notifications(people, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for reason in ("Thiếu bản khai", "Thiếu ảnh"):
            notify(
                Event(
                    EventType.DOSSIER_STATE_CHANGED,
                    dossier_id=dossier.pk,
                    data={"from_state": "submitted", "to_state": "needs_supplement", "reason": reason},
                )
            )
    return list(Notification.objects.filter(recipient=people.officer).order_by("pk"))


def test_every_page_needs_a_login(client):
    for url in ("/thong-bao/", "/thong-bao/cach-nhan/"):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert client.post("/thong-bao/1/da-doc/").status_code == 302


def test_list_with_unread_count_in_the_navigation(client, people, dossier, two_notifications):
    client.force_login(people.officer)
    page = client.get("/thong-bao/").content.decode()
    assert "Chưa đọc: 2" in page
    assert f"Hồ sơ số {dossier.code}" in page and "Lý do: Thiếu ảnh" in page
    # the navigation counts items, as the list shows them: both messages are about one dossier
    assert 'class="badge"' in page and ">1</span>" in page
    home = client.get("/").content.decode()
    assert ">1</span>" in home  # the count on every page
    # and in the link's name, as a screen reader reads it: nothing replaces the number
    link = re.search(r'<a class="navlink" href="/thong-bao/"[^>]*>', home).group(0)
    assert 'aria-label="Thông báo, 1 mục chưa đọc"' in link


def test_the_navigation_counts_one_item_per_dossier_with_unread_news(
    client, people, dossier, django_capture_on_commit_callbacks
):
    from tests import factories as f

    other = f.dossier(province=dossier.province)
    with django_capture_on_commit_callbacks(execute=True):
        for target, reasons in (
            (dossier, ("Thiếu bản khai", "Thiếu ảnh", "Thiếu tác phẩm")),
            (other, ("Thiếu",)),
        ):
            for reason in reasons:
                notify(
                    Event(
                        EventType.DOSSIER_STATE_CHANGED,
                        dossier_id=target.pk,
                        data={"from_state": "submitted", "to_state": "needs_supplement", "reason": reason},
                    )
                )
    client.force_login(people.officer)
    page = client.get("/").content.decode()
    link = re.search(r'<a class="navlink" href="/thong-bao/".*?</a>', page, re.S).group(0)
    assert 'aria-label="Thông báo, 2 mục chưa đọc"' in link and '<span class="badge">2</span>' in link
    assert "Chưa đọc: 4" in client.get("/thong-bao/").content.decode()  # the messages themselves
    # reading the other dossier's one message leaves one item with news
    Notification.objects.filter(recipient=people.officer, event__dossier=other).update(read_at=timezone.now())
    link = re.search(r'<a class="navlink" href="/thong-bao/".*?</a>', client.get("/").content.decode(), re.S)
    assert '<span class="badge">1</span>' in link.group(0)


def test_mark_one_then_all_read(client, people, two_notifications):
    client.force_login(people.officer)
    first, _second = two_notifications
    assert client.post(f"/thong-bao/{first.pk}/da-doc/").status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert "Chưa đọc: 1" in client.get("/thong-bao/").content.decode()
    client.post("/thong-bao/da-doc-het/")
    assert not Notification.objects.filter(recipient=people.officer, read_at__isnull=True).exists()
    assert "Chưa đọc: 0" in client.get("/thong-bao/").content.decode()


def test_another_users_notification_is_404_and_is_not_listed(client, people, two_notifications):
    theirs = Notification.objects.filter(recipient=people.officer_en).first()
    client.force_login(people.officer)
    assert client.post(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.force_login(people.other_officer)
    page = client.get("/thong-bao/").content.decode()
    assert "Chưa có thông báo nào." in page and "Chưa đọc: 0" in page


def test_marking_read_needs_post_and_csrf(people, two_notifications):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.officer)
    assert client.get(f"/thong-bao/{two_notifications[0].pk}/da-doc/").status_code == 405
    assert client.post(f"/thong-bao/{two_notifications[0].pk}/da-doc/").status_code == 403
    page = client.get("/thong-bao/").content.decode()
    assert "csrfmiddlewaretoken" in page


def test_english_page(client, people, dossier, two_notifications):
    client.force_login(people.officer)
    client.post("/ngon-ngu/", {"language": "en", "next": "/thong-bao/"})
    page = client.get("/thong-bao/").content.decode()
    assert "Unread: 2" in page and f"Dossier no. {dossier.code} ({dossier.artisan.full_name}): now" in page


def test_preferences_per_event_type(client, people):
    client.force_login(people.officer)
    page = client.get("/thong-bao/cach-nhan/").content.decode()
    assert "Cách nhận thông báo" in page and "csrfmiddlewaretoken" in page
    assert page.count('value="immediate" aria-label') == len(EventType) and page.count("checked") == len(
        EventType
    )
    response = client.post(
        "/thong-bao/cach-nhan/",
        {
            EventType.TASK_ASSIGNED: "digest",
            EventType.DOSSIER_STATE_CHANGED: "in_app",
            EventType.BALLOT_OPENED: "bogus",
        },
    )
    assert response.status_code == 302
    modes = dict(Preference.objects.filter(user=people.officer).values_list("event_type", "mode"))
    assert modes[EventType.TASK_ASSIGNED] == "digest"
    assert modes[EventType.DOSSIER_STATE_CHANGED] == "in_app"
    assert modes[EventType.BALLOT_OPENED] == "immediate"
    assert not Preference.objects.filter(user=people.officer_en).exists()


def test_the_text_is_stored_at_dispatch_in_both_languages_and_the_list_shows_it(
    client, people, dossier, two_notifications
):
    from notifications.models import EventRecord
    from notifications.rendering import render_event

    event = two_notifications[0].event
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert event.texts == {code: list(render_event(event, language=code)) for code in ("vi", "en")}
    EventRecord.objects.filter(pk=event.pk).update(texts={"vi": ["Tiêu đề đã lưu", "Nội dung đã lưu\n"]})
    client.force_login(people.officer)
    page = client.get("/thong-bao/").content.decode()
    assert "Tiêu đề đã lưu" in page and "Lý do: Thiếu ảnh" in page  # stored, and the other rendered
    client.post("/ngon-ngu/", {"language": "en", "next": "/thong-bao/"})
    page = client.get("/thong-bao/").content.decode()
    assert (
        "Tiêu đề đã lưu" not in page
        and f"Dossier no. {dossier.code} ({dossier.artisan.full_name}): now" in page
    )  # no English stored
