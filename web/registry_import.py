"""A list of artisans of earlier rounds from Excel, for the registry: the template, reading a filled one,
and checking its rows.

A row is checked by the service that enters one earlier conferral, `conferral_import`, exactly as it
would be entered alone: for the preview in a transaction rolled back at the end (nothing is kept), at
the confirmation in the caller's transaction, which commits only if every row succeeded. The rows of one
file are checked one after another in the same transaction, so a row given twice in the file is refused
on its second line, as it would be when entered again.

The file's checks are those of every upload (`core.spreadsheets`), the header check and the cell readers
those of the nominees' import (`web.nominee_import`). The only rules here are those of reading a cell:
which column is which, a title or a province by its name, a date dd/mm/yyyy, "Có"/"Không".
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AdministrativeUnit
from core.spreadsheets import read_xlsx_rows
from core.validators import parse_vn_date
from dossiers.models import Conferral, Craft, Title
from dossiers.selectors import crafts
from dossiers.services.conferrals import conferral_import

from .nominee_import import NO, YES, _boolean, _check_header, _choice, _find, _index, cell_text
from .xlsx import WORKBOOK_OPTIONS, XLSX_CONTENT_TYPE, file_name

TEXT, NUMBER, YEAR, DATE, TITLE, PROVINCE, CRAFT, BOOL = (
    "text",
    "number",
    "year",
    "date",
    "title",
    "province",
    "craft",
    "bool",
)


@dataclass(frozen=True)
class RegistryColumn:
    """A column of the template: the registry's field it fills, how its cells are read, whether it must
    be filled, how to write it (the notes sheet) and an example."""

    field: str
    kind: str
    required: bool
    how: Promise
    example: str = ""
    choices: tuple = ()

    @property
    def header(self) -> str:
        label = str(Conferral._meta.get_field(self.field).verbose_name)
        return label[:1].upper() + label[1:]


# What conferral_import takes, one column each; the year is the decision's and only checked against it.
COLUMNS: tuple[RegistryColumn, ...] = (
    RegistryColumn(
        "full_name",
        TEXT,
        True,
        gettext_lazy("Full name as the President's decision gives it."),
        "Phạm Thị Hồng",
    ),
    RegistryColumn(
        "title", TITLE, True, gettext_lazy("One of: %(choices)s."), "Nghệ nhân ưu tú", tuple(Title.choices)
    ),
    RegistryColumn(
        "round_number", NUMBER, True, gettext_lazy("The round's number, a whole number, e.g. 5."), "5"
    ),
    RegistryColumn(
        "year",
        YEAR,
        False,
        gettext_lazy("The year of the decision (optional: it is taken from the decision date)."),
        "2022",
    ),
    RegistryColumn(
        "decision_number", TEXT, True, gettext_lazy("The number of the President's decision."), "1234/QĐ-CTN"
    ),
    RegistryColumn(
        "decision_date", DATE, True, gettext_lazy("A date dd/mm/yyyy, not in the future."), "30/08/2022"
    ),
    RegistryColumn(
        "province",
        PROVINCE,
        True,
        gettext_lazy(
            "The province that nominated the artisan, by its name at the time: a province merged on "
            "01/07/2025 may be written by its former name."
        ),
        "Hà Tây",
    ),
    RegistryColumn(
        "craft", CRAFT, True, gettext_lazy("The craft's name exactly as in the sheet of crafts."), ""
    ),
    RegistryColumn(
        "posthumous",
        BOOL,
        False,
        gettext_lazy("%(yes)s for a posthumous title; empty or %(no)s otherwise."),
        NO,
    ),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}


def headers() -> list[str]:
    """The header row, in Vietnamese whatever the user's language: the template is in Vietnamese."""
    with translation.override("vi"):
        return [column.header for column in COLUMNS]


def _choice_labels(column: RegistryColumn) -> list[str]:
    with translation.override("vi"):
        return [str(label)[:1].upper() + str(label)[1:] for _key, label in column.choices]


def column_note(column: RegistryColumn) -> str:
    with translation.override("vi"):
        return str(column.how) % {"choices": ", ".join(_choice_labels(column)), "yes": YES, "no": NO}


# --- the template ------------------------------------------------------------------------------------


def template_response() -> FileResponse:
    """The template: the header row on the first sheet, the notes (every column: required or not, how to
    write it, an example), the crafts and the provinces (in force and former) on the next ones."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by FileResponse)
    try:
        _write_template(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    response = FileResponse(
        out, as_attachment=True, filename=file_name("mau-so-nghe-nhan"), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"  # a file: nothing in it runs
    return response


def _write_template(out) -> None:
    import xlsxwriter  # here: the worker and most pages never write a workbook (10 MB a process)

    workbook = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    text = workbook.add_format({"num_format": "@"})  # typed values stay text: a date stays dd/mm/yyyy
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    max_rows = settings.NOMINEE_IMPORT_MAX_ROWS
    with translation.override("vi"):
        sheet = workbook.add_worksheet("Danh sách")
        for index, name in enumerate(headers()):
            sheet.set_column(index, index, 22, text)
            sheet.write_string(0, index, name, bold)
        sheet.freeze_panes(1, 0)
        for index, column in enumerate(COLUMNS):
            choices = (
                _choice_labels(column) if column.kind == TITLE else [YES, NO] if column.kind == BOOL else []
            )
            if choices:
                sheet.data_validation(1, index, max_rows, index, {"validate": "list", "source": choices})

        notes = workbook.add_worksheet("Hướng dẫn")
        notes.set_column(0, 0, 34, wrap)
        notes.set_column(1, 1, 12, wrap)
        notes.set_column(2, 2, 70, wrap)
        notes.set_column(3, 3, 24, wrap)
        for index, title in enumerate(("Cột", "Bắt buộc", "Cách ghi", "Ví dụ")):
            notes.write_string(0, index, title, bold)
        for row, column in enumerate(COLUMNS, start=1):
            notes.write_string(row, 0, column.header)
            notes.write_string(row, 1, YES if column.required else NO)
            notes.write_string(row, 2, column_note(column))
            if column.example:
                notes.write_string(row, 3, column.example)
        row = len(COLUMNS) + 2
        for line in (
            "Mỗi dòng dưới dòng tiêu đề của trang “Danh sách” là một danh hiệu đã được phong tặng ở các đợt "
            "trước; không sửa dòng tiêu đề.",
            "Ngày ghi theo dạng dd/mm/yyyy (ví dụ 30/08/2022). Chỉ ghi giá trị, không dùng công thức.",
            f"Tối đa {max_rows} dòng mỗi tệp. Lưu tệp dạng Excel Workbook (.xlsx), không có macro.",
            "Chưa dòng nào được lưu cho đến khi bạn xem trước và xác nhận; khi xác nhận, mọi dòng được lưu "
            "hoặc không dòng nào.",
        ):
            notes.write_string(row, 0, line)
            row += 1

        craft_sheet = workbook.add_worksheet("Danh mục nghề")
        craft_sheet.set_column(0, 0, 50)
        craft_sheet.write_string(0, 0, "Nghề", bold)
        for row, craft in enumerate(crafts().order_by("name").values_list("name", flat=True), start=1):
            craft_sheet.write_string(row, 0, craft)

        province_sheet = workbook.add_worksheet("Tỉnh, thành phố")
        province_sheet.set_column(0, 1, 40)
        province_sheet.write_string(0, 0, "Tỉnh, thành phố", bold)
        province_sheet.write_string(0, 1, "Hiện nay", bold)
        units = (
            AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE)
            .select_related("successor")
            .order_by("valid_to", "sort_key", "code")
        )
        for row, unit in enumerate(units, start=1):
            province_sheet.write_string(row, 0, unit.name)
            if unit.valid_to is not None and unit.successor is not None:
                province_sheet.write_string(row, 1, f"sáp nhập vào {unit.successor.name}")
    workbook.close()


# --- reading a filled list ---------------------------------------------------------------------------


def read_upload(uploaded_file) -> list[dict]:
    """The rows of an uploaded list as texts, [{"line": 2, "values": {field: text}}], or ValidationError:
    the file's refusals (core.spreadsheets) and a header row that is not the template's."""
    rows = read_xlsx_rows(
        uploaded_file,
        max_bytes=settings.NOMINEE_IMPORT_MAX_BYTES,
        max_rows=settings.NOMINEE_IMPORT_MAX_ROWS,
        max_columns=len(COLUMNS) + 5,
    )
    if not rows:
        raise ValidationError(
            _("The list is empty: fill in the template's sheet under its header row."), code="xlsx_empty"
        )
    _check_header(rows[0], headers())
    result = []
    for row in rows[1:]:
        values = list(row.values) + [None] * len(COLUMNS)
        result.append(
            {
                "line": row.number,
                "values": {column.field: cell_text(values[i]) for i, column in enumerate(COLUMNS)},
            }
        )
    if not result:
        raise ValidationError(_("The list has no artisan under its header row."), code="xlsx_empty")
    return result


# --- checking the rows ---------------------------------------------------------------------------------


class _Lookups:
    """The names a row may use, read once per file: crafts, provinces in force, former provinces."""

    def __init__(self):
        self.crafts = _index((craft.pk, craft.name) for craft in crafts())
        provinces = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE)
        self.current = _index(provinces.filter(valid_to__isnull=True).values_list("pk", "name"))
        self.former = _index(provinces.filter(valid_to__isnull=False).values_list("pk", "name"))

    def province(self, text: str) -> int | None:
        found = _find(self.current, text)
        return found if found is not None else _find(self.former, text)


def _arguments(values: dict[str, str], lookups: _Lookups, errors: dict) -> dict:
    """conferral_import's arguments from a row's texts; what cannot be read goes to `errors` (column →
    messages)."""
    arguments: dict = {}
    year = None
    for column in COLUMNS:
        text = (values.get(column.field) or "").strip()
        if not text:
            if column.required:
                errors[column.field] = [_("This column must be filled.")]
            elif column.kind == BOOL:
                arguments[column.field] = False
            continue
        if column.kind == TEXT:
            arguments[column.field] = text
        elif column.kind in (NUMBER, YEAR):
            try:
                number = int(text)
            except ValueError:
                number = None
            if number is None or number < 1:
                errors[column.field] = [_("“%(value)s” is not a whole number.") % {"value": text}]
            elif column.kind == YEAR:
                year = number
            else:
                arguments[column.field] = number
        elif column.kind == DATE:
            try:
                arguments[column.field] = parse_vn_date(text)
            except ValidationError as exc:
                errors[column.field] = [str(m) for m in exc.messages]
        elif column.kind == TITLE:
            key = _choice(column, text)
            if key is None:
                errors[column.field] = [
                    _("“%(value)s” is not a value of this column: write one of %(choices)s.")
                    % {"value": text, "choices": ", ".join(_choice_labels(column))}
                ]
            else:
                arguments[column.field] = key
        elif column.kind == PROVINCE:
            pk = lookups.province(text)
            if pk is None:
                errors[column.field] = [
                    _(
                        "“%(value)s” is not a province, in force or merged on 01/07/2025: write its name as "
                        "in the template's sheet of provinces."
                    )
                    % {"value": text}
                ]
            else:
                arguments[column.field] = AdministrativeUnit.objects.get(pk=pk)
        elif column.kind == CRAFT:
            pk = _find(lookups.crafts, text)
            if pk is None:
                errors[column.field] = [
                    _(
                        "“%(value)s” is not in the list of crafts: write the craft's name as in the "
                        "template's sheet of crafts."
                    )
                    % {"value": text}
                ]
            else:
                arguments[column.field] = Craft.objects.get(pk=pk)
        elif column.kind == BOOL:
            flag = _boolean(text)
            if flag is None:
                errors[column.field] = [
                    _("“%(value)s” is not a value of this column: write %(yes)s or %(no)s.")
                    % {"value": text, "yes": YES, "no": NO}
                ]
            else:
                arguments[column.field] = flag
    date = arguments.get("decision_date")
    if year is not None and date is not None and year != date.year:
        errors["year"] = [
            _("The year %(year)d is not the year of the decision date (%(date)s).")
            % {"year": year, "date": f"{date:%d/%m/%Y}"}
        ]
    return arguments


class _Rollback(Exception):
    pass


@dataclass
class Checked:
    """The rows with their errors, and the registry rows entered (when they were kept)."""

    rows: list[dict]
    conferrals: list[Conferral]

    @property
    def invalid(self) -> int:
        return sum(1 for row in self.rows if row["errors"] or row["row_errors"])


def check_rows(rows: list[dict], *, by, keep: bool = False) -> Checked:
    """Check every row as `conferral_import` would enter it. `keep=False` (the preview): in a transaction
    rolled back at the end. `keep=True` (the confirmation): in the caller's transaction, which must roll
    back unless every row succeeded (`Checked.invalid == 0`). A PermissionDenied of the service is raised
    (it concerns the user, not a row)."""
    if keep:
        return _check_rows(rows, by=by)
    result = None
    try:
        with transaction.atomic():
            result = _check_rows(rows, by=by)
            raise _Rollback
    except _Rollback:
        pass
    result.conferrals = []  # rolled back: they do not exist
    return result


def _check_rows(rows, *, by) -> Checked:
    lookups = _Lookups()
    checked: list[dict] = []
    conferrals: list[Conferral] = []
    for row in rows:
        values = row["values"]
        errors: dict[str, list[str]] = {}
        row_errors: list[str] = []
        arguments = _arguments(values, lookups, errors)
        if not errors:
            try:
                with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
                    conferral = conferral_import(by=by, **arguments)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, messages in exc.message_dict.items():
                        if field in COLUMN_BY_FIELD:
                            errors.setdefault(field, []).extend(messages)
                        else:
                            row_errors.extend(messages)
                else:
                    row_errors.extend(exc.messages)
            else:
                conferrals.append(conferral)
        checked.append({"line": row["line"], "values": values, "errors": errors, "row_errors": row_errors})
    return Checked(rows=checked, conferrals=conferrals)
