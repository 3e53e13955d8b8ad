"""What a clerk checks before signing, against Decree 30/2020/NĐ-CP: who signs and how, that a header
never breaks a place name and keeps a council's name short, that a legal basis names its instrument's
kind, that titles do not repeat themselves, Vietnamese numbers, honorifics and list punctuation, Form 04's
group rows and its "attached to" line, and the result notice's posting period and address. Each document
is built and read back as the clerk would read it."""

import dataclasses
import unicodedata
from datetime import date

import pytest

from documents import forms, layout, wording
from documents.data import Issuer, Signature
from documents.kinds import SPECS, Kind
from documents.layout import NAME_BLANK, NBSP

from . import samples as s
from .reading import lines, tables
from .test_builders import SAMPLES, built

FULL_COUNCIL_NAME = "Hội đồng xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” cấp tỉnh Hà Nội"
LONG_COUNCIL = Issuer(
    name=FULL_COUNCIL_NAME,
    parent="UBND thành phố Hà Nội",
    symbol="HĐXT",
    place="Hà Nội",
    register_key="council:1",
    short_name=wording.COUNCIL_SHORT_NAME["provincial"],
)


def spaced(text: str) -> str:
    return text.replace(NBSP, " ")


def signature_lines(doc) -> list[str]:
    """The signature block: the right-hand cell of the last table without borders."""
    closing = [t for t in doc.tables if t.style is None or t.style.name != "Table Grid"][-1]
    return [p.text for p in closing.cell(0, 1).paragraphs if p.text.strip()]


# Wrapping a header line as Word and LibreOffice do: a line breaks at an ordinary space only. Widths are
# Times New Roman Bold's (in em, from its metrics; a base letter stands for its accented forms), which
# are at least the regular face's: a line that fits here fits on the page.
_WIDTH = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        [0.722, 0.667, 0.722, 0.722, 0.667, 0.611, 0.778, 0.778, 0.389, 0.5, 0.778, 0.667, 0.944]
        + [0.722, 0.778, 0.611, 0.778, 0.722, 0.556, 0.667, 0.722, 0.722, 1.0, 0.722, 0.722, 0.667]
        + [0.5] * 10,
        strict=True,
    )
)
HEADER_TEXT_EM = (layout.HEADER_LEFT_MM - 2 * 1.9) / 25.4 * 72 / 13  # the cell less its margins, at 13 pt


def _em(word: str) -> float:
    base = unicodedata.normalize("NFD", word.replace("Đ", "D").replace(NBSP, " "))
    return sum(0.25 if c == " " else _WIDTH.get(c, 0.778) for c in base if not unicodedata.combining(c))


def wrapped(text: str) -> list[str]:
    out: list[str] = []
    for word in text.split(" "):
        if out and _em(out[-1] + " " + word) <= HEADER_TEXT_EM:
            out[-1] += " " + word
        else:
            out.append(word)
    return [spaced(line) for line in out]


def header_issuer_paragraphs(doc) -> list[str]:
    return [p.text for p in doc.tables[0].cell(0, 0).paragraphs if p.text.strip()]


# Signatures --------------------------------------------------------------------------------------------


def test_the_chairmans_own_decision_is_signed_chairman_without_tm():
    """ "CHỦ TỊCH ỦY BAN NHÂN DÂN … QUYẾT ĐỊNH": the Chairman issues it in his own competence."""
    doc = built(Kind.COUNCIL_DECISION, s.council_decision())
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" in lines(doc)
    assert signature_lines(doc) == ["CHỦ TỊCH", "Trần Sỹ Thanh"]
    assert not any(line.startswith("TM.") for line in lines(doc))


def test_a_collective_decision_is_signed_on_behalf_of_the_body():
    data = dataclasses.replace(
        s.council_decision(), collective=True, authority="Ủy ban nhân dân thành phố Hà Nội"
    )
    assert signature_lines(built(Kind.COUNCIL_DECISION, data)) == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Trần Sỹ Thanh",
    ]


def test_the_supplement_letter_signed_for_the_director_has_a_line_for_the_name():
    data = dataclasses.replace(
        s.supplement_letter(),
        closing=s.closing(dataclasses.replace(s.DIRECTOR, name=""), ("Như trên",), "SCT"),
    )
    assert signature_lines(built(Kind.SUPPLEMENT_LETTER, data, 3)) == [
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        NAME_BLANK,
    ]


@pytest.mark.parametrize(
    "kind", [k for k in SPECS if k not in (Kind.FORM_07, Kind.FORM_08, Kind.FORM_09, Kind.FORM_10)]
)
def test_every_signature_block_ends_with_the_name_or_a_line_for_it(kind):
    for name, last in (("PGS.TS. Đỗ Minh Châu", "Đỗ Minh Châu"), ("", NAME_BLANK)):
        data = SAMPLES[kind]()
        if hasattr(data, "closing"):
            signature = dataclasses.replace(data.closing.signature, name=name)
            data = dataclasses.replace(data, closing=dataclasses.replace(data.closing, signature=signature))
        elif hasattr(data, "chair_signature"):
            signature = dataclasses.replace(data.chair_signature, name=name)
            data = dataclasses.replace(data, chair_signature=signature)
        else:  # a declaration: the artisan's own name, or a line for the legal representative's
            data = dataclasses.replace(data, full_name=name or data.full_name, posthumous=not name)
        block = signature_lines(built(kind, data, 1 if SPECS[kind].numbered else None))
        assert block[-1] == last, (kind, block)


# Headers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "place"),
    [
        (Kind.COUNCIL_DECISION, "THÀNH PHỐ HÀ NỘI"),
        (Kind.FORM_05, "THÀNH PHỐ HÀ NỘI"),
        (Kind.SUPPLEMENT_LETTER, "THÀNH PHỐ HÀ NỘI"),
    ],
)
def test_a_header_line_never_breaks_inside_a_place_name(kind, place):
    doc = built(kind, SAMPLES[kind](), 1 if SPECS[kind].numbered else None)
    first = header_issuer_paragraphs(doc)[0]
    breakable = [spaced(part) for part in first.split(" ")]  # a line breaks at an ordinary space only
    assert place in breakable, breakable


def test_the_committees_name_breaks_between_the_committee_and_its_province():
    doc = built(Kind.COUNCIL_DECISION, s.council_decision())
    (name,) = header_issuer_paragraphs(doc)
    assert wrapped(name) == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"]


def test_a_council_is_named_by_its_short_form_in_the_header_and_in_full_in_the_body():
    data = dataclasses.replace(s.result_notice(), head=s.head(LONG_COUNCIL), council_name=FULL_COUNCIL_NAME)
    doc = built(Kind.RESULT_NOTICE, data, 2)
    parent, name = header_issuer_paragraphs(doc)
    assert spaced(parent) == "UBND THÀNH PHỐ HÀ NỘI" and len(wrapped(parent)) == 1
    assert spaced(name) == "HỘI ĐỒNG XÉT TẶNG DANH HIỆU NGHỆ NHÂN CẤP TỈNH"
    assert wrapped(name) == ["HỘI ĐỒNG XÉT TẶNG", "DANH HIỆU NGHỆ NHÂN", "CẤP TỈNH"]
    assert len(wrapped(FULL_COUNCIL_NAME.upper())) >= 5  # what the header showed before
    assert any(FULL_COUNCIL_NAME in line for line in lines(doc))  # the full name, in the title and body


def test_a_council_whose_full_name_fits_keeps_it_in_the_header():
    """The short form is for a name too long for the header: a council named briefly is named in full."""
    brief = dataclasses.replace(LONG_COUNCIL, name="Hội đồng xét tặng cấp tỉnh")
    doc = built(Kind.RESULT_NOTICE, dataclasses.replace(s.result_notice(), head=s.head(brief)), 2)
    _parent, name = header_issuer_paragraphs(doc)
    assert spaced(name) == "HỘI ĐỒNG XÉT TẶNG CẤP TỈNH" and len(wrapped(name)) <= 3


def test_the_header_rule_wraps_as_the_page_does():
    lines_ = [spaced(line) for line in layout.header_lines(FULL_COUNCIL_NAME)]
    assert lines_ == wrapped(layout.unbroken_names(FULL_COUNCIL_NAME).upper()) and len(lines_) >= 5
    assert layout.header_name(LONG_COUNCIL) == LONG_COUNCIL.short_name


@pytest.mark.django_db
def test_a_councils_recorded_short_name_is_the_one_its_header_shows():
    from tests.councils.conftest import make_council
    from workflows.document_data import council_issuer

    council, _voters, _secretary = make_council(3)
    council.name = FULL_COUNCIL_NAME
    assert council_issuer(council).short_name == wording.COUNCIL_SHORT_NAME["provincial"]
    council.short_name = "Hội đồng xét tặng nghệ nhân thành phố"
    council.save()
    issuer = council_issuer(council)
    assert issuer.short_name == "Hội đồng xét tặng nghệ nhân thành phố"
    doc = built(Kind.RESULT_NOTICE, dataclasses.replace(s.result_notice(), head=s.head(issuer)), 2)
    assert spaced(header_issuer_paragraphs(doc)[1]) == "HỘI ĐỒNG XÉT TẶNG NGHỆ NHÂN THÀNH PHỐ"


@pytest.mark.parametrize("level", ["provincial", "ministerial", "state"])
def test_every_councils_short_form_fits_three_header_lines(level):
    assert len(wrapped(layout.unbroken_names(wording.COUNCIL_SHORT_NAME[level]).upper())) <= 3


# Wording ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "basis"),
    [
        ("355/QĐ-BCT", "Căn cứ Quyết định số 355/QĐ-BCT ngày 10/02/2025"),
        ("224/KH-UBND", "Căn cứ Kế hoạch số 224/KH-UBND ngày 10/02/2025"),
        ("12/NQ-HĐND", "Căn cứ Nghị quyết số 12/NQ-HĐND ngày 10/02/2025"),
        ("12/2025/QĐ-UBND", "Căn cứ Quyết định số 12/2025/QĐ-UBND ngày 10/02/2025"),
        ("07/2025/KH-UBND", "Căn cứ Kế hoạch số 07/2025/KH-UBND ngày 10/02/2025"),
        ("355", "Căn cứ Quyết định số 355 ngày 10/02/2025"),  # no suffix: what the round's data says
    ],
)
def test_a_legal_basis_names_the_instrument_by_its_kind(number, basis):
    assert wording.instrument_basis(number, date(2025, 2, 10)) == basis


@pytest.mark.parametrize(
    ("kind", "sample"),
    [
        (Kind.COUNCIL_DECISION, s.council_decision),
        (Kind.RESULT_NOTICE, s.result_notice),
        (Kind.FORM_05, s.minutes),
    ],
)
def test_a_title_says_xet_tang_danh_hieu_once(kind, sample):
    data = dataclasses.replace(sample(), council_name=FULL_COUNCIL_NAME)
    text = lines(built(kind, data, 1 if SPECS[kind].numbered else None))
    summary = next(line for line in text if FULL_COUNCIL_NAME in line)  # the title's summary line
    assert summary.count("xét tặng danh hiệu") == 1, summary
    short = lines(
        built(kind, sample(), 1 if SPECS[kind].numbered else None)
    )  # a short name: the phrase added
    assert any(
        "xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” lần thứ 6" in line for line in short
    )


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(11, 11, "100%"), (9, 10, "90%"), (10, 11, "90,91%"), (9, 11, "81,82%"), (2, 3, "66,67%"), (0, 0, "—")],
)
def test_percentages_take_a_decimal_comma_and_no_decimals_when_whole(part, whole, text):
    assert layout.percent(part, whole) == text


def test_no_percentage_in_any_document_has_a_decimal_point():
    for kind in (Kind.FORM_04, Kind.FORM_06, Kind.RESULT_NOTICE):
        cells = [c for grid in tables(built(kind, SAMPLES[kind](), 1)) for row in grid for c in row]
        ratios = [c for c in cells if c.endswith("%")]
        assert ratios and not any("." in c for c in ratios), (kind, ratios)
        assert "100%" in ratios


@pytest.mark.parametrize(("gender", "you"), [("male", "Ông"), ("female", "Bà"), ("", "Ông (Bà)")])
def test_the_letter_addresses_the_artisan_by_the_recorded_gender(gender, you):
    data = dataclasses.replace(s.supplement_letter(), addressee_gender=gender)
    text = "\n".join(lines(built(Kind.SUPPLEMENT_LETTER, data, 3)))
    assert f"Kính gửi: {you} Nguyễn Thị Ánh" in text
    assert f"của {you} Nguyễn Thị Ánh (mã hồ sơ 01-06-0042)." in text and f"Đề nghị {you} bổ sung" in text
    assert f"để {you} biết và thực hiện./." in text
    if gender:
        assert "Ông (Bà)" not in text


def test_list_items_end_with_a_semicolon_and_the_last_with_a_full_stop():
    text = lines(built(Kind.SUPPLEMENT_LETTER, s.supplement_letter(), 3))
    items = [line for line in text if line.startswith("- ") and not line.startswith("- Lưu")]
    items = items[: len(s.supplement_letter().missing)]
    assert items == ["- Bản khai thành tích (Mẫu số 02);", "- Ảnh hoặc video mô tả kỹ năng."]
    counts = [
        line for line in lines(built(Kind.POSTING_NOTICE, s.posting_notice(), 4)) if "cá nhân (" in line
    ]
    assert counts == [
        "- Danh hiệu “Nghệ nhân ưu tú”: 2 cá nhân (trong đó truy tặng: 1);",
        "- Danh hiệu “Nghệ nhân nhân dân”: 1 cá nhân (trong đó truy tặng: 0).",
    ]


def test_the_minutes_lists_end_their_items_with_a_semicolon_and_the_last_with_a_full_stop():
    from documents.data import JudgementRequest

    requests = [
        JudgementRequest("Trần Văn Đức", "Tác phẩm đạt giải được xác nhận muộn."),
        JudgementRequest("Lê Thị Hường", "Hồ sơ truyền nghề bổ sung sau"),
    ]
    text = lines(built(Kind.FORM_05, dataclasses.replace(s.minutes(), judgement_requests=requests), 1))
    start = text.index(forms.MINUTES["judgement"])
    assert text[start + 1 : start + 3] == [
        "- Trần Văn Đức: Tác phẩm đạt giải được xác nhận muộn;",
        "- Lê Thị Hường: Hồ sơ truyền nghề bổ sung sau.",
    ]


# Form 04 ---------------------------------------------------------------------------------------------


def test_form_04_group_rows_span_the_table():
    doc = built(Kind.FORM_04, s.listing())
    grid = next(t for t in doc.tables if t.style is not None and t.style.name == "Table Grid")
    groups = [row for row in grid.rows if row.cells[0].text.startswith("Danh hiệu")]
    assert [row.cells[0].text for row in groups] == [
        "Danh hiệu “Nghệ nhân ưu tú”",
        "Danh hiệu “Nghệ nhân nhân dân”",
    ]
    for row in groups:
        (cell,) = row._tr.tc_lst  # one cell, across all nine columns
        assert cell.grid_span == len(grid.columns) == 9
        assert all(r.bold for p in row.cells[0].paragraphs for r in p.runs)


def test_form_04_says_which_submission_it_is_attached_to():
    known = dataclasses.replace(
        s.listing(), submission_number="02/TTr-HĐXT", submission_date=date(2026, 2, 5)
    )
    text = lines(built(Kind.FORM_04, known))
    title = text.index("DANH SÁCH")
    assert text[title + 2] == "(Kèm theo Tờ trình số 02/TTr-HĐXT ngày 05 tháng 02 năm 2026)"
    blank = lines(built(Kind.FORM_04, s.listing()))
    assert "(Kèm theo Tờ trình số ……/TTr-…… ngày …… tháng …… năm ……)" in blank


# The result notice ---------------------------------------------------------------------------------------


def test_the_result_notice_gives_the_posting_dates_and_where_comments_go():
    data = dataclasses.replace(
        s.result_notice(),
        posting_days=15,
        posted_on=date(2026, 2, 6),
        last_day=date(2026, 2, 20),
        comment_address="Sở Công Thương thành phố Hà Nội",
        comment_url="https://nghenhan.example.vn/cong-khai/",
    )
    text = lines(built(Kind.RESULT_NOTICE, data, 2))
    assert "Thời gian đăng công khai: 15 ngày, kể từ ngày 06/02/2026 đến hết ngày 20/02/2026." in text
    assert (
        "Ý kiến góp ý bằng văn bản, có chữ ký, ghi rõ họ tên, số điện thoại, địa chỉ liên hệ, gửi về "
        "Sở Công Thương thành phố Hà Nội hoặc gửi trực tuyến tại https://nghenhan.example.vn/cong-khai/./."
    ) in text


def test_the_result_notice_gives_the_departments_postal_address_when_it_is_recorded():
    data = dataclasses.replace(
        s.result_notice(),
        comment_address="Sở Công Thương thành phố Hà Nội",
        comment_postal="331 Cầu Giấy, phường Cầu Giấy, thành phố Hà Nội.",
    )
    text = lines(built(Kind.RESULT_NOTICE, data, 2))
    assert any(
        line.endswith(
            "gửi về Sở Công Thương thành phố Hà Nội"
            " (địa chỉ: 331 Cầu Giấy, phường Cầu Giấy, thành phố Hà Nội)./."
        )
        for line in text
    ), text


def test_signature_data_is_unchanged_by_the_rule_for_bodies():
    """ "KT." for a deputy of a head stays: only "TM." depends on who issues."""
    deputy = Signature("KT.", "Chủ tịch", "Phó Chủ tịch", "Nguyễn Văn A")
    assert layout.signed_as_issued(deputy, collective=False) == deputy
