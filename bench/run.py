"""`make bench`: seed a national round in a throw-away database and measure it, every figure beside a
baseline measured in the same run (the machine may be busy with other work: only ratios compare).

    python -m bench.run [--scale 1.0] [--output bench/results] [--only list_pages,documents,tally]

PostgreSQL when DATABASE_URL points to it (a database `nghenhan_bench_<pid>` is created next to the one
named, and dropped at the end), else a temporary SQLite file. Nothing outside the run's own database,
temporary directory and Celery queue is touched. Writes latest.json and latest.md and prints the table.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import random
import secrets
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from core.crypto import new_key  # needs no settings: the keys it makes go into the run's environment

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = 34
DOSSIERS_PER_PROVINCE = 100  # the national round: 34 x 100 = 3,400
GROWTH_KEYS = ("dossiers", "transitions", "notifications", "events_dispatched_here", "seconds")
TARGETS = {"queries": 15, "page_ratio": 5.0, "growth_ratio": 11.0, "doc_ratio": 1.5}


def parse(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=float, default=1.0, help="share of the 100 dossiers per province (1.0)")
    p.add_argument("--provinces", type=int, default=PROVINCES)
    p.add_argument("--tally-dossiers", type=int, default=100, help="agenda of the tallied session (100)")
    p.add_argument("--clients", type=int, default=50, help="concurrent HTTP ballot clients (50)")
    p.add_argument("--ballot-dossiers", type=int, default=10, help="agenda of each ballot session (10)")
    p.add_argument("--web-workers", type=int, default=max(2, 2 * (os.cpu_count() or 1)))
    p.add_argument("--repeat", type=int, default=15, help="timed requests per page (15)")
    p.add_argument("--documents", type=int, default=20, help="builds per document kind (20)")
    p.add_argument("--worker-wait", type=int, default=600, help="longest wait for the worker's queue, s")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--output", type=Path, default=ROOT / "bench" / "results")
    p.add_argument("--keep", action="store_true", help="keep the database and temporary files")
    p.add_argument(
        "--only",
        type=_parts,
        default=PARTS,
        help=f"comma-separated parts to measure, of {','.join(PARTS)} (all); the rounds are seeded "
        "whatever is chosen, and a partial run writes partial.json and partial.md, never latest.*",
    )
    return p.parse_args(argv)


PARTS = ("list_pages", "tally", "documents", "ballots")


def _parts(value: str) -> tuple[str, ...]:
    chosen = tuple(x.strip() for x in value.split(",") if x.strip())
    unknown = [x for x in chosen if x not in PARTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown part(s) {unknown or value!r}: of {','.join(PARTS)}")
    return tuple(x for x in PARTS if x in chosen)


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
    given = os.environ.get("DATABASE_URL", "")
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


# --- measurements ----------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def page_sample(client, url: str, repeat: int) -> dict:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    client.get(url)  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(queries),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "bytes": len(response.content),
    }


PAGES = {
    "dossier list": "/ho-so/",
    "inbox": "/ho-so/viec-can-lam/",
    "documents": "/ho-so/van-ban/",
    "notifications": "/thong-bao/",
}


def page_users(open_round) -> dict:
    """One user per role, from the round with open work (their inboxes are not empty)."""
    first = open_round.sessions[0]
    actors = open_round.actors
    province = next(iter(actors.officers))
    return {
        "provincial_officer": actors.officers[province],
        "council_secretary": first.secretary,
        "council_member": first.voters[1].user,
        "ministry_clerk": actors.clerk,
        "ministry_leader": actors.leader,
    }


def measure_pages(users: dict, repeat: int) -> dict:
    from django.test import Client

    rows = {}
    baselines = {}
    for role, user in users.items():
        client = _signed_in_client(user)
        baselines[role] = page_sample(client, "/bench/baseline/", repeat)
        for page, url in PAGES.items():
            rows[(role, page)] = page_sample(client, url, repeat)
    rows[("public", "public list")] = page_sample(Client(), "/cong-khai/", repeat)
    baselines["public"] = baselines["ministry_clerk"]
    return {"rows": rows, "baselines": baselines}


def list_page_rows(small: dict, large: dict) -> list[dict]:
    out = []
    for (role, page), figures in large["rows"].items():
        base = large["baselines"][role]
        out.append(
            {
                "role": role,
                "page": page,
                "url": PAGES.get(page, "/cong-khai/"),
                "queries_small": small["rows"][(role, page)]["queries"],
                "queries_large": figures["queries"],
                "median_ms": figures["median_ms"],
                "p95_ms": figures["p95_ms"],
                "baseline_median_ms": base["median_ms"],
                "baseline_p95_ms": base["p95_ms"],
                "baseline_queries": base["queries"],
                "ratio": round(figures["p95_ms"] / base["p95_ms"], 2) if base["p95_ms"] else None,
                "kb": round(figures["bytes"] / 1024, 1),
            }
        )
    return out


def measure_tally(session) -> dict:
    """Every member's ballot through ballot_cast, then the close: the count alone (rolled back) and the
    whole close the procedure runs (count, one result transition per dossier, the minutes requested)."""
    from django.db import transaction

    from councils.services import ballot_cast, ballot_close
    from workflows.services import council_ballot_close

    started = time.perf_counter()
    for dossier in session.agenda:
        for member in session.voters:
            ballot_cast(session=session.session, dossier=dossier, choice="agree", by=member.user)
    cast_s = time.perf_counter() - started
    ballots = len(session.agenda) * len(session.voters)
    with transaction.atomic():
        started = time.perf_counter()
        ballot_close(session=session.session, by=session.secretary)
        count_ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    started = time.perf_counter()
    tallies = council_ballot_close(session=session.session, by=session.secretary, request_id="bench")
    close_ms = (time.perf_counter() - started) * 1000
    return {
        "dossiers": len(session.agenda),
        "members": len(session.voters),
        "count_ms": round(count_ms, 1),
        "close_ms": round(close_ms, 1),
        "passed": sum(1 for t in tallies if t.passed),
        "ballots_cast_by_service_per_second": round(ballots / cast_s, 1),
    }


def _signed_in_client(user):
    """A test client with the session a real sign-in leaves: logged in, the second factor passed (the
    user gets a TOTP device if none) and authenticated just now, so that the ballot's re-authentication
    window is open."""
    from django.test import Client

    from accounts.auth import session_pass_second_factor

    client = Client()
    client.force_login(user)
    session_pass_second_factor(client.session, user, device_name="bench")
    return client


def _client_cookies(user) -> str:
    from django.conf import settings

    return _signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value


def measure_ballots(sessions: list, clients: int, port: int) -> dict:
    """`clients` members (of several councils), each logged in, all starting at once: every member casts a
    ballot on each dossier of the agenda, then sends its first ballot again (it must be refused)."""
    from django.conf import settings
    from django.db.models import Count

    from councils.models import Ballot, BallotParticipation

    plans = []
    voters = [
        (s, s.voters[i])
        for i in range(max(len(s.voters) for s in sessions))
        for s in sessions
        if i < len(s.voters)
    ]
    if len(voters) < clients:
        raise RuntimeError(f"only {len(voters)} voters for {clients} clients")
    alphabet = string.ascii_letters + string.digits
    for s, member in voters[:clients]:
        token = "".join(secrets.choice(alphabet) for _ in range(32))
        cookie = f"{settings.SESSION_COOKIE_NAME}={_client_cookies(member.user)}; csrftoken={token}"
        posts = [(d.pk, "agree") for d in s.agenda] + [(s.agenda[0].pk, "disagree")]
        plans.append((s.session.pk, cookie, token, posts))
    outcomes: list[tuple[str, int, float]] = []  # (expected, status, ms)
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(plan):
        session_id, cookie, token, posts = plan
        barrier.wait()
        for n, (dossier_id, choice) in enumerate(posts):
            expected = "stored" if n < len(posts) - 1 else "refused"
            body = urlencode({"dossier": dossier_id, "choice": choice})
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request(
                    "POST",
                    f"/hoi-dong/phien/{session_id}/phieu/",
                    body=body,
                    headers={
                        "Cookie": cookie,
                        "X-CSRFToken": token,
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
                status = conn.getresponse().status
                conn.close()
            except OSError:
                status = 0
            with lock:
                outcomes.append((expected, status, (time.perf_counter() - started) * 1000))

    threads = [threading.Thread(target=client, args=(plan,)) for plan in plans]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ids = [s.session.pk for s in sessions]
    stored_ok = sum(1 for e, st, _ in outcomes if e == "stored" and st == 302)
    refused_ok = sum(1 for e, st, _ in outcomes if e == "refused" and st == 400)
    participations = BallotParticipation.objects.filter(session_id__in=ids)
    repeated = (
        participations.values("session", "dossier", "membership")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    per_dossier_p = dict(
        ((r["session"], r["dossier"]), r["n"])
        for r in participations.values("session", "dossier").annotate(n=Count("id"))
    )
    per_dossier_b = dict(
        ((r["session"], r["dossier"]), r["n"])
        for r in Ballot.objects.filter(session_id__in=ids)
        .values("session", "dossier")
        .annotate(n=Count("id"))
    )
    expected_stored = sum(len(p[3]) - 1 for p in plans)
    stored = participations.count()
    times = [ms for _, _, ms in outcomes]
    return {
        "clients": clients,
        "sent": len(outcomes),
        "expected_stored": expected_stored,
        "stored": stored,
        "ballot_rows": Ballot.objects.filter(session_id__in=ids).count(),
        "accepted": stored_ok,
        "duplicates_sent": len(plans),
        "duplicates_refused": refused_ok,
        "duplicates": repeated,
        "lost": expected_stored - stored,
        "ballots_match_participations": per_dossier_p == per_dossier_b,
        "errors": len(outcomes) - stored_ok - refused_ok,
        "per_second": round(len(outcomes) / elapsed, 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "seconds": round(elapsed, 2),
    }


def http_pages(users: dict, port: int) -> None:
    """Each role's pages once through gunicorn, so that the web processes' peak memory includes the
    largest pages, not only ballots."""
    for user in users.values():
        cookie = f"sessionid={_client_cookies(user)}"
        for url in PAGES.values():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            conn.request("GET", url, headers={"Cookie": cookie})
            conn.getresponse().read()
            conn.close()


def _text_of(content: bytes) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return lines


def _minimal(lines: list[str]) -> bytes:
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def measure_documents(builds: int) -> dict:
    """The builders against python-docx writing the same text as plain paragraphs, alternated so that
    both see the same machine load."""
    from documents.models import GeneratedDocument
    from documents.services import render

    kinds = {"decision": ["council_decision", "decision_record"], "list": ["form_04"]}
    out = {}
    for label, names in kinds.items():
        candidates = GeneratedDocument.objects.filter(kind__in=names).only("kind", "source_data")
        document = max(candidates, key=lambda x: len(json.dumps(x.source_data)), default=None)
        if document is None:
            continue
        lines = _text_of(render(document.kind, document.source_data))
        built, minimal = [], []
        for _ in range(builds):
            started = time.perf_counter()
            render(document.kind, document.source_data)
            built.append(time.perf_counter() - started)
            started = time.perf_counter()
            _minimal(lines)
            minimal.append(time.perf_counter() - started)
        b, m = statistics.median(built), statistics.median(minimal)
        out[label] = {
            "kind": document.kind,
            "lines": len(lines),
            "per_second": round(1 / b, 1),
            "minimal_per_second": round(1 / m, 1),
            "ratio": round(b / m, 2),
        }
    return out


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


# --- the run -----------------------------------------------------------------------------------------


def run(args, info: dict) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from demo.simulation import simulate_round
    from dossiers.models import Dossier

    from .workload import open_round

    def say(message):
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

    large_dpp = max(1, round(DOSSIERS_PER_PROVINCE * args.scale))
    small_dpp = max(1, round(large_dpp / 10))
    say(f"database {info['database_url'].rsplit('/', 1)[-1]}, scale {args.scale}: migrating")
    call_command("migrate", verbosity=0)
    worker = start_worker(info)
    web = None
    try:
        say(f"growth, small: simulate_round {args.provinces} x {small_dpp}")
        small_round = simulate_round(
            provinces=args.provinces, dossiers_per_province=small_dpp, seed=args.seed
        )
        sizes = [args.tally_dossiers] + [args.ballot_dossiers] * -(-args.clients // 11)
        say(f"open work: sessions with {sizes} dossiers on their agendas")
        opened = open_round(sizes=sizes, seed=args.seed)
        users = page_users(opened)
        only = set(args.only)
        backlog_small = backlog_large = None
        if "list_pages" in only:
            say("list pages at the small size, once the worker has caught up")
            backlog_small = _wait_for_worker(args.worker_wait)
            small_pages = measure_pages(users, 1)
        say(f"growth, large: simulate_round {args.provinces} x {large_dpp}")
        large_round = simulate_round(
            provinces=args.provinces, dossiers_per_province=large_dpp, seed=args.seed + 1
        )
        if "list_pages" in only:
            say("list pages at the large size, once the worker has caught up")
            backlog_large = _wait_for_worker(args.worker_wait)
            large_pages = measure_pages(users, args.repeat)
        tally = documents = ballots = None
        if "tally" in only:
            say(f"tally of a session of {args.tally_dossiers} dossiers")
            tally = measure_tally(opened.sessions[0])
        if "documents" in only:
            say("documents")
            documents = measure_documents(args.documents)
        web_rss = []
        if "ballots" in only:
            say(f"ballots: {args.clients} clients through gunicorn ({args.web_workers} workers)")
            connection.close()
            web, port = start_web(info, args.web_workers)
            ballots = measure_ballots(opened.sessions[1:], args.clients, port)
            http_pages(users, port)
            web_rss = [peak_rss_mb(pid) for pid in _children(web.pid)]
        worker_rss = [peak_rss_mb(pid) for pid in [worker.pid, *_children(worker.pid)]]
        say(f"waiting for the worker to finish the queue (at most {args.worker_wait} s)")
        backlog = _wait_for_worker(args.worker_wait)
        worker_rss = [peak_rss_mb(pid) for pid in [worker.pid, *_children(worker.pid)]] or worker_rss
        import resource

        rows = list_page_rows(small_pages, large_pages) if "list_pages" in only else None
        d = list((documents or {}).values())
        return {
            "parts": list(args.only),
            "scale": args.scale,
            "provinces": args.provinces,
            "dossiers_small": small_round["dossiers"],
            "dossiers_large": large_round["dossiers"],
            "dossiers_total": Dossier.objects.count(),
            "list_pages": rows,
            "growth": {
                "small": {k: small_round[k] for k in GROWTH_KEYS},
                "large": {k: large_round[k] for k in GROWTH_KEYS},
            },
            "growth_ratio": round(large_round["seconds"] / small_round["seconds"], 2),
            "dossier_ratio": round(large_round["dossiers"] / small_round["dossiers"], 2),
            "tally": tally,
            "tally_ms": tally["close_ms"] if tally else None,
            "documents": documents,
            "doc_ratio": max((x["ratio"] for x in d), default=None),
            "ballots": ballots,
            "peak_rss_mb": {
                "web": max((x for x in web_rss if x), default=None),
                "worker": max((x for x in worker_rss if x), default=None),
                "bench": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "web_workers": args.web_workers,
            },
            "worker_backlog_left": {
                "small_pages": backlog_small,
                "large_pages": backlog_large,
                "end": backlog,
            },
            "machine": machine(info),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    finally:
        stop(web)
        stop(worker)
        connection.close()


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


# --- report ----------------------------------------------------------------------------------------


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def markdown(r: dict) -> str:
    m = r["machine"]
    lines = [
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, {m['os']}, Python {m['python']}, "
        f"{m['database']}, broker {m['broker']}. Scale {r['scale']}: growth {r['dossiers_small']} → "
        f"{r['dossiers_large']} dossiers; {r['dossiers_total']} dossiers in the database at the end."
        + ("" if _complete(r) else f" Partial run: {', '.join(r.get('parts', PARTS))} only."),
    ]
    rows = r["list_pages"]
    if rows:
        lines += [
            "",
            "| role | page | queries (small → large) | median ms | p95 ms | baseline p95 ms | ratio |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            lines.append(
                f"| {row['role']} | {row['page']} | {row['queries_small']} → {row['queries_large']} | "
                f"{row['median_ms']} | {row['p95_ms']} | {row['baseline_p95_ms']} | {row['ratio']} |"
            )
    g, t, b, p = r["growth"], r["tally"], r["ballots"], r["peak_rss_mb"]
    lines += ["", "| figure | value | target |", "|---|---|---|"]
    if rows:
        constant = all(x["queries_small"] == x["queries_large"] <= TARGETS["queries"] for x in rows)
        worst = max(rows, key=lambda x: x["ratio"] or 0)
        pages_ok = all((x["ratio"] or 0) <= TARGETS["page_ratio"] for x in rows)
        lines += [
            f"| list pages: queries constant, ≤ {TARGETS['queries']} | "
            f"max {max(x['queries_large'] for x in rows)} | {_mark(constant)} |",
            f"| list pages: worst p95 ratio | {worst['ratio']} ({worst['role']}, {worst['page']}) | "
            f"≤ {TARGETS['page_ratio']}: {_mark(pages_ok)} |",
        ]
    lines.append(
        f"| growth: simulate_round {g['small']['dossiers']} → {g['large']['dossiers']} dossiers | "
        f"{g['small']['seconds']} s → {g['large']['seconds']} s, ratio {r['growth_ratio']} | "
        f"≤ {TARGETS['growth_ratio']}: {_mark(r['growth_ratio'] <= TARGETS['growth_ratio'])} |"
    )
    if t:
        lines.append(
            f"| tally: {t['dossiers']} dossiers × {t['members']} members | count {t['count_ms']} ms; whole "
            f"close (count + {t['dossiers']} result transitions + minutes) {t['close_ms']} ms | — |"
        )
    if r["documents"] is not None:
        docs = "; ".join(
            f"{label} ({x['kind']}): {x['per_second']}/s vs {x['minimal_per_second']}/s minimal, "
            f"ratio {x['ratio']}"
            for label, x in r["documents"].items()
        )
        lines.append(
            f"| documents | {docs} | ≤ {TARGETS['doc_ratio']}: "
            f"{_mark(r['doc_ratio'] is not None and r['doc_ratio'] <= TARGETS['doc_ratio'])} |"
        )
    if b:
        lines.append(
            f"| ballots over HTTP, {b['clients']} clients | sent {b['sent']}, stored {b['stored']} of "
            f"{b['expected_stored']}, duplicates stored {b['duplicates']}, duplicates refused "
            f"{b['duplicates_refused']} of {b['duplicates_sent']}, errors {b['errors']}, "
            f"{b['per_second']}/s, p95 {b['p95_ms']} ms | 0 lost, 0 duplicated: "
            f"{_mark(b['lost'] == 0 and b['duplicates'] == 0 and b['errors'] == 0)} |"
        )
    lines.append(
        f"| peak RSS | web {p['web']} MB per gunicorn worker ({p['web_workers']} workers), "
        f"worker {p['worker']} MB | — |"
    )
    return "\n".join(lines) + "\n"


def _complete(r: dict) -> bool:
    return tuple(r.get("parts", PARTS)) == PARTS


def main(argv=None) -> int:
    args = parse(argv)
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="nghenhan-bench-"))
    info = prepare_environment(args, workdir)
    try:
        results = run(args, info)
    finally:
        cleanup(info, args.keep)
    args.output.mkdir(parents=True, exist_ok=True)
    stem = "latest" if _complete(results) else "partial"  # the README's table is a complete run's
    (args.output / f"{stem}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    table = markdown(results)
    (args.output / f"{stem}.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
