"""The lists' Excel download (`?format=xlsx`): one writer for every list page.

A view builds its rows from the very queryset (or selector) its page shows, and hands them here with the
columns. The workbook is written by XlsxWriter in its constant-memory mode (one row at a time, flushed to
a temporary file) and the file is streamed out, so a list of thousands of rows stays small in memory.
Headers are translated (the user's language); dates are real date cells shown dd/mm/yyyy; the header row
is bold and frozen; no string is ever read as a formula, a number or a link. Each export writes one line
to the security log (`core.security_log`): who, which list, which filters, how many rows.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.http import FileResponse, HttpRequest
from django.utils import timezone

from core.security_log import security_event

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows flushed as they are written: memory does not grow with the list
    "in_memory": False,  # the parts go through temporary files, not a BytesIO
    "strings_to_formulas": False,  # "=1+1" typed in a name stays text
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
TEXT, DATE, NUMBER = "text", "date", "number"


@dataclass(frozen=True)
class Column:
    """A column of the sheet: its header (translated when the sheet is written), width in characters
    and the kind of its cells (TEXT, DATE or NUMBER)."""

    header: str
    width: int = 20
    kind: str = TEXT


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def file_name(stem: str) -> str:
    """`<stem>-<yyyymmdd>.xlsx`, the local date: `danh-sach-ho-so-20261204.xlsx`."""
    return f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"


def _write_row(sheet, row: int, columns: Sequence[Column], values: Sequence, formats: dict) -> None:
    for col, (column, value) in enumerate(zip(columns, values, strict=True)):
        if value is None or value == "":
            continue
        if column.kind == DATE and isinstance(value, datetime.date):
            if isinstance(value, datetime.datetime):
                value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
            sheet.write_datetime(row, col, value, formats[DATE])
        elif column.kind == NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(row, col, value)
        else:
            # always a string cell: whatever it starts with ("=", "+", "@"), never a formula
            sheet.write_string(row, col, str(value))


def xlsx_response(
    request: HttpRequest,
    *,
    stem: str,
    sheet_name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    list_name: str,
    filters: Mapping[str, object] | None = None,
) -> FileResponse:
    """Write `rows` (one sequence of values per row, in the order of `columns`) under a header row and
    answer with the file as an attachment named after `stem`. Logs the export."""
    # removed by the system when FileResponse closes it after the last byte (or here, on an error)
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (outlives this function)
    try:
        count = _write_workbook(out, sheet_name=sheet_name, columns=columns, rows=rows)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    security_event(
        "list_exported", request=request, list=list_name, filters=filters_text(filters), rows=count
    )
    return as_download(
        FileResponse(out, as_attachment=True, filename=file_name(stem), content_type=XLSX_CONTENT_TYPE)
    )


def as_download(response: FileResponse) -> FileResponse:
    """A file, not a page: nothing in it may run or load, whatever opens it (as the other downloads)."""
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _write_workbook(out, *, sheet_name: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> int:
    """The workbook of one sheet into the file `out`; returns the number of rows under the header."""
    import xlsxwriter  # here: the worker and most pages never write a workbook (10 MB a process)

    workbook = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    formats = {
        "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}),
        DATE: workbook.add_format({"num_format": "dd/mm/yyyy", "align": "left"}),
    }
    sheet = workbook.add_worksheet(re.sub(r"[\[\]:*?/\\]", "-", sheet_name)[:31])  # Excel's rules
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, str(column.header), formats["header"])
    count = 0
    for count, values in enumerate(rows, start=1):
        _write_row(sheet, count, columns, values, formats)
    if count:
        sheet.autofilter(0, 0, count, len(columns) - 1)
    workbook.close()
    return count


def filters_text(filters: Mapping[str, object] | None) -> str:
    """The filters that narrowed the list, for the log: `round=3 state=submitted`. A search text may be a
    person's name, and the security log holds no names: only that there was one is written (`q=*`)."""
    parts = []
    for key, value in (filters or {}).items():
        if value is None or value == "":
            continue
        if key == "q":
            value = "*"
        elif isinstance(value, bool):
            value = int(value)
        parts.append(f"{key}={value}")
    return " ".join(parts) or "-"
