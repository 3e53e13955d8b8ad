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
    # A real SMTP server of the run's own (bench/smtp.py) receives every e-mail the worker sends.
    info["smtp_port"] = _free_port()
    info["smtp_log"] = workdir / "smtp-received.tsv"
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
        "EMAIL_URL": f"smtp://127.0.0.1:{info['smtp_port']}",  # EMAIL_HOST and EMAIL_PORT
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


def _die_with_parent() -> None:
    """In a started process, before it runs: the kernel sends it SIGTERM when the bench dies, however it
    dies (a test's timeout kills the bench with SIGKILL), so that no worker or server outlives it."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: stopped by stop() only
        pass


def start_smtp(info: dict) -> subprocess.Popen:
    """The run's SMTP server (bench/smtp.py) on info["smtp_port"], once it accepts connections."""
    log = open(info["workdir"] / "smtp.log", "wb")  # noqa: SIM115  (closed with the process)
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bench.smtp",
         "--port", str(info["smtp_port"]), "--log", str(info["smtp_log"])],
        cwd=ROOT, env={**os.environ, **info["env"]}, stdout=log, stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not _port_open(info["smtp_port"]):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError("the SMTP server did not start: " + (info["workdir"] / "smtp.log").read_text())
        time.sleep(0.1)
    return proc


def start_worker(info: dict, *, concurrency: int, max_tasks: int, max_memory_mb: int) -> subprocess.Popen:
    """A worker sized to the cores (prefork on a server broker), its children replaced after `max_tasks`
    tasks or once one holds more than `max_memory_mb` (given here, not read from the settings)."""
    log = open(info["workdir"] / "worker.log", "wb")  # noqa: SIM115  (closed with the process)
    # The server-less broker (SQLite through SQLAlchemy) is for a laptop, not production: forked children
    # polling one SQLite file lock it against each other ("database is locked" for minutes under load), so
    # there the worker runs threads, as `make run` does. Redis (with PostgreSQL) gets the production pool.
    # It is polled, and kombu sleeps a second whenever the pool may take nothing more: four messages per
    # thread, so that threads do not idle between tasks.
    if info["broker"].startswith("sqla+"):
        pool = ["--pool", "threads", "--concurrency", str(max(concurrency, 2)), "--prefetch-multiplier", "4"]
    else:
        pool = ["--pool", "prefork", "--concurrency", str(concurrency)]
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", *pool,
         "--max-tasks-per-child", str(max_tasks), "--max-memory-per-child", str(max_memory_mb * 1024),
         "--queues", info["queue"], "--hostname", f"{info['queue']}@localhost", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env={**os.environ, **info["env"]}, stdout=log, stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
    )  # fmt: skip


def start_web(info: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    log = open(info["workdir"] / "web.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **info["env"]}, stdout=log, stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
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


def _memory(pid: int) -> tuple[float, float, float] | None:
    """(resident set, proportional set, peak resident set) of a process in MB; None once it is gone.
    The proportional set counts a page shared by n processes as 1/n: forked pool children share most of
    their parent's pages, which the resident set counts in full in each of them."""
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None

    def kb(lines, name):
        return next((int(x.split()[1]) for x in lines if x.startswith(name + ":")), 0) / 1024

    return kb(status, "VmRSS"), kb(rollup, "Pss"), kb(status, "VmHWM")


class PoolMemory:
    """Samples the worker's pool (the parent and its children) every `every` seconds on a thread: the
    peak of the pool's summed resident sets (and proportional sets), the largest single process, and how
    many children it had in all (children are replaced after --max-tasks-per-child tasks or above
    --max-memory-per-child; a replaced child's peak is kept because it was sampled while alive)."""

    def __init__(self, pid: int, every: float = 1.0):
        import threading

        self.pid, self.every = pid, every
        self.rss = self.pss = self.largest = 0.0
        self.children: set[int] = set()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pool-memory", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self) -> None:
        children = _children(self.pid)
        self.children.update(children)
        seen = [m for m in (_memory(p) for p in [self.pid, *children]) if m]
        if seen:
            self.samples += 1
            self.rss = max(self.rss, sum(m[0] for m in seen))
            self.pss = max(self.pss, sum(m[1] for m in seen))
            self.largest = max(self.largest, *(m[2] for m in seen))

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join(timeout=10)
        self.sample()
        return {
            # a sum sampled each second can miss a child's short peak that its VmHWM kept: the pool held
            # at least that process's peak, so the figure is never below it
            "pool_peak_rss_mb": round(max(self.rss, self.largest), 1),
            "pool_peak_pss_mb": round(self.pss, 1),
            "largest_process_mb": round(self.largest, 1),
            "children_seen": len(self.children),
            "samples": self.samples,
        }


def _queued_messages(queue: str) -> int | None:
    """Messages waiting in the run's own queue on the broker (not those a worker has taken)."""
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            return int(conn.default_channel._size(queue))  # kombu's virtual transports (Redis, SQLAlchemy)
    except Exception:  # a transport without it: the database figures below still say what is left
        return None


def worker_backlog(queue: str | None = None) -> dict:
    """What the worker has not done yet: documents not built, events not handed to the channels, e-mails
    not sent (waiting, or being sent), and messages still in the queue."""
    from documents.models import GeneratedDocument
    from notifications.models import DigestDelivery, EmailDelivery, EventRecord

    Doc, Mail = GeneratedDocument.Status, EmailDelivery.Status
    waiting = (Mail.PENDING, Mail.SENDING)
    left = {
        "documents": GeneratedDocument.objects.filter(status__in=(Doc.QUEUED, Doc.GENERATING)).count(),
        "events": EventRecord.objects.filter(dispatched_at__isnull=True).count(),
        "emails": EmailDelivery.objects.filter(status__in=waiting).count()
        + DigestDelivery.objects.filter(status__in=waiting).count(),
    }
    if queue:
        left["queued_tasks"] = _queued_messages(queue) or 0
    return left


def _wait_for_worker(limit: float, queue: str | None = None) -> dict:
    """What the worker has not done yet once `limit` seconds have passed (worker_backlog: all zero when
    it caught up in time)."""
    deadline = time.monotonic() + limit
    while True:
        left = worker_backlog(queue)
        if not any(left.values()) or time.monotonic() > deadline:
            return left
        time.sleep(1)


def emails(info: dict) -> dict:
    """The e-mails the application recorded as sent beside those the run's SMTP server received."""
    from notifications.models import DigestDelivery, EmailDelivery

    from .smtp import received

    Mail = EmailDelivery.Status
    got = received(info["smtp_log"])
    return {
        "sent": EmailDelivery.objects.filter(status=Mail.SENT).count()
        + DigestDelivery.objects.filter(status=Mail.SENT).count(),
        "received": got["messages"],
        "received_distinct": got["distinct"],
        "failed": EmailDelivery.objects.filter(status__in=(Mail.FAILED, Mail.INTERRUPTED)).count(),
        "waiting": EmailDelivery.objects.filter(status__in=(Mail.PENDING, Mail.SENDING)).count(),
        "for_digest": EmailDelivery.objects.filter(status=Mail.DIGEST).count(),
    }


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
