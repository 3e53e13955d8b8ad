"""The dossier list's Excel download of the whole national round (`/ho-so/?round=<id>&format=xlsx`, as the
ministry sees it), beside XlsxWriter alone writing the same rows to a temporary file.

Time: medians of requests through Django's test client (the view's query, the rows, the workbook, the
file streamed to the end), alternated with the library writing the same cells, so that both see the same
machine load. Memory: the largest amount of Python memory the request held at once above what was held
before it (tracemalloc, in a request of its own, untimed: tracing slows Python down), and the growth of
this process's peak resident set during that request.
"""

from __future__ import annotations

import gc
import io
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

MB = 1024 * 1024


def _download(client, url: str) -> tuple[bytes, int]:
    """The file the view answers with, read to its last byte as a server sends it; (content, size)."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    content = b"".join(response.streaming_content)
    response.close()
    return content, len(content)


def _stream(client, url: str) -> int:
    """As _download, without keeping the file: only its size (what a server holds is a chunk at a time)."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return size


def _rows_of(content: bytes) -> list[tuple]:
    """The data rows of the exported sheet (under its header), as openpyxl reads them back: the very
    cells the library alone is then timed writing."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = [tuple(row) for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    book.close()
    return rows


def _library_write(columns, rows: list[tuple]) -> None:
    """XlsxWriter alone, constant-memory mode: the same columns (headers, widths, kinds), a bold frozen
    header row, date cells, numbers, strings and the filter, into a temporary file."""
    import xlsxwriter

    from web.xlsx import DATE, NUMBER

    with tempfile.TemporaryFile(suffix=".xlsx") as out:
        book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
        bold = book.add_format({"bold": True})
        date = book.add_format({"num_format": "dd/mm/yyyy"})
        sheet = book.add_worksheet("Dossiers")
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width)
        sheet.freeze_panes(1, 0)
        for index, column in enumerate(columns):
            sheet.write_string(0, index, str(column.header), bold)
        kinds = [column.kind for column in columns]
        for number, values in enumerate(rows, start=1):
            for index, value in enumerate(values):
                if value is None:
                    continue
                if kinds[index] == DATE:
                    sheet.write_datetime(number, index, value, date)
                elif kinds[index] == NUMBER:
                    sheet.write_number(number, index, value)
                else:
                    sheet.write_string(number, index, value)
        if rows:
            sheet.autofilter(0, 0, len(rows), len(columns) - 1)
        book.close()


def _traced_peak_mb(work) -> float:
    """The highest Python memory `work()` held at once, above what was held when it started, in MB."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / MB, 1)


def _rss_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _rss_growth_mb(work) -> float | None:
    """How far this process's peak resident set rose above its resident set while `work()` ran, in MB:
    the peak is reset first (Linux: `5` written to /proc/self/clear_refs); None where it cannot be. A
    lower bound: memory this long-lived process freed earlier is used again without growing it."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    before = _rss_kb("VmRSS")
    work()
    peak = _rss_kb("VmHWM")
    if before is None or peak is None:
        return None
    return round(max(0, peak - before) / 1024, 1)


def measure_export(user, round_number: int, repeat: int) -> dict:
    """The download of every dossier of the round numbered `round_number` by `user` (who sees them all),
    `repeat` times alternated with the library alone, then once traced for its memory."""
    from dossiers.models import Dossier, Round
    from web.dossier_views import DOSSIER_COLUMNS

    from .pages import _percentile, _signed_in_client

    round_ = Round.objects.get(number=round_number)
    url = f"/ho-so/?{urlencode({'round': round_.pk, 'format': 'xlsx'})}"
    client = _signed_in_client(user)
    content, size = _download(client, url)  # also the warm-up
    rows = _rows_of(content)
    del content
    _library_write(DOSSIER_COLUMNS, rows)  # warm-up
    served, written = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        _stream(client, url)
        served.append(time.perf_counter() - started)
        started = time.perf_counter()
        _library_write(DOSSIER_COLUMNS, rows)
        written.append(time.perf_counter() - started)
    ms = statistics.median(served) * 1000
    library_ms = statistics.median(written) * 1000
    return {
        "url": url,
        "rows": len(rows),
        "rows_expected": Dossier.objects.filter(round=round_).count(),
        "columns": len(DOSSIER_COLUMNS),
        "kb": round(size / 1024, 1),
        "repetitions": repeat,
        "ms": round(ms, 2),
        "p95_ms": round(_percentile(served, 0.95) * 1000, 2),
        "library_ms": round(library_ms, 2),
        "ratio": round(ms / library_ms, 2) if library_ms else None,
        "peak_mb": _traced_peak_mb(lambda: _stream(client, url)),
        "library_peak_mb": _traced_peak_mb(lambda: _library_write(DOSSIER_COLUMNS, rows)),
        "rss_growth_mb": _rss_growth_mb(lambda: _stream(client, url)),
    }
