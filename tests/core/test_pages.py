"""The pages every visitor meets first: login in Vietnamese, the language switch, health."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.models import WorkerHeartbeat
from core.tasks import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    user = get_user_model().objects.create_user(
        username="canbo", password="mat-khau-dai-1", full_name="Nguyễn Thị Lan"
    )
    user.groups.add(Group.objects.get(name="provincial_officer"))
    return user


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=/")


def test_login_page_speaks_vietnamese_even_to_an_english_browser(client):
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert "Mật khẩu" in body
    assert response["Content-Language"] == "vi"


def test_language_switch_turns_the_page_english_and_back(client):
    response = client.post("/ngon-ngu/", {"language": "en", "next": "/dang-nhap/"})
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"
    body = client.get("/dang-nhap/").content.decode()
    assert '<html lang="en">' in body
    assert "Password" in body
    client.post("/ngon-ngu/", {"language": "vi", "next": "/dang-nhap/"})
    assert "Mật khẩu" in client.get("/dang-nhap/").content.decode()


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.post("/ngon-ngu/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_language_switch_only_accepts_post(client):
    assert client.get("/ngon-ngu/?language=en").status_code == 405


def test_wrong_password_is_refused_in_vietnamese(client, officer):
    response = client.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_signed_in_user_sees_their_role_and_keeps_their_language(client, officer):
    assert client.post("/dang-nhap/", {"username": "canbo", "password": "mat-khau-dai-1"}).status_code == 302
    body = client.get("/").content.decode()
    assert "Nguyễn Thị Lan" in body
    assert "Cán bộ Sở Công Thương" in body
    client.post("/ngon-ngu/", {"language": "en", "next": "/"})
    officer.refresh_from_db()
    assert officer.language == "en"
    # A new browser (no cookie) gets the saved preference after signing in.
    client.cookies.clear()
    client.force_login(officer)
    assert "Provincial officer" in client.get("/").content.decode()


def test_every_page_but_login_and_health_needs_login(client):
    assert client.get("/quan-tri/").status_code == 302
    assert client.get("/health/").status_code == 200


def test_health_reports_no_worker_until_a_heartbeat_is_consumed(client):
    before = client.get("/health/?format=json").json()
    assert before == {"ok": False, "database": True, "worker": False, "worker_last_seen": None}
    heartbeat.delay(source="test")  # eager in unit tests
    after = client.get("/health/?format=json").json()
    assert after["worker"] is True and after["ok"] is True
    assert WorkerHeartbeat.objects.get().beats == 1


def test_a_stale_heartbeat_means_no_worker(client, settings):
    heartbeat.delay(source="test")
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = -1
    assert client.get("/health/?format=json").json()["worker"] is False


def test_health_page_in_vietnamese(client):
    body = client.get("/health/").content.decode()
    assert "Cơ sở dữ liệu" in body


def test_a_worker_busy_with_a_long_queue_is_seen_consuming_by_the_tasks_it_finishes(client, monkeypatch):
    """The heartbeat task may wait behind thousands of queued tasks; every task a worker process finishes
    also proves consumption (recorded at most every CONSUMED_RECORD_SECONDS per process). Tasks run
    inline (eager, as in these tests) prove nothing about a worker."""
    from types import SimpleNamespace

    from core import signals

    monkeypatch.setattr(signals, "_last_recorded", 0.0)
    eager = SimpleNamespace(
        name="notifications.dispatch_event", request=SimpleNamespace(is_eager=True, hostname=None)
    )
    signals.record_consumption(task=eager)
    assert client.get("/health/?format=json").json()["worker"] is False

    real = SimpleNamespace(
        name="notifications.dispatch_event", request=SimpleNamespace(is_eager=False, hostname="w1@host")
    )
    signals.record_consumption(task=real)
    assert client.get("/health/?format=json").json()["worker"] is True
    signals.record_consumption(task=real)  # a second task within the interval writes nothing
    assert WorkerHeartbeat.objects.get(hostname="w1@host").beats == 1
    assert WorkerHeartbeat.objects.get(hostname="w1@host").last_source == "task"
