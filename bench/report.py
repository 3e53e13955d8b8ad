"""The report: the Markdown tables of a run's results, each figure beside its target."""

from __future__ import annotations

TARGETS = {
    "queries": 15,
    "page_ratio": 5.0,
    "growth_ratio": 10.5,
    "doc_ratio": 1.5,
    "step_queries": 20,
    "step_commits": 3,
    "step_ratio_orm": 5.0,
    "national_round_s": 600,  # at scale 1.0 (3,400 dossiers)
    "worker_lag_events": 0,
    "worker_pool_rss_mb": 300,
    "export_ratio": 2.0,  # the national round's .xlsx ÷ XlsxWriter alone writing the same rows
    "export_peak_mb": 100,
}
PARTS = ("list_pages", "export", "tally", "documents", "ballots", "transition")


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _at_most(value, limit, unit: str = "") -> str:
    """`≤ limit: met`, or missed by how much (and by what share of the limit)."""
    bound = f"≤ {limit}{unit}" if limit else f"= {limit}{unit}"
    if value is None:
        return f"{bound}: not measured"
    if value <= limit:
        return f"{bound}: met"
    over = round(value - limit, 2)
    share = f" ({round(100 * over / limit)} %)" if limit else ""
    return f"{bound}: **missed** by {over}{unit}{share}"


def targets(r: dict) -> list[tuple[str, str, str]]:
    """(figure, value, target and whether it is met) for the targets of a step, the national round, the
    worker and its e-mails; only those the run measured."""
    rows = []
    s = r.get("transition")
    if s:
        rows += [
            (
                f"one step ({s['step']}): SQL queries, median of {s['repetitions']}",
                f"{s['queries']} (max {s['queries_max']}; {s['savepoints']} savepoints; "
                f"{s['tasks_queued']} tasks queued)",
                _at_most(s["queries"], TARGETS["step_queries"]),
            ),
            (
                f"one step ({s['step']}): commits",
                f"{s['commits']} (max {s['commits_max']})",
                _at_most(s["commits"], TARGETS["step_commits"]),
            ),
            (
                f"one step ({s['step']}) ÷ its ORM floor",
                f"{s['ms']} ms (p95 {s['p95_ms']}) ÷ {s['orm_floor_ms']} ms = {s['ratio_orm']}; "
                f"psycopg floor {s['psycopg_floor_ms']} ms (÷ {s['ratio_psycopg']})",
                _at_most(s["ratio_orm"], TARGETS["step_ratio_orm"]),
            ),
        ]
    x = r.get("export")
    if x:
        rows += [
            (
                f"export: the national round's dossier list as .xlsx, {x['rows']} rows ÷ XlsxWriter alone",
                f"{x['ms']} ms (p95 {x['p95_ms']}; {x['kb']} KB) ÷ {x['library_ms']} ms = {x['ratio']}; "
                f"median of {x['repetitions']}",
                _at_most(x["ratio"], TARGETS["export_ratio"]),
            ),
            (
                "export: the request's peak Python memory (tracemalloc)",
                f"{x['peak_mb']} MB (XlsxWriter alone {x['library_peak_mb']} MB; peak RSS growth "
                f"{x['rss_growth_mb']} MB)",
                f"< {TARGETS['export_peak_mb']} MB: {_mark(x['peak_mb'] < TARGETS['export_peak_mb'])}",
            ),
        ]
    n = r.get("national_round")
    if n:
        limit = TARGETS["national_round_s"]
        if not n["drained"]:
            target = f"≤ {limit} s at scale 1.0: **missed** (the worker did not catch up: {n['left']})"
        elif r["scale"] == 1.0:
            target = _at_most(r["national_round_s"], limit, " s")
        else:
            target = f"≤ {limit} s at scale 1.0 (this run: scale {r['scale']})"
        rows.append(
            (
                f"national round, {n['dossiers']} dossiers, until the worker caught up",
                f"{r['national_round_s']} s (round {n['simulate_s']} s + worker {n['drain_s']} s)",
                target,
            )
        )
    if r.get("worker_lag_events") is not None:
        rows.append(
            (
                "events the national round dispatched itself (the worker had not reached them)",
                str(r["worker_lag_events"]),
                _at_most(r["worker_lag_events"], TARGETS["worker_lag_events"]),
            )
        )
    w = r.get("worker")
    if w and "pool_peak_rss_mb" in w:
        rows.append(
            (
                f"worker peak RSS, parent + {w['concurrency']} prefork children summed",
                f"{w['pool_peak_rss_mb']} MB (proportional: {w['pool_peak_pss_mb']} MB; largest process "
                f"{w['largest_process_mb']} MB; {w['children_seen']} children in all, replaced after "
                f"{w['max_tasks_per_child']} tasks or {w['max_memory_per_child_mb']} MB)",
                _at_most(w["pool_peak_rss_mb"], TARGETS["worker_pool_rss_mb"], " MB"),
            )
        )
    e = r.get("emails")
    if e:
        ok = e["received"] == e["sent"] and e["received_distinct"] == e["received"]
        rows.append(
            (
                "e-mails: sent (recorded) / received (SMTP server)",
                f"{e['sent']} / {e['received']} ({e['received_distinct']} distinct; failed {e['failed']}, "
                f"still waiting {e['waiting']})",
                "received = sent: " + ("met" if ok else f"**missed** by {abs(e['sent'] - e['received'])}"),
            )
        )
    return rows


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
        f"{_at_most(r['growth_ratio'], TARGETS['growth_ratio'])} |"
    )
    lines += [f"| {figure} | {value} | {target} |" for figure, value, target in targets(r)]
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
