"""The report: the Markdown tables of a run's results, each figure beside its target."""

from __future__ import annotations

TARGETS = {"queries": 15, "page_ratio": 5.0, "growth_ratio": 11.0, "doc_ratio": 1.5}
PARTS = ("list_pages", "tally", "documents", "ballots")


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
