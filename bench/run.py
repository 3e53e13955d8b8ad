"""`make bench`: seed a national round in a throw-away database and measure it, every figure beside a
baseline measured in the same run (the machine may be busy with other work: only ratios compare).

    python -m bench.run [--scale 1.0] [--output bench/results] [--only list_pages,documents,tally]

PostgreSQL when DATABASE_URL points to it (a database `nghenhan_bench_<pid>` is created next to the one
named, and dropped at the end), else a temporary SQLite file. Nothing outside the run's own database,
temporary directory and Celery queue is touched. Writes latest.json and latest.md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

from .ballots import measure_ballots, measure_tally
from .document_builds import measure_documents
from .environment import (
    ROOT,
    PoolMemory,
    _children,
    _wait_for_worker,
    cleanup,
    emails,
    machine,
    peak_rss_mb,
    prepare_environment,
    start_smtp,
    start_web,
    start_worker,
    stop,
)
from .export import measure_export
from .pages import http_pages, list_page_rows, measure_pages, page_users, search_pages
from .report import PARTS, _complete, markdown
from .transition import PATH, measure_transition

PROVINCES = 34
DOSSIERS_PER_PROVINCE = 100  # the national round: 34 x 100 = 3,400
WORKER_LAG_GRACE_SECONDS = 60
GROWTH_KEYS = ("dossiers", "transitions", "notifications", "events_dispatched_here", "seconds")


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
    p.add_argument("--exports", type=int, default=5, help="timed downloads of the national round's list (5)")
    p.add_argument("--worker-wait", type=int, default=1800, help="longest wait for the worker's queue, s")
    p.add_argument(
        "--transitions",
        type=int,
        default=None,
        help="timed steps, each on a dossier of its own (40 x scale, at least 5)",
    )
    p.add_argument("--transition-step", choices=PATH, default="submit", help="the step timed (submit)")
    cores = os.cpu_count() or 1
    p.add_argument("--worker-concurrency", type=int, default=cores, help=f"prefork children ({cores})")
    p.add_argument(
        "--worker-max-tasks",
        type=int,
        default=500,
        help="tasks per child before it is replaced (500, as in production)",
    )
    p.add_argument(
        "--worker-max-memory", type=int, default=200, help="MB a child may hold before it is replaced"
    )
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


def _parts(value: str) -> tuple[str, ...]:
    chosen = tuple(x.strip() for x in value.split(",") if x.strip())
    unknown = [x for x in chosen if x not in PARTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown part(s) {unknown or value!r}: of {','.join(PARTS)}")
    return tuple(x for x in PARTS if x in chosen)


# --- the run -----------------------------------------------------------------------------------------


def analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them on a live server (it analyses a table once a
    tenth of it has changed): without them PostgreSQL plans the pages for the row counts of the empty
    tables it started from, hash-joining every dossier where an index gives the page's 25. Nothing on
    SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def run(args, info: dict) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.roles import Role
    from demo.simulation import simulate_round
    from dossiers.models import Dossier

    from .workload import open_round

    def say(message):
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

    large_dpp = max(1, round(DOSSIERS_PER_PROVINCE * args.scale))
    small_dpp = max(1, round(large_dpp / 10))
    say(f"database {info['database_url'].rsplit('/', 1)[-1]}, scale {args.scale}: migrating")
    call_command("migrate", verbosity=0)
    smtp = start_smtp(info)
    worker = start_worker(
        info,
        concurrency=args.worker_concurrency,
        max_tasks=args.worker_max_tasks,
        max_memory_mb=args.worker_max_memory,
    )
    pool = PoolMemory(worker.pid)
    queue = info["queue"]
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
        # The national round starts with the worker idle: its time is its own work only.
        say("waiting for the worker to catch up before the national round")
        backlog_small = _wait_for_worker(args.worker_wait, queue)
        analyze()
        if "list_pages" in only:
            say("list pages at the small size")
            searches = search_pages(users)  # the same URLs at both sizes
            small_pages = measure_pages(users, 1, searches)
        say(f"national round: simulate_round {args.provinces} x {large_dpp}, then the worker's queue")
        started = time.perf_counter()
        # the worker's lag: the events it has not dispatched within a minute of the round's last step
        large_round = simulate_round(
            provinces=args.provinces,
            dossiers_per_province=large_dpp,
            seed=args.seed + 1,
            worker_grace_seconds=WORKER_LAG_GRACE_SECONDS,
        )
        backlog_large = _wait_for_worker(args.worker_wait, queue)
        national_round_s = round(time.perf_counter() - started, 3)
        national = {
            "dossiers": large_round["dossiers"],
            "simulate_s": large_round["seconds"],
            "drain_s": round(national_round_s - large_round["seconds"], 3),
            "drained": not any(backlog_large.values()),
            "left": backlog_large,
            "emails": emails(info),
        }
        say(f"national round: {national_round_s} s, worker caught up: {national['drained']}")
        analyze()
        if "list_pages" in only:
            say("list pages at the large size")
            large_pages = measure_pages(users, args.repeat, searches)
        tally = documents = ballots = transition = export = None
        if "export" in only:
            say(f"export: the national round's {large_round['dossiers']} dossiers as .xlsx, {args.exports} x")
            export = measure_export(users[Role.MINISTRY_CLERK.value], large_round["round"], args.exports)
        if "transition" in only:
            repeat = args.transitions or max(5, round(40 * args.scale))
            say(f"one step: {repeat} x {args.transition_step}, beside its floors")
            transition = measure_transition(opened, repeat=repeat, step=args.transition_step, seed=args.seed)
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
        say(f"waiting for the worker to finish the queue (at most {args.worker_wait} s)")
        backlog = _wait_for_worker(args.worker_wait, queue)
        mail = emails(info)
        memory = pool.stop()
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
            "transition": transition,
            "national_round_s": national_round_s,
            "national_round": national,
            "worker_lag_events": large_round["events_dispatched_here"],
            "emails": {"sent": mail["sent"], "received": mail["received"], **mail},
            "dossier_ratio": round(large_round["dossiers"] / small_round["dossiers"], 2),
            "tally": tally,
            "tally_ms": tally["close_ms"] if tally else None,
            "documents": documents,
            "export": export,
            "doc_ratio": max((x["ratio"] for x in d), default=None),
            "ballots": ballots,
            "worker": {
                "pool": "threads" if info["broker"].startswith("sqla+") else "prefork",
                "concurrency": args.worker_concurrency,
                "max_tasks_per_child": args.worker_max_tasks,
                "max_memory_per_child_mb": args.worker_max_memory,
                **memory,
            },
            "peak_rss_mb": {
                "web": max((x for x in web_rss if x), default=None),
                "worker": memory["largest_process_mb"] or None,  # the largest single process of the pool
                "worker_pool": memory["pool_peak_rss_mb"] or None,  # parent + children, summed
                "worker_pool_pss": memory["pool_peak_pss_mb"] or None,
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
        pool.stop()
        stop(web)
        stop(worker)
        stop(smtp)
        connection.close()


def main(argv=None) -> int:
    args = parse(argv)
    # SIGTERM ends the run as Ctrl-C does: its worker, servers, database and files are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="nghenhan-bench-"))
    info = prepare_environment(args, workdir)
    try:
        results = run(args, info)
    finally:
        cleanup(info, args.keep)
    args.output.mkdir(parents=True, exist_ok=True)
    stem = "latest" if _complete(results) else "partial"  # bench/README.md's table is a complete run's
    (args.output / f"{stem}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    table = markdown(results)
    (args.output / f"{stem}.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
