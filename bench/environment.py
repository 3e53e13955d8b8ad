"""The run's own database, temporary directory and Celery queue, the processes it starts (a Celery worker,
gunicorn) and what it reads of the machine. Nothing outside these is touched."""

from __future__ import annotations

import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from core.crypto import new_key  # needs no settings: the keys it makes go into the run's environment

ROOT = Path(__file__).resolve().parent.parent

# --- the run's own database, directory and queue ---------------------------------------------------


def _postgres_bench_url(url: str) -> tuple[str, str, str]:
    """(admin url, bench url, bench database name) for a DATABASE_URL on PostgreSQL. The bench database is
    created and dropped through the server's maintenance database `postgres`, which always exists (the
    database DATABASE_URL names need not: in CI it is only the prefix of pytest's test database)."""
    parts = urlsplit(url)
    name = f"nghenhan_bench_{os.getpid()}"
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    bench = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
    return admin, bench, name


def _pg_execute(admin_url: str, sql: str) -> None:
    import psycopg

    conninfo = admin_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql)


def prepare_environment(args, workdir: Path) -> dict:
    # The bench runs as the owner (DATABASE_MIGRATE_URL when there is one): it creates its own database,
    # migrates it and measures; the application role's privileges are no part of what it measures.
    given = os.environ.get("DATABASE_MIGRATE_URL") or os.environ.get("DATABASE_URL", "")
    info = {"workdir": workdir}
    if given.startswith(("postgres://", "postgresql://", "pgsql://")):
        admin, bench, name = _postgres_bench_url(given)
        _pg_execute(admin, f'CREATE DATABASE "{name}"')
        info.update(engine="postgresql", admin_url=admin, db_name=name, database_url=bench)
    else:
        info.update(engine="sqlite", database_url=f"sqlite:///{workdir / 'bench.sqlite3'}")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        broker = (
            "redis://127.0.0.1:6379/0"
            if info["engine"] == "postgresql" and _port_open(6379)
            else f"sqla+sqlite:///{workdir / 'broker.sqlite3'}"
        )
    info["broker"] = broker
    info["queue"] = f"bench-{os.getpid()}-{secrets.token_hex(4)}"
    info["env"] = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # DEBUG is off, as in production, so the personal-data keys must be given: fresh ones per run.
        "FIELD_ENCRYPTION_KEYS": new_key(),
        "BLIND_INDEX_KEY": new_key(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "VAR_DIR": str(workdir),
        "DATABASE_URL": info["database_url"],
        "DATABASE_MIGRATE_URL": info["database_url"],
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "BENCH_QUEUE": info["queue"],
        "EMAIL_URL": "dummymail://",
        "DOCUMENTS_SOFFICE": "/nonexistent/soffice",  # PDF renditions are LibreOffice's time, not ours
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(info["env"])
    return info


def cleanup(info: dict, keep: bool) -> None:
    if keep:
        print(f"kept: {info['database_url']} and {info['workdir']}")
        return
    try:  # what the worker had not reached: the run's own queue only
        from config.celery import app

        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(info["queue"])
    except Exception as exc:  # a queue left on the broker is no reason to fail the run
        print(f"queue {info['queue']} not deleted: {exc}")
    if info["engine"] == "postgresql":
        _pg_execute(info["admin_url"], f'DROP DATABASE IF EXISTS "{info["db_name"]}" WITH (FORCE)')
    shutil.rmtree(info["workdir"], ignore_errors=True)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- processes -----------------------------------------------------------------------------------


def start_worker(info: dict) -> subprocess.Popen:
    log = open(info["workdir"] / "worker.log", "wb")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--queues", info["queue"], "--hostname", f"{info['queue']}@localhost", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env={**os.environ, **info["env"]}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def start_web(info: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    log = open(info["workdir"] / "web.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **info["env"]}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited: " + (info["workdir"] / "web.log").read_text()[-2000:])
        if _port_open(port) and len(_children(proc.pid)) >= workers:
            return proc, port
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in 60 s")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident set (VmHWM), in MB; None where /proc has no such figure."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _wait_for_worker(limit: float) -> dict:
    """What the worker has not done yet once `limit` seconds have passed (documents still queued,
    events not yet dispatched)."""
    from documents.models import GeneratedDocument
    from notifications.models import EventRecord

    deadline = time.monotonic() + limit
    while True:
        left = {
            "documents": GeneratedDocument.objects.filter(status=GeneratedDocument.Status.QUEUED).count(),
            "events": EventRecord.objects.filter(dispatched_at__isnull=True).count(),
        }
        if not any(left.values()) or time.monotonic() > deadline:
            return left
        time.sleep(1)


def machine(info: dict) -> dict:
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(
            next(
                x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")
            ).split()[1]
        )
    except (OSError, StopIteration):
        mem_kb = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("select sqlite_version()")
            database = "SQLite " + cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "database": database,
        "broker": info["broker"].split(":", 1)[0],
    }
