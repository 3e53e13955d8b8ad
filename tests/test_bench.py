"""`make bench` runs end to end at a tiny scale and writes every figure bench/README.md reports. No timing is
asserted here (benchmarks measure; tests do not time anything): only that the figures exist, that list
pages run the same number of queries at both sizes, and that no ballot is lost or stored twice."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    # What a plain shell has: none of what the test settings put in the environment.
    left_out = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    args = ["--provinces", "2", "--scale", "0.2", "--tally-dossiers", "3", "--clients", "4"]
    args += ["--ballot-dossiers", "2", "--web-workers", "2", "--repeat", "2", "--documents", "2"]
    args += ["--transitions", "3", "--worker-concurrency", "2", "--worker-wait", "300", "--exports", "2"]
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", *args, "--output", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,  # every e-mail goes through the server-less broker, which is polled
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "| role | page |" in completed.stdout
    return json.loads((out / "latest.json").read_text()), (out / "latest.md").read_text()


def test_the_json_has_every_required_figure(results):
    data, table = results
    keys = ("list_pages", "export", "growth_ratio", "doc_ratio", "ballots", "tally_ms", "peak_rss_mb")
    for key in (*keys, "machine"):
        assert key in data
    for row in data["list_pages"]:
        assert {
            "role",
            "page",
            "queries_small",
            "queries_large",
            "p95_ms",
            "baseline_p95_ms",
            "ratio",
        } <= set(row)
    assert {"clients", "sent", "stored", "duplicates", "errors", "per_second"} <= set(data["ballots"])
    assert {"web", "worker"} <= set(data["peak_rss_mb"])
    assert {"nproc", "cpu", "python", "database"} <= set(data["machine"])
    assert {"ms", "library_ms", "ratio", "rows", "peak_mb"} <= set(data["export"])
    assert "| figure | value | target |" in table


def test_one_step_is_counted_beside_its_floors(results):
    data, table = results
    step = data["transition"]
    assert step["step"] == "submit" and step["repetitions"] == 3
    # the lock, the checks, the state, the tasks, the audit entry, the document, the events: many queries,
    # committed at least once (the step's own transaction)
    assert step["queries"] > 5 and step["queries_max"] >= step["queries"]
    assert step["commits"] >= 1
    assert step["tasks_queued"] >= 1  # the hand-over to the worker happened after the commit, in the call
    # the ORM floor: a lock, an update, two inserts (and on SQLite the BEGIN Django sends), committed once
    assert step["orm_floor_queries"] in (4, 5) and step["orm_floor_commits"] == 1
    for key in ("ms", "orm_floor_ms", "psycopg_floor_ms", "ratio_orm"):
        assert step[key] > 0, key
    assert "one step (submit)" in table


def test_the_national_round_is_timed_until_the_worker_caught_up(results):
    data, table = results
    national = data["national_round"]
    assert national["drained"], national["left"]
    assert not any(national["left"].values())
    assert data["national_round_s"] >= national["simulate_s"] > 0
    assert national["dossiers"] == data["dossiers_large"]
    assert isinstance(data["worker_lag_events"], int) and data["worker_lag_events"] >= 0
    assert "national round" in table and "events the national round dispatched itself" in table


def test_every_email_sent_is_received_once(results):
    data, table = results
    emails = data["emails"]
    # simulated users have addresses: the steps' notices went through the run's SMTP server
    assert emails["sent"] > 0
    assert emails["received"] == emails["sent"] == emails["received_distinct"]
    assert emails["failed"] == emails["waiting"] == 0
    assert "received = sent: met" in table


def test_the_worker_pool_fits_the_broker_and_its_memory_is_sampled(results):
    worker = results[0]["worker"]
    broker = os.environ.get("CELERY_BROKER_URL", "")
    server_less = broker.startswith("sqla+") or (
        not broker and "postgres" not in os.environ.get("DATABASE_URL", "")
    )
    # prefork on a server broker; threads on the server-less one (forked children lock its SQLite file)
    assert worker["pool"] == ("threads" if server_less else "prefork") and worker["concurrency"] == 2
    assert worker["samples"] > 0 and (server_less or worker["children_seen"] >= 2)
    assert worker["pool_peak_rss_mb"] >= worker["largest_process_mb"] > 0
    assert worker["pool_peak_pss_mb"] > 0


def test_list_pages_run_a_constant_number_of_queries(results):
    data, _table = results
    roles = {row["role"] for row in data["list_pages"]}
    assert roles >= {"provincial_officer", "council_member", "ministry_clerk", "public"}
    for row in data["list_pages"]:
        assert 0 < row["queries_small"] == row["queries_large"] <= 15, row


def test_the_dossier_search_is_measured_like_the_other_list_pages(results):
    data, table = results
    searches = [row for row in data["list_pages"] if row["page"].startswith("dossier search")]
    # both searches for every signed-in role: a folded name alone, then with a state and a title
    assert {(row["role"], row["page"]) for row in searches} >= {
        ("ministry_clerk", "dossier search"),
        ("ministry_clerk", "dossier search, filtered"),
        ("provincial_officer", "dossier search"),
    }
    for row in searches:
        assert row["url"].startswith("/ho-so/?q=") and "%" not in row["url"].split("&")[0], row
        if row["page"].endswith("filtered"):
            assert "&state=" in row["url"] and "&title=" in row["url"], row
        assert 0 < row["queries_small"] == row["queries_large"] <= 15, row
        assert row["p95_ms"] > 0 and row["baseline_p95_ms"] > 0
    assert "dossier search, filtered" in table


def test_the_export_of_the_national_round_is_measured_beside_the_library(results):
    data, table = results
    export = data["export"]
    # every dossier of the national round, each once, under the header row
    assert export["rows"] == export["rows_expected"] == data["dossiers_large"] > 0
    assert export["url"].startswith("/ho-so/?round=") and export["url"].endswith("format=xlsx")
    for key in ("ms", "library_ms", "ratio", "peak_mb", "library_peak_mb"):
        assert export[key] > 0, key
    # the ratio divides the unrounded medians; ms and library_ms are shown rounded to 0.01
    assert export["ratio"] == pytest.approx(export["ms"] / export["library_ms"], rel=0.01)
    assert export["peak_mb"] < 100  # a few dozen rows: anything near the target is a leak
    assert export["rss_growth_mb"] is None or export["rss_growth_mb"] >= 0
    assert "export: the national round's dossier list as .xlsx" in table


def test_every_ballot_is_stored_exactly_once(results):
    ballots = results[0]["ballots"]
    assert ballots["stored"] == ballots["expected_stored"] == ballots["ballot_rows"]
    assert ballots["duplicates"] == 0 and ballots["duplicates_refused"] == ballots["duplicates_sent"]
    assert ballots["errors"] == 0


def test_a_partial_run_names_its_parts_and_is_never_the_latest():
    sys.path.insert(0, str(ROOT))
    from bench import run

    args = run.parse(["--only", "tally,export,list_pages"])
    assert args.only == ("list_pages", "export", "tally")  # in the run's order
    assert run.parse([]).only == run.PARTS
    with pytest.raises(SystemExit):
        run.parse(["--only", "growth"])
    assert not run._complete({"parts": ["tally"]}) and run._complete({})  # older results: complete
