"""The layout of an administrative document under Decree 30/2020/NĐ-CP, Appendix I
(docs/law.md §6.3): A4 portrait, the margins, Times New Roman 13–14 pt, the
two-column header with the national name and motto, number and symbol, place and date, the title and
summary, legal bases, articles, the signature block, "Nơi nhận" and page numbers from page 2.

Builders compose a document from these pieces only, so the layout rules live here once.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from lxml import etree

from .data import Issuer, Signature

FONT = "Times New Roman"
BODY_PT = 14
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
HEADER_LEFT_MM = 65
AUTHORITY_WORDS = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
NAME_BLANK = "…………………………………"  # where a signer whose name is not known writes it
# Academic and professional titles that Decree 30 forbids before a signer's name (Appendix I, box 7).
_ACADEMIC = re.compile(r"^\s*(?:(?:GS|PGS|TS|TSKH|ThS|KS|BS|CN|NGND|NGƯT|NSND|NSƯT)\.\s*)+", re.IGNORECASE)


# Dates and numbers ------------------------------------------------------------------------------------


def vn_date(day: date) -> str:
    """ "ngày 05 tháng 02 năm 2026", "ngày 15 tháng 7 năm 2026": days under 10 and the months 1 and 2
    take a leading zero, other months none (Decree 30/2020, Appendix I, box 4)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date | None) -> str:
    """The place-and-date line; with no date, the blanks an artisan fills in by hand when signing."""
    if day is None:
        return f"{place}, ngày …… tháng …… năm ……"
    return f"{place}, {vn_date(day)}"


def number_text(number: int | None, symbol: str) -> str:
    """ "05/QĐ-UBND": numbers under 10 take a leading zero; no spaces around "/" and "-"."""
    if number is None:
        return f"     /{symbol}"
    return f"{number:02d}/{symbol}"


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def without_academic_titles(name: str) -> str:
    return _ACADEMIC.sub("", name).strip()


def percent(part: float, whole: float) -> str:
    """A percentage as Vietnamese writes it, the one rule of every document: a whole percentage without
    decimals ("100%", "90%"), any other to two decimals with a decimal comma ("90,91%"); "—" of nothing.
    Exact (Decimal) arithmetic: 89.999…% is never shown as a whole "90%"."""
    if not whole:
        return "—"
    value = Decimal(str(part)) * 100 / Decimal(str(whole))
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%".replace(".", ",")


NBSP = "\u00a0"
# A place (its unit's type and its name, to the end of the line) and the names of bodies are never broken
# across lines in a header: "UBND THÀNH PHỐ HÀ NỘI" may break after "UBND", never inside "THÀNH PHỐ HÀ NỘI".
_PLACE = re.compile(
    r"(?<!\w)((?:thành phố|tỉnh|tp\.|thị xã|xã|phường|đặc khu|quận|huyện)\s+\S.*)$", re.IGNORECASE
)
_UNBROKEN = re.compile(
    r"(?<!\w)(ủy ban nhân dân|ủy ban|hội đồng nhân dân|hội đồng|sở công thương|bộ công thương|xét tặng|"
    r"danh hiệu|nghệ nhân|cấp tỉnh|cấp bộ|cấp nhà nước|công thương|tổ thư ký)(?!\w)",
    re.IGNORECASE,
)


def unbroken_names(text: str) -> str:
    """`text` with non-breaking spaces inside a place name and inside the words of a body's name, so that
    a line breaks only between them."""

    def glue(match: re.Match) -> str:
        return re.sub(r"\s+", NBSP, match.group(0))

    return _PLACE.sub(glue, _UNBROKEN.sub(glue, text))


# How many lines a header line takes, as Word and LibreOffice wrap it: a line breaks at an ordinary space
# only. Widths are Times New Roman Bold's capitals (in em, from its metrics; a base letter stands for its
# accented forms), at least the regular face's: a text that fits here fits on the page.
_CAPITAL_EM = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        [0.722, 0.667, 0.722, 0.722, 0.667, 0.611, 0.778, 0.778, 0.389, 0.5, 0.778, 0.667, 0.944]
        + [0.722, 0.778, 0.611, 0.778, 0.722, 0.556, 0.667, 0.722, 0.722, 1.0, 0.722, 0.722, 0.667]
        + [0.5] * 10,
        strict=True,
    )
)
HEADER_CELL_MARGIN_MM = 1.9  # a table cell's default left and right margins
HEADER_NAME_PT = 13
HEADER_NAME_LINES = 3  # a body's name in the header: at most three lines, else its short form


def _em(text: str) -> float:
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace(NBSP, " ").upper())
    return sum(0.25 if c == " " else _CAPITAL_EM.get(c, 0.778) for c in base if not unicodedata.combining(c))


def header_lines(text: str) -> list[str]:
    """`text` (non-breaking spaces where it must not break) wrapped in capitals as the header's left
    column shows it."""
    width_em = (HEADER_LEFT_MM - 2 * HEADER_CELL_MARGIN_MM) / 25.4 * 72 / HEADER_NAME_PT
    out: list[str] = []
    for word in unbroken_names(text).upper().split(" "):
        if out and _em(out[-1] + " " + word) <= width_em:
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def header_name(issuer: Issuer) -> str:
    """The body's name in the header: in full when it fits in three lines, else its short form (Decree
    30/2020, Appendix I, box 2: a long name may be shortened there; the title and body keep it whole)."""
    if issuer.short_name and len(header_lines(issuer.name)) > HEADER_NAME_LINES:
        return issuer.short_name
    return issuer.name


# The page ---------------------------------------------------------------------------------------------


def new_document(*, title: str) -> Document:
    doc = new_docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _page_numbers_from_page_two(section)
    doc.core_properties.title = title
    doc.core_properties.language = "vi-VN"
    return doc


def _page_numbers_from_page_two(section) -> None:
    """Arabic page numbers centred in the top margin, not on page 1."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _text(paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False, upper=False):
    """A run with only the properties that differ from the Normal style (Times New Roman 14 pt, upright):
    each property python-docx writes costs a scan of the run's properties, and a document has thousands
    of runs (a list of 400 dossiers: 3,600 cells)."""
    run = paragraph.add_run(text.upper() if upper else text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size != BODY_PT:
        run.font.size = Pt(size)
    return run


def _centred(container, text: str = "", **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        _text(paragraph, text, **style)
    return paragraph


def _rule(container, width_mm: float, box_mm: float) -> None:
    """A solid rule of `width_mm`, centred in a box `box_mm` wide (a top border on an empty line)."""
    paragraph = container.add_paragraph()
    side = Mm(max((box_mm - width_mm) / 2, 0))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.space_after = Pt(0)
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    border.append(top)
    paragraph._p.get_or_add_pPr().append(border)
    _text(paragraph, "", size=4)


def _cell(table: Table, row: int, column: int, width_mm: float) -> _Cell:
    table.columns[column].width = Mm(width_mm)  # the grid, which LibreOffice and Word both follow
    cell = table.cell(row, column)
    cell.width = Mm(width_mm)
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)  # builders add their own lines
    return cell


# Header -----------------------------------------------------------------------------------------------


def header(
    doc: Document, *, issuer: Issuer | None, number: str | None, place: str, on: date | None, about: str = ""
) -> None:
    """Boxes 1–4 (and 5b for letters): the issuing body (its short form when its name is too long) under
    its parent with its short rule, no line breaking inside a place or a body's name; the national name
    and motto with its rule, "Số: …" and, on the same line, the place and date in italics. With no
    issuer (a declaration by a citizen) the national name and motto stand alone, centred."""
    if issuer is None:
        _centred(doc, NATIONAL_NAME, size=12, bold=True)
        _centred(doc, MOTTO, size=13, bold=True)
        _rule(doc, 62, TEXT_WIDTH_MM)
        date_line = doc.add_paragraph()
        date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _text(date_line, place_and_date(place, on), italic=True)
        return
    right_mm = TEXT_WIDTH_MM - HEADER_LEFT_MM
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left = _cell(table, 0, 0, HEADER_LEFT_MM)
    if issuer.parent:
        _centred(left, unbroken_names(issuer.parent), size=13, upper=True)
    _centred(left, unbroken_names(header_name(issuer)), size=HEADER_NAME_PT, bold=True, upper=True)
    _rule(left, HEADER_LEFT_MM / 3, HEADER_LEFT_MM)
    right = _cell(table, 0, 1, right_mm)
    _centred(right, NATIONAL_NAME, size=12, bold=True)
    _centred(right, MOTTO, size=13, bold=True)
    _rule(right, 62, right_mm)
    numbered = _cell(table, 1, 0, HEADER_LEFT_MM)
    if number:
        _centred(numbered, f"Số: {number}", size=13)
    else:
        numbered.add_paragraph()
    if about:
        _centred(numbered, about, size=12)
    dated = _cell(table, 1, 1, right_mm)
    _centred(dated, place_and_date(place, on), italic=True)
    doc.add_paragraph()


def title(doc: Document, kind_word: str, summary: Sequence[str] = (), *, rule: bool = True) -> None:
    """Box 5a: the type in capitals, bold, centred; the summary under it, bold; a short rule."""
    doc.add_paragraph().paragraph_format.space_after = Pt(6)
    _centred(doc, kind_word, size=14, bold=True, upper=True)
    for line in summary:
        _centred(doc, line, size=14, bold=True)
    if rule:
        rule_under_title(doc)


def rule_under_title(doc: Document) -> None:
    """The short rule under a title (after the line saying what an attachment is attached to)."""
    _rule(doc, TEXT_WIDTH_MM / 4, TEXT_WIDTH_MM)


def addressed_to(doc: Document, recipients: Sequence[str]) -> None:
    """ "Kính gửi: …" under the title of a submission or a letter."""
    paragraph = _centred(doc)
    paragraph.paragraph_format.space_before = Pt(6)
    _text(paragraph, "Kính gửi: ")
    _text(paragraph, "; ".join(recipients) + ("." if len(recipients) > 1 else ""))


def authority_line(doc: Document, text: str) -> None:
    """The issuing authority above the legal bases of a decision, e.g. CHỦ TỊCH ỦY BAN NHÂN DÂN …"""
    paragraph = _centred(doc, text, bold=True, upper=True)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)


def legal_bases(doc: Document, bases: Sequence[str]) -> None:
    """Italic, one per line, each ending ";" and the last "."."""
    for i, basis in enumerate(bases):
        end = "." if i == len(bases) - 1 else ";"
        body(doc, basis.rstrip(" ;.") + end, italic=True)


def decides(doc: Document) -> None:
    paragraph = _centred(doc, "QUYẾT ĐỊNH:", bold=True)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(6)


def body(doc_or_cell, text: str, *, bold=False, italic=False, indent: bool = True):
    """A body paragraph: justified, first-line indent 1.27 cm, 6 pt after, line spacing 1.15."""
    paragraph = doc_or_cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent else None
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = 1.15
    if text:
        _text(paragraph, text, bold=bold, italic=italic)
    return paragraph


def heading(doc: Document, text: str):
    return body(doc, text, bold=True, indent=False)


def article(doc: Document, number: int, text: str) -> None:
    """ "Điều 1." in bold, then the article's text."""
    paragraph = body(doc, "")
    _text(paragraph, f"Điều {number}. ", bold=True)
    _text(paragraph, text)


def enumeration(items: Iterable[str]) -> list[str]:
    """The items of a list as Vietnamese administrative style ends them: each with ";", the last with "."
    (whatever punctuation they came with)."""
    texts = [item.rstrip(" ;.,:") for item in items]
    return [text + ("." if i == len(texts) - 1 else ";") for i, text in enumerate(texts)]


def bullets(doc: Document, items: Iterable[str]) -> None:
    """ "- item;" lines, the last "- item."."""
    for item in enumeration(items):
        body(doc, f"- {item}")


def attachment_line(doc: Document, text: str) -> None:
    """Under the title of an attachment: what it is attached to, in italics, centred."""
    _centred(doc, text, italic=True)


def table(
    doc: Document,
    headings: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths_mm: Sequence[float] | None = None,
    *,
    size: float = 12,
) -> Table:
    """A bordered table with a bold heading row; every cell's text as given (str() of numbers).

    The body rows are copies of one prepared row (cell widths, a run of `size` pt) with their text filled
    in: built cell by cell through python-docx, a row of 9 cells costs some 60 searches of the XML."""
    if not widths_mm:  # a narrow "STT" column, the others sharing the rest
        first = 12 if headings[0] == "STT" else None
        rest = (TEXT_WIDTH_MM - (first or 0)) / (len(headings) - (1 if first else 0))
        widths_mm = [first or rest] + [rest] * (len(headings) - 1)
    if len(widths_mm) != len(headings):
        raise ValueError(f"{len(widths_mm)} widths for {len(headings)} columns")
    grid = doc.add_table(rows=1, cols=len(headings))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for cell, text, width in zip(grid.rows[0].cells, headings, widths_mm, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _text(cell.paragraphs[0], text, size=size, bold=True)
    prepared = _prepared_row(widths_mm, size)
    rows = rows if isinstance(rows, Sequence) else list(rows)
    if len(rows) > STREAMED_ROWS_OVER:
        _stream_rows(doc, grid._tbl, rows, prepared, widths_mm, size)
    else:
        for values in rows:
            grid._tbl.append(_body_row(values, prepared, widths_mm, size))
    doc.add_paragraph()
    return grid


def _body_row(values, prepared, widths_mm: Sequence[float], size: float):
    if isinstance(values, Span):
        return _span_row(values.text, widths_mm, size)
    _check_width(values, widths_mm)
    tr = deepcopy(prepared)
    for t, value in zip(tr.findall(f"./{_TC}/{_P}/{_R}/{_T}"), values, strict=True):
        text = "" if value is None else str(value)
        if _SPECIAL.search(text):  # tabs and line breaks are elements of their own: python-docx's way
            t.getparent().text = text
        else:
            t.text = text
    return tr


def _check_width(values, widths_mm: Sequence[float]) -> None:
    if not isinstance(values, Span) and len(values) != len(widths_mm):
        raise ValueError(f"a row of {len(values)} values for {len(widths_mm)} columns")


# A table longer than this is not held in the document's XML tree: each body row costs some 25 KB of
# tree (a list of 3,400 nominees: 80 MB in the worker). A marker stands where its rows go, and the
# document's save writes them one at a time into word/document.xml, from the same row builder, so the
# file is the same to the byte.
STREAMED_ROWS_OVER = 200
_W_DECLARATION = f' xmlns:w="{nsmap["w"]}"'.encode()  # a row written alone declares what its document did


def _stream_rows(doc: Document, tbl, rows: Sequence, prepared, widths_mm, size: float) -> None:
    """Leave a marker where the rows go and make the document's `save` write them there. The values are
    checked now, so that a malformed row fails the build, not the save."""
    for values in rows:
        _check_width(values, widths_mm)
    streamed = doc.__dict__.setdefault("_streamed_rows", [])
    if not streamed:  # this document's save, whoever calls it, writes the rows
        doc.save = lambda path_or_stream: _save_streamed(doc, path_or_stream, streamed)
    marker = f"nghenhan-rows-{len(streamed)}"
    tbl.append(etree.Comment(marker))

    def written():
        for values in rows:
            xml = etree.tostring(_body_row(values, prepared, widths_mm, size), encoding="utf-8")
            yield xml.replace(_W_DECLARATION, b"", 1)

    streamed.append((f"<!--{marker}-->".encode(), written))


def _save_streamed(doc: Document, path_or_stream, streamed: list) -> None:
    """python-docx's save, then its package copied with the rows written in place of their markers."""
    whole = io.BytesIO()
    Document.save(doc, whole)
    with (
        zipfile.ZipFile(whole) as source,
        zipfile.ZipFile(path_or_stream, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info.filename))
                continue
            xml = source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with target.open(entry, "w") as stream:
                at = 0
                for marker, written in streamed:
                    place = xml.index(marker, at)
                    stream.write(xml[at:place])
                    for row in written():
                        stream.write(row)
                    at = place + len(marker)
                stream.write(xml[at:])


_TC, _P, _R, _T = qn("w:tc"), qn("w:p"), qn("w:r"), qn("w:t")
_SPECIAL = re.compile(r"[\t\n\r\f]")


def _prepared_row(widths_mm: Sequence[float], size: float):
    """A body row: each cell its width (as python-docx's add_row writes it) and one run of `size` pt."""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{Mm(width).twips}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:r>{_run_size(size)}<w:t xml:space="preserve"></w:t></w:r></w:p></w:tc>'
        for width in widths_mm
    )
    return parse_xml(f"<w:tr {nsdecls('w')}>{cells}</w:tr>")


@dataclass(frozen=True)
class Span:
    """A row of a table that is one cell across every column (a group's heading), in bold."""

    text: str


def _span_row(text: str, widths_mm: Sequence[float], size: float):
    total = Mm(sum(widths_mm)).twips
    row = parse_xml(
        f'<w:tr {nsdecls("w")}><w:tc><w:tcPr><w:tcW w:w="{total}" w:type="dxa"/>'
        f'<w:gridSpan w:val="{len(widths_mm)}"/></w:tcPr>'
        f'<w:p><w:r><w:rPr><w:b/>{_size_xml(size)}</w:rPr><w:t xml:space="preserve"></w:t></w:r></w:p>'
        "</w:tc></w:tr>"
    )
    row.find(f"./{_TC}/{_P}/{_R}/{_T}").text = text
    return row


def _size_xml(size: float) -> str:
    return "" if size == BODY_PT else f'<w:sz w:val="{round(size * 2)}"/>'


def _run_size(size: float) -> str:
    return "" if size == BODY_PT else f'<w:rPr><w:sz w:val="{round(size * 2)}"/></w:rPr>'


# Signatures and recipients ----------------------------------------------------------------------------


def signed_as_issued(signature: Signature, *, collective: bool) -> Signature:
    """The signature as the issuer of the document calls for (Decree 30/2020, Art. 13 and Appendix I,
    box 7): "TM." is only for signing on behalf of a collective body (a People's Committee deciding as
    a committee, a council); a head who issues a document in his own competence (the Chairman's, a
    Minister's decision) signs with his position alone, or his deputy "KT. …"."""
    if not collective and signature.authority == "TM.":
        return replace(signature, authority="", on_behalf_of="")
    return signature


def _signature_into(cell: _Cell, signature: Signature) -> None:
    if signature.authority and signature.authority not in AUTHORITY_WORDS:
        raise ValueError(f"unknown authority word {signature.authority!r}: one of {AUTHORITY_WORDS}")
    if signature.authority:
        _centred(cell, f"{signature.authority} {signature.on_behalf_of}", bold=True, upper=True)
    _centred(cell, signature.position, bold=True, upper=True)
    if signature.note:
        _centred(cell, signature.note, italic=True, size=13)
    for _ in range(4):
        cell.add_paragraph()
    name = without_academic_titles(signature.name)
    if name:
        _centred(cell, name, bold=True)
    else:  # the name is written by hand when signing: a line for it, never an empty block
        _centred(cell, NAME_BLANK)


def closing(
    doc: Document, *, signature: Signature, recipients: Sequence[str] = (), archive: str = ""
) -> None:
    """Box 7 and box 9a: "Nơi nhận:" (12 pt bold italic) with its list (11 pt, "- …;", the last
    "- Lưu: VT, …."), and the signature block on the right."""
    grid = doc.add_table(rows=1, cols=2)
    grid.autofit = False
    left = _cell(grid, 0, 0, TEXT_WIDTH_MM * 0.45)
    right = _cell(grid, 0, 1, TEXT_WIDTH_MM * 0.55)
    if recipients or archive:
        paragraph = left.add_paragraph()
        _text(paragraph, "Nơi nhận:", size=12, bold=True, italic=True)
        for recipient in recipients:
            _text(left.add_paragraph(), f"- {recipient.rstrip(' ;.')};", size=11)
        _text(left.add_paragraph(), f"- Lưu: VT, {archive}.", size=11)
    else:
        left.add_paragraph()
    _signature_into(right, signature)


def signatures_side_by_side(doc: Document, left: Signature, right: Signature) -> None:
    """Minutes: the secretary on the left, the chair on the right."""
    grid = doc.add_table(rows=1, cols=2)
    grid.autofit = False
    _signature_into(_cell(grid, 0, 0, TEXT_WIDTH_MM / 2), left)
    _signature_into(_cell(grid, 0, 1, TEXT_WIDTH_MM / 2), right)


@dataclass(frozen=True)
class Style:
    """What a test checks of the page: read back from a built document."""

    width_mm: float
    height_mm: float
    margins_mm: dict[str, float]
    font: str
    size_pt: float


def page_style(doc: Document) -> Style:
    section = doc.sections[0]
    normal = doc.styles["Normal"]
    return Style(
        width_mm=round(section.page_width.mm),
        height_mm=round(section.page_height.mm),
        margins_mm={
            "top": round(section.top_margin.mm),
            "bottom": round(section.bottom_margin.mm),
            "left": round(section.left_margin.mm),
            "right": round(section.right_margin.mm),
        },
        font=normal.font.name,
        size_pt=normal.font.size.pt,
    )
