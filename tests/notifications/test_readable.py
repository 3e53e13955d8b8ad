"""Notifications a person reads: the dossier named by its code and its artisan, a document by the name of
its kind (never "form_04"), no e-mail footer in the application's list, one dossier's messages grouped, and
every link built from the one site address, which `make run` derives from its port."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from notifications.events import Event, EventType
from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FOOTER = "do vai trò của bạn trong quy trình"


def _state_change(dossier, to_state="admitted", reason=""):
    return Event(
        EventType.DOSSIER_STATE_CHANGED,
        dossier_id=dossier.pk,
        data={"from_state": "submitted", "to_state": to_state, "reason": reason},
    )


def test_the_subject_names_the_dossier_by_code_and_artisan(
    people, dossier, django_capture_on_commit_callbacks
):
    people.mail_state_changes_at_once()
    with django_capture_on_commit_callbacks(execute=True):
        notify(_state_change(dossier))
    assert dossier.code  # every dossier has its code from its receipt
    message = next(m for m in mail.outbox if people.officer.email in m.to)
    assert message.subject.startswith(f"Hồ sơ số {dossier.code} ({dossier.artisan.full_name}):")
    assert f"số {dossier.pk} " not in message.subject + " "
    assert f"Hồ sơ số {dossier.code} ({dossier.artisan.full_name}) đã được chuyển" in message.body
    # the e-mail keeps its footer: the links and why it came
    assert FOOTER in message.body and f"/ho-so/{dossier.pk}/" in message.body


def test_a_document_is_named_by_its_kind_never_its_code(people, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            Event(
                EventType.DOCUMENT_READY,
                dossier_id=dossier.pk,
                actor_id=people.officer.pk,
                key="document-ready-test",
                data={"document_id": 1, "kind": "form_04", "status": "ready"},
            )
        )
    texts = Notification.objects.filter(event__type=EventType.DOCUMENT_READY).first().event.texts
    subject, body = texts["vi"]
    assert "form_04" not in subject + body
    assert "Mẫu 04" in body
    assert dossier.code in subject
    assert "Form 04: list of persons proposed" in texts["en"][1]


def test_the_list_has_no_footer_and_groups_one_dossiers_messages(
    client, people, dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for reason in ("Thiếu bản khai", "Thiếu ảnh", "Thiếu tác phẩm"):
            notify(_state_change(dossier, "needs_supplement", reason))
    client.force_login(people.officer)
    page = client.get("/thong-bao/").content.decode()
    assert FOOTER not in page and "http://" not in page.split('<ul class="notifications">')[1]
    top = page.split('<ul class="notifications">')[1].split('<ul class="notifications earlier">')[0]
    assert top.count("<strong>") == 1 and "Thiếu tác phẩm" in top  # the newest is shown
    assert "Các thông báo trước đó về hồ sơ này: 2" in page
    assert "Thiếu bản khai" in page and "Thiếu ảnh" in page  # the earlier ones folded, not lost
    assert "Chưa đọc: 3" in page


def test_messages_of_two_dossiers_stay_apart(client, people, dossier, django_capture_on_commit_callbacks):
    from tests import factories as f

    other = f.dossier(province=dossier.province)
    with django_capture_on_commit_callbacks(execute=True):
        notify(_state_change(dossier))
        notify(_state_change(other))
    client.force_login(people.officer)
    page = client.get("/thong-bao/").content.decode()
    assert "Các thông báo trước đó về hồ sơ này" not in page
    assert page.count("<strong>Hồ sơ số") == 2


def test_links_use_the_site_address(people, dossier, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://nghenhan.example.vn/"
    people.mail_state_changes_at_once()
    with django_capture_on_commit_callbacks(execute=True):
        notify(_state_change(dossier))
    body = next(m for m in mail.outbox if people.officer.email in m.to).body
    assert f"https://nghenhan.example.vn/ho-so/{dossier.pk}/" in body
    assert "127.0.0.1" not in body


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"WEB_PORT": "8101"}, "http://127.0.0.1:8101"),
        ({}, "http://127.0.0.1:8000"),
        ({"WEB_PORT": "8101", "SITE_URL": "https://nghenhan.gov.vn"}, "https://nghenhan.gov.vn"),
        ({"NOTIFICATIONS_SITE_URL": "https://cu.example.vn"}, "https://cu.example.vn"),
    ],
)
def test_the_site_address_follows_the_port_of_make_run(env, expected):
    clean = {
        k: v for k, v in os.environ.items() if k not in ("WEB_PORT", "SITE_URL", "NOTIFICATIONS_SITE_URL")
    }
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == expected
