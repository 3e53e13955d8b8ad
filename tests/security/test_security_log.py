"""Security logging: sign-ins, failures, sign-outs, refusals and sensitive reads are logged, in UTC,
with user ids but no passwords, CCCD numbers or ethnicities, and a value cannot forge a log line."""

import logging

import pytest
from django.urls import reverse

from core.security_log import SafeUtcFormatter, clean
from tests import factories as f
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "nghenhan.security"]


def test_sign_in_failure_and_sign_out_are_logged_without_the_password(client, caplog):
    user = f.officer("01")
    caplog.set_level(logging.INFO, logger="nghenhan.security")
    client.post(reverse("login"), {"username": user.username, "password": "sai-mat-khau-bi-mat"})
    client.post(reverse("login"), {"username": user.username, "password": "mat-khau-dai-1"})
    client.post(reverse("logout"))
    lines = security_lines(caplog)
    failed = [line for line in lines if line.startswith("event=login_failed")]
    assert any(f"username={user.username}" in line for line in failed)
    assert any(line.startswith("event=login ") and f"user={user.pk}" in line for line in lines)
    assert any(line.startswith("event=logout") and f"user={user.pk}" in line for line in lines)
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert "sai-mat-khau-bi-mat" not in everything and "mat-khau-dai-1" not in everything


def test_a_typed_username_cannot_forge_a_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="nghenhan.security")
    client.post(reverse("login"), {"username": "x\nevent=login user=1", "password": "khong-dung-1"})
    (line,) = [x for x in security_lines(caplog) if x.startswith("event=login_failed")]
    assert "\n" not in line and "\\x0a" in line


def test_refusals_and_out_of_scope_ids_are_logged(settings, tmp_path, client, caplog):
    world = build_world(settings, tmp_path)
    caplog.set_level(logging.INFO, logger="nghenhan.security")
    client.force_login(world.users["member_A"])
    client.get(reverse("public_comments"))  # 403: the role does not handle comments
    other = next(o for o in world.of("dossier") if "officer_A" not in o.visible)
    client.force_login(world.users["officer_A"])
    client.get(reverse("dossier_detail", kwargs={"pk": other.key}))  # 404: another province's
    lines = security_lines(caplog)
    assert any("event=refused" in x and "status=403" in x and "path=/bo/y-kien/" in x for x in lines)
    assert any(
        "event=not_found_or_refused" in x and f"user={world.users['officer_A'].pk}" in x for x in lines
    )


def test_a_sensitive_read_is_logged_without_the_value(settings, tmp_path, client, caplog):
    world = build_world(settings, tmp_path)
    caplog.set_level(logging.INFO)
    client.force_login(world.users["officer_A"])
    mine = world.of("dossier")[0]
    response = client.post(reverse("dossier_reveal_sensitive", kwargs={"pk": mine.key}), {"confirm": "1"})
    assert response.status_code in (200, 302)
    sensitive = [r.getMessage() for r in caplog.records if r.name == "nghenhan.sensitive"]
    assert sensitive and all("field=" in line for line in sensitive)
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for secret in world.secrets:
        assert secret not in everything


def test_the_formatter_writes_utc_and_escapes_line_breaks():
    formatter = SafeUtcFormatter("%(asctime)s %(message)s")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "value=%s", ("a\r\nb",), None)
    record.created = 0.0
    record.msecs = 0
    line = formatter.format(record)
    assert line == "1970-01-01T00:00:00.000Z value=a\\x0d\\x0ab"


def test_clean_quotes_spaces_and_limits_length():
    assert clean("Nguyễn Văn") == '"Nguyễn Văn"'
    assert clean("a" * 200).endswith("…") and len(clean("a" * 200)) == 121
    assert clean("\x1b[31m") == "\\x1b[31m"
