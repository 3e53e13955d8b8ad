"""Reading an uploaded Excel workbook (.xlsx) safely: what it is is decided by its content, and only plain
values are read.

``read_xlsx_rows`` refuses, with a ``ValidationError`` whose code callers and tests match on:

- ``file_empty`` / ``file_too_large``: nothing, or more than ``max_bytes``;
- ``xlsx_not_a_workbook``: not a ZIP, or a ZIP without ``[Content_Types].xml`` and ``xl/workbook.xml``
  declaring an Excel workbook (a Word file or a PDF renamed .xlsx, a legacy .xls, a template .xltx);
- ``xlsx_macros``: a macro-enabled workbook (the .xlsm content type, or a ``vbaProject.bin`` part);
- ``xlsx_unsafe``: password-protected, a zip bomb, or an XML part carrying a DOCTYPE (entity expansion);
- ``xlsx_damaged``: openpyxl cannot read it;
- ``xlsx_formula``: a cell holds a formula where a value belongs (a formula's result depends on what
  the workbook computed last, or on other files, and is not what the officer sees typed);
- ``xlsx_too_many_rows``: more than ``max_rows`` non-empty rows under the header.

Only the first worksheet is read (openpyxl, read-only mode, formulas kept as formulas), its first
``max_columns`` columns; empty rows are skipped. Nothing here knows what the columns mean.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MiB = 1024 * 1024
# A workbook is refused when its parts would expand to more than this, when it has more parts than this,
# or when one part expands more than MAX_RATIO times (a real list of nominees is far below all three).
MAX_UNCOMPRESSED = 100 * MiB
MAX_ENTRIES = 2000
MAX_RATIO = 200
CONTENT_TYPES_MAX = MiB

WORKBOOK_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and password-protected Office files


@dataclass(frozen=True)
class SheetRow:
    """A non-empty row of the sheet: its number in Excel (1 = the header) and its cell values (None for
    an empty cell; str, int, float, bool, datetime as openpyxl reads them)."""

    number: int
    values: tuple


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message % params if params else message, code=code)


def _not_a_workbook() -> ValidationError:
    return _refuse(
        _("This file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it."),
        "xlsx_not_a_workbook",
    )


def check_xlsx_container(fileobj: IO[bytes], *, max_bytes: int) -> int:
    """Refuse what is not a plain .xlsx workbook, by its content; returns its size in bytes."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise _refuse(_("The file is empty."), "file_empty")
    if size > max_bytes:
        raise _refuse(
            _("The file is %(size)s; a list of nominees can be at most %(limit)s."),
            "file_too_large",
            size=filesizeformat(size),
            limit=filesizeformat(max_bytes),
        )
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(_OLE_MAGIC):
        raise _refuse(
            _(
                "Legacy Excel files (.xls) and password-protected files are not accepted: save the list as "
                "an Excel workbook (.xlsx) without a password."
            ),
            "xlsx_not_a_workbook",
        )
    if not head.startswith(b"PK\x03\x04"):
        raise _not_a_workbook()
    try:
        with zipfile.ZipFile(fileobj) as archive:
            _check_archive(archive)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        raise _not_a_workbook() from None
    finally:
        fileobj.seek(0)
    return size


def _check_archive(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(_("The archive has too many parts to be a list of nominees."), "xlsx_unsafe")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse(_("Password-protected files are not accepted."), "xlsx_unsafe")
        total += info.file_size
        if info.file_size > MiB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(_("The archive expands to an implausible size."), "xlsx_unsafe")
    if total > MAX_UNCOMPRESSED:
        raise _refuse(_("The archive expands to an implausible size."), "xlsx_unsafe")
    names = {info.filename for info in infos}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _macros()
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_a_workbook()
    with archive.open("[Content_Types].xml") as part:
        content_types = part.read(CONTENT_TYPES_MAX)
    if MACRO_CONTENT_TYPE in content_types:
        raise _macros()
    if WORKBOOK_CONTENT_TYPE not in content_types:
        raise _not_a_workbook()
    # No workbook written by Excel, LibreOffice or XlsxWriter declares a DTD: one that does may be trying
    # entity expansion against the XML parser, so it is refused before openpyxl reads anything.
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as part:
                start = part.read(4096)
            if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                raise _refuse(_("The workbook contains XML that is not accepted."), "xlsx_unsafe")


def _macros() -> ValidationError:
    return _refuse(
        _("Workbooks with macros (.xlsm) are not accepted: save the list as an Excel workbook (.xlsx)."),
        "xlsx_macros",
    )


def read_xlsx_rows(fileobj: IO[bytes], *, max_bytes: int, max_rows: int, max_columns: int) -> list[SheetRow]:
    """The non-empty rows of the first worksheet (the header first), after check_xlsx_container; see the
    module's docstring for the refusals."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    check_xlsx_container(fileobj, max_bytes=max_bytes)
    rows: list[SheetRow] = []
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises whatever its parsers raise on a damaged part
        raise _refuse(
            _("The workbook is damaged and cannot be read: open it in Excel, save it again and upload it."),
            "xlsx_damaged",
        ) from None
    try:
        if not workbook.worksheets:
            raise _not_a_workbook()
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(max_col=max_columns), start=1):
            values = []
            for index, cell in enumerate(cells, start=1):
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or isinstance(
                    value, ArrayFormula | DataTableFormula
                ):
                    raise _refuse(
                        _(
                            "Cell %(cell)s holds a formula. Type the values themselves (in Excel: copy the "
                            "cells, then Paste Special → Values) and upload the file again."
                        ),
                        "xlsx_formula",
                        cell=f"{get_column_letter(index)}{number}",
                    )
                if isinstance(value, str) and not value.strip():
                    value = None
                values.append(value)
            if all(value is None for value in values):
                continue
            rows.append(SheetRow(number=number, values=tuple(values)))
            if len(rows) > max_rows + 1:  # the header and max_rows rows under it
                raise _refuse(
                    _("The list has more than %(max)d rows; split it into several files."),
                    "xlsx_too_many_rows",
                    max=max_rows,
                )
    except ValidationError:
        raise
    except Exception:
        raise _refuse(
            _("The workbook is damaged and cannot be read: open it in Excel, save it again and upload it."),
            "xlsx_damaged",
        ) from None
    finally:
        workbook.close()
    return rows
