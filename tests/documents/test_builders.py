"""Each builder's output, reopened with python-docx: the header lines, the number and date formats,
every name with its diacritics, and the table rows against the input."""

import dataclasses
import unicodedata
from datetime import date

import pytest

from documents import layout
from documents.data import DecisionRecordData, from_json, to_json
from documents.kinds import SPECS, Kind
from documents.services import render

from . import samples as s
from .reading import header_table, lines, reopen, tables


def built(kind, data, number=None):
    if number is not None:
        head = dataclasses.replace(data.head, number=number, symbol=symbol(kind, data.head.issuer.symbol))
        data = dataclasses.replace(data, head=head)
    return reopen(render(kind, to_json(data)))


def symbol(kind, issuer_symbol):
    from documents.kinds import symbol_for

    return symbol_for(kind, issuer_symbol)


def nfc(text):
    return unicodedata.normalize("NFC", text)


def spaced(text):
    """The text as a reader sees it: a non-breaking space is a space."""
    return text.replace("\u00a0", " ")


# The rules of the page and of the lines --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (date(2026, 7, 15), "ngày 15 tháng 7 năm 2026"),
        (date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (date(2026, 3, 10), "ngày 10 tháng 3 năm 2026"),  # month 3: no leading zero
        (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        (date(2026, 10, 1), "ngày 01 tháng 10 năm 2026"),
    ],
)
def test_dates_take_the_leading_zero_for_days_under_10_and_months_1_and_2(day, expected):
    assert layout.vn_date(day) == expected


@pytest.mark.parametrize(
    ("number", "expected"), [(5, "05/QĐ-UBND"), (9, "09/QĐ-UBND"), (10, "10/QĐ-UBND"), (123, "123/QĐ-UBND")]
)
def test_numbers_under_10_take_a_leading_zero(number, expected):
    assert layout.number_text(number, "QĐ-UBND") == expected


def test_symbols_follow_the_type_abbreviations():
    assert symbol(Kind.FORM_05, "HĐXT") == "BB-HĐXT"
    assert symbol(Kind.FORM_03, "HĐXT") == "TTr-HĐXT"
    assert symbol(Kind.RESULT_NOTICE, "HĐXT") == "TB-HĐXT"
    assert symbol(Kind.SUPPLEMENT_LETTER, "SCT") == "SCT"  # an official letter: the issuer's symbol


@pytest.mark.parametrize("name", ["PGS.TS. Phạm Quốc Bảo", "TS. Phạm Quốc Bảo", "GS. TSKH. Phạm Quốc Bảo"])
def test_no_academic_title_before_a_signers_name(name):
    assert layout.without_academic_titles(name) == "Phạm Quốc Bảo"
    doc = built(
        Kind.FORM_03,
        dataclasses.replace(s.submission(), closing=s.closing(dataclasses.replace(s.CHAIR, name=name))),
        1,
    )
    assert "Phạm Quốc Bảo" in lines(doc)
    assert not any("PGS" in line or "TS." in line for line in lines(doc))


def test_an_unknown_authority_word_is_refused():
    bad = dataclasses.replace(
        s.submission(), closing=s.closing(dataclasses.replace(s.CHAIR, authority="THAY MẶT"))
    )
    with pytest.raises(ValueError, match="authority"):
        render(Kind.FORM_03, to_json(bad))


@pytest.mark.parametrize("kind", list(SPECS))
def test_every_document_is_a4_portrait_times_new_roman_with_the_decree_margins(kind):
    doc = built(kind, SAMPLES[kind](), 1 if SPECS[kind].numbered else None)
    style = layout.page_style(doc)
    assert (style.width_mm, style.height_mm) == (210, 297)
    assert 20 <= style.margins_mm["top"] <= 25 and 20 <= style.margins_mm["bottom"] <= 25
    assert 30 <= style.margins_mm["left"] <= 35 and 15 <= style.margins_mm["right"] <= 20
    assert style.font == "Times New Roman" and 13 <= style.size_pt <= 14
    section = doc.sections[0]
    # page numbers from page 2: the first page's header is empty, the others carry a PAGE field
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


SAMPLES = {
    Kind.FORM_01: lambda: s.declaration("peoples"),
    Kind.FORM_02: s.declaration,
    Kind.FORM_03: s.submission,
    Kind.FORM_04: s.listing,
    Kind.FORM_05: s.minutes,
    Kind.FORM_06: s.count,
    Kind.FORM_07: s.ballot,
    Kind.FORM_08: lambda: s.ballot("excellent"),
    Kind.FORM_09: lambda: s.summary("peoples"),
    Kind.FORM_10: s.summary,
    Kind.COUNCIL_DECISION: s.council_decision,
    Kind.SUPPLEMENT_LETTER: s.supplement_letter,
    Kind.RESULT_NOTICE: s.result_notice,
    Kind.POSTING_NOTICE: s.posting_notice,
    Kind.DECISION_RECORD: s.decision_record,
}


def test_every_kind_has_a_sample():
    assert set(SAMPLES) == set(Kind)


def test_every_stored_text_is_nfc():
    for kind, sample in SAMPLES.items():
        for line in lines(built(kind, sample(), 1 if SPECS[kind].numbered else None)):
            assert line == nfc(line), kind


# The header ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "issuer_lines", "number_line", "date_line"),
    [
        (
            Kind.FORM_05,
            ["UBND THÀNH PHỐ HÀ NỘI", "HỘI ĐỒNG XÉT TẶNG CẤP TỈNH"],
            "Số: 07/BB-HĐXT",
            "Hà Nội, ngày 05 tháng 02 năm 2026",
        ),
        (
            Kind.SUPPLEMENT_LETTER,
            ["UBND THÀNH PHỐ HÀ NỘI", "SỞ CÔNG THƯƠNG"],
            "Số: 07/SCT",
            "Hà Nội, ngày 20 tháng 9 năm 2026",
        ),
        (Kind.POSTING_NOTICE, ["BỘ CÔNG THƯƠNG"], "Số: 07/BCT-CTĐP", "Hà Nội, ngày 02 tháng 10 năm 2026"),
        (
            Kind.COUNCIL_DECISION,
            ["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"],
            "Số: 125/QĐ-UBND",
            "Hà Nội, ngày 09 tháng 01 năm 2026",
        ),
    ],
)
def test_the_two_column_header(kind, issuer_lines, number_line, date_line):
    doc = built(kind, SAMPLES[kind](), 7 if SPECS[kind].numbered else None)
    _names, (number_cell, date_cell) = header_table(doc)
    assert [spaced(p.text) for p in doc.tables[0].cell(0, 0).paragraphs if p.text.strip()] == issuer_lines
    assert [p.text for p in doc.tables[0].cell(0, 1).paragraphs if p.text.strip()] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert number_cell.splitlines()[0] == number_line
    assert date_cell.strip() == date_line
    date_runs = [r for p in doc.tables[0].cell(1, 1).paragraphs for r in p.runs if r.text.strip()]
    assert date_runs and all(r.italic for r in date_runs)
    name_runs = [
        r for p in doc.tables[0].cell(0, 0).paragraphs for r in p.runs if spaced(r.text) == issuer_lines[-1]
    ]
    assert name_runs[0].bold


def test_a_letter_carries_its_subject_under_the_number():
    doc = built(Kind.SUPPLEMENT_LETTER, s.supplement_letter(), 3)
    assert header_table(doc)[1][0].splitlines() == [
        "Số: 03/SCT",
        "V/v bổ sung hồ sơ đề nghị xét tặng danh hiệu",
    ]


def test_a_declaration_has_the_motto_alone_and_blanks_for_the_signing_date():
    doc = built(Kind.FORM_02, s.declaration())
    text = lines(doc)
    assert text[:4] == [
        "Mẫu số 02",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày …… tháng …… năm ……",
    ]
    assert "BẢN KHAI THÀNH TÍCH" in text
    assert "Đề nghị xét tặng danh hiệu “Nghệ nhân ưu tú” trong lĩnh vực nghề thủ công mỹ nghệ" in text


# Contents against the input --------------------------------------------------------------------------


def test_declaration_rows_and_names():
    data = s.declaration()
    doc = built(Kind.FORM_02, data)
    text = lines(doc)
    assert "1. Họ và tên: Nguyễn Thị Ánh" in text
    assert "3. Ngày, tháng, năm sinh: 07/03/1962" in text
    assert "5. Số Căn cước công dân / Căn cước: 001162000123" in text
    periods, works, awards, trainees, titles = tables(doc)
    assert periods[1] == ["1", "01/01/1990", "01/01/2022", "Xưởng gốm Bát Tràng"]
    assert [row[1] for row in works[1:]] == ["Bình hoa men rạn", "Đĩa sen vàng"]
    assert works[2][3] == "Có"
    assert awards[1][:4] == ["1", "Hội chợ gốm toàn quốc", "Bộ Công Thương", "Giải nhì"]
    assert trainees[1][:2] == ["1", "120"]
    assert "Tổng số người đã truyền nghề: 120" in text
    assert titles[1] == ["1", "Nghệ nhân ưu tú", "1234/QĐ-CTN", "26/08/2016"]
    assert "NGƯỜI KHAI" in text and text[-1] == "Nguyễn Thị Ánh"


def test_a_posthumous_declaration_is_signed_by_the_legal_representative():
    data = dataclasses.replace(s.declaration(), posthumous=True, date_of_death=date(2025, 4, 30))
    text = lines(built(Kind.FORM_02, data))
    assert "NGƯỜI ĐẠI DIỆN HỢP PHÁP" in text and "Ngày mất: 30/04/2025" in text


def test_empty_sections_say_none():
    data = dataclasses.replace(s.declaration(), awards=[], prior_titles=[])
    doc = built(Kind.FORM_02, data)
    assert lines(doc).count("Không có.") == 2
    assert len(tables(doc)) == 3


def test_submission_counts_and_recipients():
    doc = built(Kind.FORM_03, s.submission(), 4)
    text = lines(doc)
    assert "TỜ TRÌNH" in text
    assert "Kính gửi: Hội đồng chuyên ngành cấp Bộ" in text
    assert "Căn cứ Nghị định số 43/2024/NĐ-CP;" in text and "Căn cứ Kế hoạch số 224/KH-UBND." in text
    assert "- Danh hiệu “Nghệ nhân ưu tú”: 1 cá nhân (trong đó truy tặng: 0);" in text
    assert "- Danh hiệu “Nghệ nhân nhân dân”: 1 cá nhân (trong đó truy tặng: 0)." in text
    assert "Nơi nhận:" in text
    assert "- Hội đồng cấp Bộ;" in text and text[text.index("Nơi nhận:") + 3] == "- Lưu: VT, HĐXT."
    assert "TM. HỘI ĐỒNG" in text and "CHỦ TỊCH" in text


def test_legal_bases_are_italic():
    doc = built(Kind.FORM_03, s.submission(), 4)
    bases = [p for p in doc.paragraphs if p.text.startswith("Căn cứ")]
    assert len(bases) == 2 and all(r.italic for p in bases for r in p.runs)


def test_list_groups_by_title_with_the_ballot_result():
    doc = built(Kind.FORM_04, s.listing())
    (grid,) = tables(doc)
    assert grid[0][:2] == ["STT", "Họ và tên"]
    assert grid[1][1] == "Danh hiệu “Nghệ nhân ưu tú”"
    assert grid[2][:8] == ["1", "Nguyễn Thị Ánh", "1962", "Nữ", "Gốm sứ", "Hà Nội", "11/11", "100%"]
    # The note column names the dossier by its code, which the next level quotes back.
    assert grid[2][8] == "Hồ sơ 01-06-0001"
    assert grid[3][1] == "Lê Thị Hường" and grid[3][8] == "Truy tặng; Hồ sơ 01-06-0003"
    assert grid[4][1] == "Danh hiệu “Nghệ nhân nhân dân”"
    assert grid[5][1:2] == ["Trần Văn Đức"] and grid[5][6] == "10/11"
    assert not any(line.startswith("Số:") for line in lines(doc))  # the list has no number of its own


def test_minutes_attendance_and_results():
    doc = built(Kind.FORM_05, s.minutes(), 1)
    text = lines(doc)
    assert (
        "Vào lúc 08 giờ 00, ngày 15 tháng 7 năm 2026, tại Phòng họp tầng 3, Sở Công Thương, "
        "Hội đồng xét tặng cấp tỉnh thành phố Hà Nội họp xét tặng danh hiệu." in text
    )
    assert "Chủ trì: Phạm Quốc Bảo." in text and "Thư ký: Đỗ Minh Châu." in text
    assert "Thành viên Hội đồng có mặt: 2/11 người: Phạm Quốc Bảo, Ngô Thị Lan." in text
    assert "Thành viên vắng mặt: Bùi Văn Tùng." in text
    (grid,) = tables(doc)
    assert [row[1] for row in grid[1:]] == ["Nguyễn Thị Ánh", "Trần Văn Đức", "Lê Thị Hường"]
    assert [row[5] for row in grid[1:]] == ["Đạt", "Đạt", "Không đạt"]
    assert "Cuộc họp kết thúc vào 11 giờ 30, ngày 15 tháng 7 năm 2026." in text


def test_minutes_list_each_withdrawal_of_a_declared_conflict_and_its_outcome():
    from documents.data import ConflictWithdrawal

    withdrawals = [
        ConflictWithdrawal(
            member="Ngô Thị Lan",
            full_name="Trần Văn Đức",
            reason="Không phải họ hàng",
            asked_at="08 giờ 10 ngày 15/07/2026",
            outcome="accepted",
            decided_by="Đỗ Minh Châu",
            decided_at="08 giờ 20 ngày 15/07/2026",
            note="Đã xác minh",
        ),
        ConflictWithdrawal(
            member="Bùi Văn Tùng",
            full_name="Lê Thị Hường",
            reason="Khai nhầm",
            asked_at="08 giờ 12 ngày 15/07/2026",
            outcome="refused",
            decided_by="Đỗ Minh Châu",
            decided_at="08 giờ 25 ngày 15/07/2026",
        ),
    ]
    text = lines(built(Kind.FORM_05, dataclasses.replace(s.minutes(), conflict_withdrawals=withdrawals), 1))
    assert "Thành viên đề nghị rút khai báo xung đột lợi ích:" in text
    assert (
        "- Ngô Thị Lan, đối với hồ sơ của Trần Văn Đức, đề nghị lúc 08 giờ 10 ngày 15/07/2026, lý do: "
        "“Không phải họ hàng”, được Thư ký Hội đồng Đỗ Minh Châu chấp nhận lúc 08 giờ 20 ngày 15/07/2026 "
        "(ghi chú: Đã xác minh);" in text
    )
    assert any(
        line.startswith("- Bùi Văn Tùng, đối với hồ sơ của Lê Thị Hường")
        and line.endswith(".")
        and "bị Thư ký Hội đồng Đỗ Minh Châu không chấp nhận lúc 08 giờ 25 ngày 15/07/2026" in line
        for line in text
    )
    # without withdrawals, no such paragraph
    assert not any("rút khai báo" in line for line in lines(built(Kind.FORM_05, s.minutes(), 1)))


def test_count_minutes_tally_per_dossier():
    doc = built(Kind.FORM_06, s.count(), 2)
    (grid,) = tables(doc)
    assert grid[1] == [
        "1",
        "Nguyễn Thị Ánh",
        "Nghệ nhân ưu tú",
        "11",
        "11",
        "0",
        "11",
        "11",
        "0",
        "100%",
        "Đạt",
    ]
    assert grid[2] == [
        "2",
        "Trần Văn Đức",
        "Nghệ nhân nhân dân",
        "11",
        "10",
        "1",
        "10",
        "10",
        "0",
        "90,91%",
        "Đạt",
    ]
    assert grid[3][7:] == ["9", "2", "81,82%", "Không đạt"]
    assert header_table(doc)[1][0] == "Số: 02/BB-HĐXT"


def test_ballot_paper_has_no_voter_and_a_box_per_choice():
    doc = built(Kind.FORM_07, s.ballot())
    text = lines(doc)
    assert text[0] == "Mẫu số 07" and "PHIẾU BẦU" in text
    (grid,) = tables(doc)
    assert grid[1] == ["1", "Trần Văn Đức", "1958", "Sơn mài", "Hà Nội", "☐", "☐"]
    assert built(Kind.FORM_08, s.ballot("excellent")).paragraphs[0].text == "Mẫu số 08"


def test_summary_for_publication_has_no_identification_data():
    doc = built(Kind.FORM_10, s.summary())
    text = "\n".join(lines(doc))
    assert "Mẫu số 10" in text and "Nguyễn Thị Ánh" in text and "Năm sinh: 1962" in text
    assert "001162000123" not in text and "Kinh" not in text


def test_council_decision_articles_and_members():
    doc = built(Kind.COUNCIL_DECISION, s.council_decision())
    text = lines(doc)
    assert "QUYẾT ĐỊNH" in text and "QUYẾT ĐỊNH:" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" in text
    articles = [line for line in text if line.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3", "Điều 4"]
    article_run = next(p for p in doc.paragraphs if p.text.startswith("Điều 1.")).runs[0]
    assert article_run.text == "Điều 1. " and article_run.bold
    (grid,) = tables(doc)
    assert grid[1] == ["1", "Phạm Quốc Bảo", "Phó Chủ tịch UBND thành phố", "Chủ tịch Hội đồng"]
    assert "CHỦ TỊCH" in text and "Trần Sỹ Thanh" in text


def test_supplement_letter_lists_what_is_missing_and_the_15_day_deadline():
    text = lines(built(Kind.SUPPLEMENT_LETTER, s.supplement_letter(), 12))
    assert "Kính gửi: Bà Nguyễn Thị Ánh" in text
    assert "- Bản khai thành tích (Mẫu số 02);" in text and "- Ảnh hoặc video mô tả kỹ năng." in text
    assert any(
        "Trong thời hạn 15 ngày kể từ ngày nhận lại hồ sơ (ngày 20/09/2026), tức là chậm nhất ngày 05/10/2026"
        in t
        for t in text
    )
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Vũ Hải Yến" in text
    # the dossier by the code the artisan quotes back; a letter stored before the code had none
    assert any(t.endswith("của Bà Nguyễn Thị Ánh (mã hồ sơ 01-06-0042).") for t in text)
    older = lines(
        built(Kind.SUPPLEMENT_LETTER, dataclasses.replace(s.supplement_letter(), dossier_code=""), 12)
    )
    assert any(t.endswith("của Bà Nguyễn Thị Ánh.") for t in older)


def test_result_notice_without_a_known_posting_period_says_so():
    text = lines(built(Kind.RESULT_NOTICE, s.result_notice(), 3))
    assert (
        "Thời gian đăng công khai: kể từ ngày 25/11/2025 đến hết ngày ……/……/……, "
        "theo Kế hoạch xét tặng của Ủy ban nhân dân cấp tỉnh." in text
    )
    with_period = dataclasses.replace(s.result_notice(), posting_days=15, last_day=date(2025, 12, 9))
    assert "Thời gian đăng công khai: 15 ngày, kể từ ngày 25/11/2025 đến hết ngày 09/12/2025." in lines(
        built(Kind.RESULT_NOTICE, with_period, 3)
    )


def test_posting_notice_period_and_people():
    doc = built(Kind.POSTING_NOTICE, s.posting_notice(), 7730)
    text = lines(doc)
    assert "Thời gian đăng công khai: 20 ngày, kể từ ngày 05/10/2026 đến hết ngày 24/10/2026." in text
    assert "- Danh hiệu “Nghệ nhân ưu tú”: 2 cá nhân (trong đó truy tặng: 1);" in text
    (grid,) = tables(doc)
    assert [row[1] for row in grid[1:]] == ["Nguyễn Thị Ánh", "Trần Văn Đức", "Lê Thị Hường"]
    # Posted for the public: "Truy tặng" only, no dossier code.
    assert grid[3][6] == "Truy tặng" and grid[1][6] == ""
    assert header_table(doc)[1][0].startswith("Số: 7730/BCT-CTĐP")


def test_decision_record_names_the_decision():
    text = lines(built(Kind.DECISION_RECORD, s.decision_record(), 1))
    assert (
        "Ngày 28/08/2026, Chủ tịch nước đã ký Quyết định số 1234/QĐ-CTN tặng (truy tặng) danh hiệu "
        "cho 2 cá nhân có tên sau:" in text
    )


def test_decision_record_names_each_dossier_by_its_code_and_a_document_stored_before_codes_reads_as_it_did():
    (grid,) = tables(built(Kind.DECISION_RECORD, s.decision_record(), 1))
    assert grid[1][1] == "Nguyễn Thị Ánh" and grid[1][6] == "Hồ sơ 01-06-0001"
    assert grid[2][1] == "Trần Văn Đức" and grid[2][6] == ""  # a person without a code
    stored = to_json(s.decision_record())
    for person in stored["people"]:
        del person["code"]
    (old,) = tables(built(Kind.DECISION_RECORD, from_json(DecisionRecordData, stored), 1))
    assert old[1][6] == ""


def test_html_in_a_name_is_text_in_the_document():
    person = dataclasses.replace(s.ANH, full_name="<script>alert(1)</script> Ánh")
    data = dataclasses.replace(s.ballot(), people=[person])
    (grid,) = tables(built(Kind.FORM_07, data))
    assert grid[1][1] == "<script>alert(1)</script> Ánh"
