"""Sample data objects for the builders, with names in full Vietnamese diacritics (and a name typed in
decomposed Unicode, which selectors store NFC and builders must keep NFC)."""

from datetime import date

from documents.data import (
    AwardRow,
    BallotPaperData,
    Closing,
    CouncilDecisionData,
    CountData,
    DecisionRecordData,
    DeclarationData,
    Head,
    Issuer,
    ListData,
    MemberRow,
    MinutesData,
    PeriodRow,
    Person,
    PostingNoticeData,
    PriorTitleRow,
    ResultNoticeData,
    Signature,
    SubmissionData,
    SummaryData,
    SupplementLetterData,
    TitleCount,
    TraineeRow,
    VoteRow,
    WorkRow,
)

DEPARTMENT = Issuer(
    name="Sở Công Thương",
    parent="UBND thành phố Hà Nội",
    symbol="SCT",
    place="Hà Nội",
    register_key="agency:1",
)
COUNCIL = Issuer(
    name="Hội đồng xét tặng cấp tỉnh",
    parent="UBND thành phố Hà Nội",
    symbol="HĐXT",
    place="Hà Nội",
    register_key="council:1",
)
MINISTRY = Issuer(
    name="Bộ Công Thương", parent="", symbol="BCT-CTĐP", place="Hà Nội", register_key="agency:2"
)
PEOPLE = "Nghệ nhân nhân dân"
EXCELLENT = "Nghệ nhân ưu tú"

ANH = Person("Nguyễn Thị Ánh", 1962, "Nữ", "Gốm sứ", "Hà Nội", EXCELLENT, code="01-06-0001")
DUC = Person("Trần Văn Đức", 1958, "Nam", "Sơn mài", "Hà Nội", PEOPLE)
HUONG = Person(
    "Lê Thị Hường", 1949, "Nữ", "Thêu ren", "Hà Nội", EXCELLENT, posthumous=True, code="01-06-0003"
)

ROWS = [
    VoteRow(ANH, 11, 11, 0, 11, 0, 11, True),
    VoteRow(DUC, 11, 10, 1, 10, 0, 11, True),
    VoteRow(HUONG, 11, 11, 0, 9, 2, 11, False),
]
CHAIR = Signature("TM.", "Hội đồng", "Chủ tịch", "PGS.TS. Phạm Quốc Bảo")
SECRETARY = Signature("", "", "Thư ký", "Đỗ Minh Châu")
DIRECTOR = Signature("KT.", "Giám đốc", "Phó Giám đốc", "Vũ Hải Yến")
MINISTER = Signature("KT.", "Bộ trưởng", "Thứ trưởng", "Hoàng Văn Khải")


def head(issuer=COUNCIL, on=date(2026, 2, 5)):
    return Head(issuer=issuer, issued_on=on)


def closing(signature=CHAIR, recipients=("Hội đồng cấp Bộ", "UBND thành phố Hà Nội"), archive="HĐXT"):
    return Closing(signature=signature, recipients=list(recipients), archive=archive)


def declaration(title_key="excellent"):
    return DeclarationData(
        title_key=title_key,
        title=EXCELLENT if title_key == "excellent" else PEOPLE,
        place="Hà Nội",
        full_name="Nguyễn Thị Ánh",
        gender="Nữ",
        date_of_birth=date(1962, 3, 7),
        ethnicity="Kinh",
        cccd="001162000123",
        address="Số 5 ngõ Gốm, xã Bát Tràng, Hà Nội",
        craft="Gốm sứ",
        posthumous=False,
        date_of_death=None,
        years_in_craft="32 năm",
        periods=[PeriodRow(date(1990, 1, 1), date(2022, 1, 1), "Xưởng gốm Bát Tràng")],
        works=[
            WorkRow("Bình hoa men rạn", date(2015, 7, 15), False, "Men rạn cổ"),
            WorkRow("Đĩa sen vàng", date(2018, 2, 5), True, ""),
        ],
        awards=[
            AwardRow(
                "Hội chợ gốm toàn quốc",
                "Bộ Công Thương",
                "Giải nhì",
                "Toàn quốc",
                date(2016, 9, 2),
                "Bình hoa men rạn",
            )
        ],
        trainees=[TraineeRow(120, date(2000, 1, 1), date(2010, 12, 31), "Lớp truyền nghề tại làng")],
        trainees_total=120,
        prior_titles=[PriorTitleRow(EXCELLENT, "1234/QĐ-CTN", date(2016, 8, 26))],
        round_number=6,
    )


def summary(title_key="excellent"):
    return SummaryData(
        title_key=title_key,
        title=EXCELLENT,
        person=ANH,
        years_in_craft="32 năm",
        works_count=12,
        awards=[
            AwardRow("Hội chợ gốm toàn quốc", "Bộ Công Thương", "Giải nhì", "Toàn quốc", date(2016, 9, 2), "")
        ],
        trainees_total=120,
        prior_titles=[],
        round_number=6,
    )


def submission():
    return SubmissionData(
        head=head(),
        closing=closing(),
        council_name="Hội đồng xét tặng cấp tỉnh thành phố Hà Nội",
        round_number=6,
        addressed_to=["Hội đồng chuyên ngành cấp Bộ"],
        bases=["Căn cứ Nghị định số 43/2024/NĐ-CP", "Căn cứ Kế hoạch số 224/KH-UBND;"],
        dossiers_considered=3,
        counts=[TitleCount(EXCELLENT, 1, 0), TitleCount(PEOPLE, 1, 0)],
        rows=ROWS[:2],
    )


def listing():
    return ListData(
        head=head(), closing=closing(), council_name="Hội đồng xét tặng cấp tỉnh", round_number=6, rows=ROWS
    )


def minutes():
    return MinutesData(
        head=head(),
        council_name="Hội đồng xét tặng cấp tỉnh thành phố Hà Nội",
        round_number=6,
        meeting_place="Phòng họp tầng 3, Sở Công Thương",
        held_on=date(2026, 7, 15),
        opened_at="08 giờ 00",
        closed_at="11 giờ 30",
        chair="Phạm Quốc Bảo",
        secretary="Đỗ Minh Châu",
        members_on_list=11,
        present=["Phạm Quốc Bảo", "Ngô Thị Lan"],
        absent=["Bùi Văn Tùng"],
        quorum="10/11 thành viên, có Chủ tịch Hội đồng: đủ điều kiện",
        rows=ROWS,
        chair_signature=Signature("", "", "Chủ trì", "Phạm Quốc Bảo"),
        secretary_signature=SECRETARY,
    )


def count():
    return CountData(
        head=head(),
        council_name="Hội đồng xét tặng cấp tỉnh",
        round_number=6,
        held_on=date(2026, 7, 15),
        counters=["Đỗ Minh Châu"],
        pass_rule="từ 90% số phiếu đồng ý trên tổng số thành viên Hội đồng theo danh sách",
        rows=ROWS,
        chair_signature=Signature("", "", "Chủ tịch Hội đồng", "Phạm Quốc Bảo"),
        secretary_signature=SECRETARY,
    )


def ballot(title_key="peoples"):
    return BallotPaperData(
        title_key=title_key,
        title=PEOPLE,
        council_name="Hội đồng xét tặng cấp tỉnh",
        round_number=6,
        held_on=date(2026, 7, 15),
        place="Hà Nội",
        people=[DUC],
    )


def council_decision():
    return CouncilDecisionData(
        head=Head(
            issuer=Issuer("Ủy ban nhân dân thành phố Hà Nội", "", "UBND", "Hà Nội", "external"),
            issued_on=date(2026, 1, 9),
            fixed_number="125/QĐ-UBND",
        ),
        closing=closing(
            Signature("TM.", "Ủy ban nhân dân", "Chủ tịch", "Trần Sỹ Thanh"), ("Như Điều 4",), "SCT"
        ),
        authority="Chủ tịch Ủy ban nhân dân thành phố Hà Nội",
        bases=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 43/2024/NĐ-CP",
        ],
        council_name="Hội đồng xét tặng cấp tỉnh thành phố Hà Nội",
        round_number=6,
        members=[
            MemberRow("Phạm Quốc Bảo", "Phó Chủ tịch UBND thành phố", "Chủ tịch Hội đồng"),
            MemberRow("Ngô Thị Lan", "Giám đốc Sở Công Thương", "Phó Chủ tịch Hội đồng"),
        ],
        secretariat="Tổ Thư ký Hội đồng xét tặng cấp tỉnh",
        seal="Sở Công Thương thành phố Hà Nội",
    )


def supplement_letter():
    return SupplementLetterData(
        head=head(DEPARTMENT, date(2026, 9, 20)),
        closing=closing(DIRECTOR, ("Như trên",), "SCT"),
        about="V/v bổ sung hồ sơ đề nghị xét tặng danh hiệu",
        addressee="Nguyễn Thị Ánh",
        title=EXCELLENT,
        received_on=date(2026, 9, 15),
        returned_on=date(2026, 9, 20),
        missing=["Bản khai thành tích (Mẫu số 02)", "Ảnh hoặc video mô tả kỹ năng"],
        reason="Thiếu bản chứng thực giấy chứng nhận giải thưởng",
        days=15,
        due=date(2026, 10, 5),
        addressee_gender="female",
        dossier_code="01-06-0042",
    )


def result_notice():
    return ResultNoticeData(
        head=head(),
        closing=closing(),
        council_name="Hội đồng xét tặng cấp tỉnh",
        round_number=6,
        rows=ROWS[:2],
        posting_days=None,
        posted_on=date(2025, 11, 25),
        comment_address="Sở Công Thương thành phố Hà Nội",
    )


def posting_notice():
    return PostingNoticeData(
        head=head(MINISTRY, date(2026, 10, 2)),
        closing=closing(MINISTER, ("Cổng Thông tin điện tử Chính phủ",), "CTĐP"),
        about="V/v đăng công khai danh sách lần thứ 6",
        addressed_to=["Cổng Thông tin điện tử Chính phủ"],
        round_number=6,
        article="điểm c khoản 1 Điều 16",
        days=20,
        posted_on=date(2026, 10, 5),
        last_day=date(2026, 10, 24),
        comment_address="Bộ Công Thương, số 54 Hai Bà Trưng, Hà Nội",
        counts=[TitleCount(EXCELLENT, 2, 1), TitleCount(PEOPLE, 1, 0)],
        people=[ANH, DUC, HUONG],
    )


def decision_record():
    return DecisionRecordData(
        head=head(MINISTRY, date(2026, 12, 1)),
        closing=closing(MINISTER, ("Các Sở Công Thương",), "CTĐP"),
        round_number=6,
        decision_number="1234/QĐ-CTN",
        decision_date=date(2026, 8, 28),
        people=[ANH, DUC],
    )
