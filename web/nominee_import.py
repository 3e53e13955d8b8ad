"""A list of nominees from Excel: the template, reading a filled one, and checking its rows.

A row is checked exactly as the receipt page checks one nominee: its cells become the data of the
receipt form (`ReceiveForm`: NFC names, the CCCD's 12 digits and province code, dd/mm/yyyy dates), and a
row the form accepts is received by the receipt service and submitted, as `dossier_receive_view` does.
For the preview that runs in a transaction rolled back at the end (nothing is kept, no code is used, no
notification leaves); at the confirmation in the caller's transaction, which commits only if every row
succeeded. The rows of one file are checked one after another in the same transaction, so a CCCD given
twice in the file is refused on its second row, as it would be on the second receipt.

The only rules here are those of reading a cell: which column is which, the names of the choices
(title, gender, channel), "Có"/"Không", a craft or a commune written by its name.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable
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
from core.spreadsheets import SheetRow, read_xlsx_rows
from core.text import fold_for_search, to_nfc
from dossiers.consent import CONSENT_VERSION
from dossiers.models import Artisan, Dossier, Title
from dossiers.selectors import crafts
from dossiers.services.intake import dossier_receive
from workflows.services import dossier_transition

from .dossier_forms import ReceiveForm
from .errors import refusal_to_form
from .xlsx import WORKBOOK_OPTIONS, XLSX_CONTENT_TYPE, as_download, file_name

TEXT, DATE, CHOICE, BOOL, CCCD, PROVINCE, COMMUNE, CRAFT, CONSENT = (
    "text",
    "date",
    "choice",
    "bool",
    "cccd",
    "province",
    "commune",
    "craft",
    "consent",
)
YES, NO = "Có", "Không"
_YES = {"co", "x", "yes", "y", "1", "true", "dung"}
_NO = {"khong", "no", "n", "0", "false", "sai"}


@dataclass(frozen=True)
class ImportColumn:
    """A column of the template: the receipt form's field it fills, how its cells are read, whether it
    must be filled, how to write it (the notes sheet) and an example."""

    field: str
    kind: str
    required: bool
    how: Promise
    example: str = ""
    choices: tuple = ()

    @property
    def header(self) -> str:
        """The receipt form's label of the field (a few made clearer out of the form's context)."""
        label = HEADER_OVERRIDES.get(self.field) or ReceiveForm.base_fields[self.field].label
        return _capitalised(str(label))


HEADER_OVERRIDES = {
    "consent": gettext_lazy("Consent to the processing of personal data"),
    "channel": gettext_lazy("How the dossier was submitted"),
}

# Every field of the receipt form but the round (every row goes into the open round, named on the page)
# and the consent text's version (the current one, which the import page shows).
COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "full_name",
        TEXT,
        True,
        gettext_lazy("Full name with its marks, e.g. as on the CCCD."),
        "Nguyễn Thị Hồng",
    ),
    ImportColumn(
        "gender", CHOICE, True, gettext_lazy("One of: %(choices)s."), "Nữ", tuple(Artisan.Gender.choices)
    ),
    ImportColumn(
        "date_of_birth", DATE, True, gettext_lazy("A date dd/mm/yyyy, e.g. 12/03/1968."), "12/03/1968"
    ),
    ImportColumn("ethnicity", TEXT, True, gettext_lazy("The ethnic group, e.g. Kinh, Tày, Mường."), "Kinh"),
    ImportColumn(
        "cccd",
        CCCD,
        False,
        gettext_lazy(
            "The 12 digits of the CCCD, written as text so that the leading 0 stays. It may be left empty "
            "only for a deceased artisan, when the round's rules allow it."
        ),
        "001168012345",
    ),
    ImportColumn(
        "province",
        PROVINCE,
        False,
        gettext_lazy(
            "The province in force since 01/07/2025, by its name; empty: your department's province."
        ),
        "",
    ),
    ImportColumn(
        "commune",
        COMMUNE,
        True,
        gettext_lazy("The commune, ward or special zone, by its name as in the sheet of communes."),
        "",
    ),
    ImportColumn(
        "address_detail", TEXT, False, gettext_lazy("House number, street, hamlet (optional)."), "Thôn Đông"
    ),
    ImportColumn(
        "craft", CRAFT, True, gettext_lazy("The craft's name exactly as in the sheet of crafts."), ""
    ),
    ImportColumn(
        "is_deceased",
        BOOL,
        False,
        gettext_lazy("%(yes)s for a posthumous nomination; empty or %(no)s otherwise."),
        NO,
    ),
    ImportColumn(
        "date_of_death", DATE, False, gettext_lazy("A deceased artisan's date of death, dd/mm/yyyy."), ""
    ),
    ImportColumn(
        "filer_kind",
        CHOICE,
        False,
        gettext_lazy("Posthumous only. One of: %(choices)s."),
        "",
        tuple(Dossier.Filer.choices),
    ),
    ImportColumn("filer_name", TEXT, False, gettext_lazy("Posthumous only."), ""),
    ImportColumn("filer_relationship", TEXT, False, gettext_lazy("Posthumous only."), ""),
    ImportColumn(
        "title", CHOICE, True, gettext_lazy("One of: %(choices)s."), "Nghệ nhân ưu tú", tuple(Title.choices)
    ),
    ImportColumn(
        "channel",
        CHOICE,
        True,
        gettext_lazy("One of: %(choices)s."),
        "trực tiếp",
        tuple(Dossier.Channel.choices),
    ),
    ImportColumn(
        "received_on", DATE, True, gettext_lazy("A date dd/mm/yyyy, not in the future."), "20/09/2025"
    ),
    ImportColumn(
        "special_branch_claimed", BOOL, False, gettext_lazy("%(yes)s or %(no)s (empty: %(no)s)."), NO
    ),
    ImportColumn(
        "consent",
        CONSENT,
        True,
        gettext_lazy(
            "%(yes)s: the artisan (or their family) has read the consent text shown on the import page and "
            "consents to the processing of their personal data. Without it the row is refused."
        ),
        YES,
    ),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}


def headers() -> list[str]:
    """The header row, in Vietnamese whatever the user's language: the template is in Vietnamese."""
    with translation.override("vi"):
        return [column.header for column in COLUMNS]


def _choice_labels(column: ImportColumn) -> list[str]:
    with translation.override("vi"):
        return [_capitalised(str(label)) for _key, label in column.choices]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def column_note(column: ImportColumn) -> str:
    with translation.override("vi"):
        return str(column.how) % {"choices": ", ".join(_choice_labels(column)), "yes": YES, "no": NO}


# --- the template ------------------------------------------------------------------------------------


def template_response(*, agency) -> FileResponse:
    """The template: the header row on the first sheet, the notes (every column: required or not, how to
    write it, an example), the crafts and the communes of the officer's province on the next ones."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by FileResponse)
    try:
        _write_template(out, agency=agency)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return as_download(
        FileResponse(
            out,
            as_attachment=True,
            filename=file_name("mau-danh-sach-de-nghi"),
            content_type=XLSX_CONTENT_TYPE,
        )
    )


def _write_template(out, *, agency) -> None:
    import xlsxwriter  # here: the worker and most pages never write a workbook (10 MB a process)

    workbook = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    text = workbook.add_format({"num_format": "@"})  # typed values stay text: the CCCD keeps its 0
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    with translation.override("vi"):
        names = headers()
        sheet = workbook.add_worksheet("Danh sách")
        for index, name in enumerate(names):
            sheet.set_column(index, index, 22, text)
            sheet.write_string(0, index, name, bold)
        sheet.freeze_panes(1, 0)
        max_rows = settings.NOMINEE_IMPORT_MAX_ROWS
        for index, column in enumerate(COLUMNS):
            choices = (
                _choice_labels(column)
                if column.kind == CHOICE
                else [YES, NO]
                if column.kind in (BOOL, CONSENT)
                else []
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
            "Mỗi dòng dưới dòng tiêu đề của trang “Danh sách” là một người được đề nghị; "
            "không sửa dòng tiêu đề.",
            "Ngày ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1962). Chỉ ghi giá trị, không dùng công thức.",
            f"Tối đa {max_rows} dòng mỗi tệp. Lưu tệp dạng Excel Workbook (.xlsx), không có macro.",
            "Mọi hồ sơ được tiếp nhận vào đợt xét tặng đang mở, cho tỉnh của Sở; "
            "chưa dòng nào được lưu cho đến khi "
            "bạn xem trước và xác nhận.",
        ):
            notes.write_string(row, 0, line)
            row += 1

        craft_sheet = workbook.add_worksheet("Danh mục nghề")
        craft_sheet.set_column(0, 0, 50)
        craft_sheet.write_string(0, 0, "Nghề", bold)
        for row, craft in enumerate(crafts().order_by("name").values_list("name", flat=True), start=1):
            craft_sheet.write_string(row, 0, craft)

        commune_sheet = workbook.add_worksheet("Xã, phường")
        commune_sheet.set_column(0, 1, 40)
        commune_sheet.write_string(0, 0, "Xã, phường, đặc khu", bold)
        commune_sheet.write_string(0, 1, "Tỉnh, thành phố", bold)
        province = agency.province
        if province is not None:
            units = AdministrativeUnit.objects.filter(
                parent=province, valid_to__isnull=True, level=AdministrativeUnit.Level.COMMUNE
            ).order_by("sort_key", "code")
            for row, name in enumerate(units.values_list("name", flat=True), start=1):
                commune_sheet.write_string(row, 0, name)
                commune_sheet.write_string(row, 1, province.name)
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
    _check_header(rows[0])
    result = [{"line": row.number, "values": _texts(row)} for row in rows[1:]]
    if not result:
        raise ValidationError(_("The list has no nominee under its header row."), code="xlsx_empty")
    return result


def _same(a: str, b: str) -> bool:
    return to_nfc(a).casefold() == to_nfc(b).casefold()


def _check_header(row: SheetRow, expected: list[str] | None = None) -> None:
    """Refuse a first row that is not the template's (`expected`: the nominees' header row unless
    another template's is given)."""
    expected = expected if expected is not None else headers()
    found = [to_nfc(str(value)) if value is not None else "" for value in row.values]
    found += [""] * (len(expected) - len(found))
    extra = [value for value in found[len(expected) :] if value]
    if row.number != 1 or extra or not all(_same(a, b) for a, b in zip(found, expected, strict=False)):
        wrong = next(
            (
                (index, value)
                for index, (value, want) in enumerate(zip(found, expected, strict=False))
                if not _same(value, want)
            ),
            None,
        )
        detail = ""
        if wrong is not None:
            detail = " " + _("Column %(n)d should be “%(expected)s”, not “%(found)s”.") % {
                "n": wrong[0] + 1,
                "expected": expected[wrong[0]],
                "found": wrong[1],
            }
        raise ValidationError(
            _(
                "The first row is not the template's header row: download the template and copy the list "
                "into it."
            )
            + detail,
            code="xlsx_wrong_header",
        )


def _texts(row: SheetRow) -> dict[str, str]:
    values = list(row.values) + [None] * len(COLUMNS)
    return {column.field: cell_text(values[index]) for index, column in enumerate(COLUMNS)}


def cell_text(value) -> str:
    """A cell as the officer typed it: a date as dd/mm/yyyy, a whole number without ".0", text in NFC."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_nfc(str(value))


# --- checking the rows ---------------------------------------------------------------------------------


class _Lookups:
    """The names a row may use, read once per file: crafts, provinces in force, communes."""

    def __init__(self, agency):
        self.agency = agency
        self.crafts = _index((craft.pk, craft.name) for craft in crafts())
        units = AdministrativeUnit.objects.filter(valid_to__isnull=True).values_list(
            "pk", "name", "level", "parent_id"
        )
        self.provinces: list[tuple[int, str]] = []
        self.communes: dict[int, list[tuple[int, str]]] = {}
        for pk, name, level, parent_id in units:
            if level == AdministrativeUnit.Level.PROVINCE:
                self.provinces.append((pk, name))
            elif level == AdministrativeUnit.Level.COMMUNE:
                self.communes.setdefault(parent_id, []).append((pk, name))
        self.province_index = _index(self.provinces)
        self.commune_index = {parent: _index(items) for parent, items in self.communes.items()}


_PLACE_PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "dac khu ")


def _index(items: Iterable[tuple[int, str]]) -> dict:
    """Names to ids: exactly (case aside), and folded (marks aside) when that is unambiguous; places
    also without their type in front ("Hà Nội" for "Thành phố Hà Nội")."""
    exact: dict[str, int] = {}
    folded: dict[str, set[int]] = {}
    for pk, name in items:
        keys = {to_nfc(name).casefold()}
        fold = fold_for_search(name)
        for prefix in _PLACE_PREFIXES:
            if fold.startswith(prefix):
                keys.add(to_nfc(name).casefold().split(" ", len(prefix.split()))[-1])
                fold = fold[len(prefix) :]
        for key in keys:
            exact.setdefault(key, pk)
        folded.setdefault(fold, set()).add(pk)
        folded.setdefault(fold_for_search(name), set()).add(pk)
    return {"exact": exact, "folded": folded}


def _find(index: dict, text: str) -> int | None:
    pk = index["exact"].get(text.casefold())
    if pk is not None:
        return pk
    found = index["folded"].get(fold_for_search(text), set())
    return next(iter(found)) if len(found) == 1 else None


def _choice(column: ImportColumn, text: str) -> str | None:
    wanted = fold_for_search(text)
    for key, label in column.choices:
        with translation.override("vi"):
            vi = fold_for_search(str(label))
        with translation.override("en"):
            en = fold_for_search(str(label))
        if wanted in (fold_for_search(key), vi, en):
            return key
    return None


def _boolean(text: str) -> bool | None:
    folded = fold_for_search(text)
    if not folded or folded in _NO:
        return False
    return True if folded in _YES else None


def _form_data(values: dict[str, str], lookups: _Lookups, round_, errors: dict) -> tuple[dict, int | None]:
    """The receipt form's data from a row's texts; what cannot be read goes to `errors` (column →
    messages) and is left out of the data (the form then asks for it where it is required)."""
    data: dict = {"round": round_.pk, "consent_version": CONSENT_VERSION}
    province_id = lookups.agency.province_id
    for column in COLUMNS:
        text = values.get(column.field, "")
        if column.kind in (TEXT, DATE, CCCD):
            data[column.field] = text
        elif column.kind == CHOICE:
            if text:
                key = _choice(column, text)
                if key is None:
                    errors[column.field] = [
                        _("“%(value)s” is not a value of this column: write one of %(choices)s.")
                        % {"value": text, "choices": ", ".join(_choice_labels(column))}
                    ]
                else:
                    data[column.field] = key
        elif column.kind in (BOOL, CONSENT):
            flag = _boolean(text)
            if flag is None:
                errors[column.field] = [
                    _("“%(value)s” is not a value of this column: write %(yes)s or %(no)s.")
                    % {"value": text, "yes": YES, "no": NO}
                ]
            elif flag:
                data[column.field] = "on"
        elif column.kind == PROVINCE:
            if text:
                province_id = _find(lookups.province_index, text)
                if province_id is None:
                    errors["province"] = [
                        _("“%(value)s” is not a province in force since 01/07/2025.") % {"value": text}
                    ]
            if province_id is not None:
                data["province"] = province_id
        elif column.kind == COMMUNE:
            if text and province_id is not None:
                commune_id = _find(lookups.commune_index.get(province_id, {"exact": {}, "folded": {}}), text)
                if commune_id is None:
                    errors["commune"] = [
                        _(
                            "“%(value)s” is not a commune of the province of permanent residence: "
                            "write its name "
                            "as in the template's sheet of communes."
                        )
                        % {"value": text}
                    ]
                else:
                    data["commune"] = commune_id
        elif column.kind == CRAFT and text:
            craft_id = _find(lookups.crafts, text)
            if craft_id is None:
                errors["craft"] = [
                    _(
                        "“%(value)s” is not in the list of crafts: write the craft's name as in the "
                        "template's "
                        "sheet of crafts."
                    )
                    % {"value": text}
                ]
            else:
                data["craft"] = craft_id
    return data, province_id


class _Rollback(Exception):
    pass


@dataclass
class Checked:
    """The rows with their errors and warnings, and the dossiers received (when they were kept)."""

    rows: list[dict]
    dossiers: list[Dossier]

    @property
    def invalid(self) -> int:
        return sum(1 for row in self.rows if row["errors"] or row["row_errors"])


def check_rows(rows: list[dict], *, by, agency, round_, request_id: str = "", keep: bool = False) -> Checked:
    """Check every row as the receipt page would receive it. `keep=False` (the preview): in a transaction
    rolled back at the end. `keep=True` (the confirmation): in the caller's transaction, which must roll
    back unless every row succeeded (`Checked.invalid == 0`). A PermissionDenied of the service is raised
    (it concerns the user, not a row)."""
    if keep:
        return _check_rows(rows, by=by, agency=agency, round_=round_, request_id=request_id)
    result = None
    try:
        with transaction.atomic():
            result = _check_rows(rows, by=by, agency=agency, round_=round_, request_id=request_id)
            raise _Rollback
    except _Rollback:
        pass
    result.dossiers = []  # rolled back: they do not exist
    return result


def _check_rows(rows, *, by, agency, round_, request_id) -> Checked:
    lookups = _Lookups(agency)
    checked: list[dict] = []
    dossiers: list[Dossier] = []
    for row in rows:
        values = row["values"]
        errors: dict[str, list[str]] = {}
        row_errors: list[str] = []
        warnings: list[str] = []
        data, province_id = _form_data(values, lookups, round_, errors)
        province = AdministrativeUnit(pk=province_id) if province_id else None
        form = ReceiveForm(data, province=province)
        if form.is_valid():
            try:
                with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
                    dossier, found = dossier_receive(by=by, **form.service_arguments(agency))
                    dossier_transition(name="submit", dossier=dossier, by=by, request_id=request_id)
            except ValidationError as exc:
                refusal_to_form(form, exc)
            else:
                dossiers.append(dossier)
                warnings = [str(w) for w in found]
        for field, messages in form.errors.items():
            if field in errors:  # the cell could not be read: that message says more
                continue
            if field in COLUMN_BY_FIELD:
                errors[field] = [str(m) for m in messages]
            else:
                row_errors.extend(str(m) for m in messages)
        checked.append(
            {
                "line": row["line"],
                "values": values,
                "errors": errors,
                "row_errors": row_errors,
                "warnings": warnings,
            }
        )
    return Checked(rows=checked, dossiers=dossiers)
