"""Configuration read from the environment: safe production defaults and clear failures."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {
    "SECRET_KEY": "p" * 20 + "Zq8!vX2#kL9$mN4&bR7*tY1@wE5^uI3(oP6)",
    "ALLOWED_HOSTS": "nghenhan.example.gov.vn",
    "DATABASE_URL": "sqlite:///{var}/prod.sqlite3",
    "FIELD_ENCRYPTION_KEYS": (
        "Y2EbJEqQ5qUJ1dN0yXoK8ZbW8p3rS6tV9uX2zA5cD8E=,bm90LWEtcmVhbC1rZXktb25seS1mb3ItdGhlLXRlc3Q="
    ),
    "BLIND_INDEX_KEY": "Zm9yLXRoZS1ibGluZC1pbmRleC1vZi10aGUtY2NjZC0x",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    # Only what a shell has, not the variables the test settings put into this process.
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "VAR_DIR": str(tmp_path)})
    clean.update({k: v.format(var=tmp_path) for k, v in env.items()})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_is_clean_with_production_variables(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_is_off_unless_asked_for(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env=PRODUCTION,
        tmp_path=tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
        ("FIELD_ENCRYPTION_KEYS", "FIELD_ENCRYPTION_KEYS"),
        ("BLIND_INDEX_KEY", "BLIND_INDEX_KEY"),
    ],
)
def test_missing_production_variable_stops_with_one_clear_message(tmp_path, missing, expected):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Lỗi cấu hình / Configuration error:")
    assert expected in lines[0]


def test_unreachable_database_stops_with_one_clear_message_without_the_password(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": "postgres://artisan:s3cret-pw@127.0.0.1:9/nghenhan"}
    result = manage("migrate", "--noinput", env=env, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Không kết nối được cơ sở dữ liệu / Cannot reach the database")
    assert "s3cret-pw" not in result.stderr
    assert "127.0.0.1:9/nghenhan" in lines[0]


def test_migrate_connects_with_the_owner_url_and_everything_else_with_the_application_url(tmp_path):
    env = {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": "sqlite:///{var}/application.sqlite3",
        "DATABASE_MIGRATE_URL": "sqlite:///{var}/owner.sqlite3",
    }
    migrated = manage("migrate", "--noinput", env=env, tmp_path=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "owner.sqlite3").exists() and not (tmp_path / "application.sqlite3").exists()
    script = "from django.db import connection; print(connection.settings_dict['NAME'])"
    used = manage("shell", "-c", script, env=env, tmp_path=tmp_path)
    assert used.stdout.strip().splitlines()[-1] == str(tmp_path / "application.sqlite3"), used.stderr


def test_an_unreachable_owner_database_is_named_by_its_variable_without_the_password(tmp_path):
    env = {**PRODUCTION, "DATABASE_MIGRATE_URL": "postgres://owner:0wner-pw@127.0.0.1:9/nghenhan"}
    result = manage("migrate", "--noinput", env=env, tmp_path=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_MIGRATE_URL=postgres://owner:***@127.0.0.1:9/nghenhan" in lines[0]
    assert "0wner-pw" not in result.stderr


def test_an_encryption_key_that_is_not_a_fernet_key_stops_with_one_clear_message(tmp_path):
    result = manage("check", env={**PRODUCTION, "FIELD_ENCRYPTION_KEYS": "too-short"}, tmp_path=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "FIELD_ENCRYPTION_KEYS" in lines[0]
    assert "too-short" not in lines[0]


def test_development_mode_runs_without_a_secret_key(tmp_path):
    result = manage("check", env={"DJANGO_DEBUG": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_language_time_zone_and_embedded_defaults(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert settings.ANONYMOUS_USER_NAME is None
    assert settings.VIEWFLOW == {"AUTOREGISTER": False}
    assert str(settings.MEDIA_ROOT).startswith(str(settings.VAR_DIR))
    assert settings.MEDIA_URL is None  # uploads are never served by URL, only through checked views


def test_embedded_broker_is_the_default(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CELERY_BROKER_URL)",
        env={"DJANGO_DEBUG": "1"},
        tmp_path=tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}", (
        result.stderr
    )


def test_models_and_migrations_agree_even_without_any_configuration(tmp_path):
    """makemigrations reads only code: it runs bare (the quick gate before a commit) and finds nothing."""
    result = manage("makemigrations", "--check", "--dry-run", env={}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_a_serving_command_still_needs_the_production_variables(tmp_path):
    result = manage("migrate", "--check", env={}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr


WORKER_SETTINGS = """
import json
from celery import current_app
from django.conf import settings
conf = current_app.conf
sweeps = ["documents.requeue_stale", "notifications.hand_over", "notifications.reminder_sweep",
          "workflows.flush_batch_documents"]
schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
print(json.dumps({
    "sweeps": [schedule[name] for name in sweeps],
    "stale": [settings.DOCUMENTS_STALE_SECONDS, settings.NOTIFICATIONS_STALE_SECONDS],
    "retry": [conf.broker_connection_retry, conf.broker_connection_retry_on_startup,
              conf.broker_connection_max_retries],
    "cancel": conf.worker_cancel_long_running_tasks_on_connection_loss,
    "pool": [conf.worker_pool, conf.worker_concurrency, conf.worker_max_tasks_per_child,
             conf.worker_max_memory_per_child],
    "transport": conf.broker_transport_options,
}))
"""


@pytest.mark.parametrize(
    ("broker", "transport"),
    [
        ("amqp://guest:guest@rabbit:5672/nghenhan", {"confirm_publish": True}),
        ("redis://redis:6379/0", {"visibility_timeout": 7200, "socket_keepalive": True}),
    ],
)
def test_the_worker_waits_for_the_broker_and_is_recycled(tmp_path, broker, transport):
    """As production reads them (celery's own names, from the CELERY_* settings): the worker retries the
    broker for ever; a prefork pool recycled by task count and memory; the sweeps' intervals and
    thresholds; per-broker transport options."""
    import json

    env = {**PRODUCTION, "CELERY_BROKER_URL": broker, "CELERY_WORKER_MAX_TASKS_PER_CHILD": "300"}
    result = manage("shell", "-c", "import config.celery\n" + WORKER_SETTINGS, env=env, tmp_path=tmp_path)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    # what was never queued is queued within a minute; what was queued and lost, after ten
    assert found["sweeps"] == [30.0, 30.0, 300.0, 60.0]
    assert found["stale"] == [600, 600]
    assert found["retry"] == [True, True, None]
    assert found["cancel"] is False
    assert found["pool"] == ["prefork", None, 300, 400_000]  # None: one process per core
    assert found["transport"] == {**found["transport"], **transport}
