"""The demo's councils, recorded through the same services as the pages (councils.setup): Hà Nội's
provincial council (by canbo.hanoi), the ministerial and State councils (by chuyenvien.bct).

Idempotent: a council already recorded for the round, level and province is returned as it is. The demo
users must exist (seed_demo creates them first); the other members get accounts with @demo.invalid
addresses and no usable password."""

from datetime import date

from accounts.models import User
from councils.models import Council, Membership
from councils.setup import MemberInput, council_record
from dossiers.rulebook.selectors import rules_for_round

CHAIR, VICE, MEMBER, SECRETARY = (
    Membership.Role.CHAIR,
    Membership.Role.VICE_CHAIR,
    Membership.Role.MEMBER,
    Membership.Role.SECRETARY,
)

# full name, e-mail, position, agency, role, authorised to preside
PROVINCIAL_MEMBERS = (
    ("Nguyễn Văn Khải", "hdtinh.chutich@demo.invalid", "Phó Chủ tịch", "UBND thành phố Hà Nội", CHAIR, False),
    ("Nguyễn Thị Phương", "hdtinh.phochutich@demo.invalid", "Giám đốc", "Sở Công Thương Hà Nội", VICE, True),
    ("Trần Văn Minh", "uyvien.hanoi@demo.invalid", "Phó Giám đốc", "Sở Công Thương Hà Nội", MEMBER, False),
    (
        "Lê Thị Thu Hằng",
        "hdtinh.uyvien1@demo.invalid",
        "Phó Giám đốc",
        "Sở Văn hóa và Thể thao Hà Nội",
        MEMBER,
        False,
    ),
    ("Phạm Văn Đức", "hdtinh.uyvien2@demo.invalid", "Chủ tịch", "Hiệp hội Làng nghề Hà Nội", MEMBER, False),
    ("Đỗ Thị Ngọc", "hdtinh.uyvien3@demo.invalid", "Phó Giám đốc", "Sở Nội vụ Hà Nội", MEMBER, False),
    (
        "Hoàng Văn Sơn",
        "hdtinh.uyvien4@demo.invalid",
        "Trưởng khoa",
        "Trường Đại học Mỹ thuật Công nghiệp",
        MEMBER,
        False,
    ),
    (
        "Vũ Thị Thanh",
        "hdtinh.uyvien5@demo.invalid",
        "Nghệ nhân nhân dân",
        "Làng gốm Bát Tràng",
        MEMBER,
        False,
    ),
    (
        "Bùi Quang Hải",
        "hdtinh.uyvien6@demo.invalid",
        "Chủ tịch",
        "Hội Mỹ nghệ kim hoàn đá quý Hà Nội",
        MEMBER,
        False,
    ),
    (
        "Ngô Thị Hương",
        "hdtinh.uyvien7@demo.invalid",
        "Phó Chủ tịch",
        "Liên hiệp các Hội Văn học nghệ thuật Hà Nội",
        MEMBER,
        False,
    ),
    ("Đinh Văn Tùng", "hdtinh.uyvien8@demo.invalid", "Trưởng phòng", "Sở Công Thương Hà Nội", MEMBER, False),
    ("Lê Thu Hà", "thuky.hanoi@demo.invalid", "Chuyên viên", "Sở Công Thương Hà Nội", SECRETARY, False),
)

MINISTERIAL_MEMBERS = (
    ("Trương Minh Khoa", "hdbo.chutich@demo.invalid", "Thứ trưởng", "Bộ Công Thương", CHAIR, False),
    ("Phan Văn Lợi", "hdbo.phochutich@demo.invalid", "Cục trưởng", "Cục Công Thương địa phương", VICE, True),
    ("Vũ Thị Hồng", "uyvien.bo@demo.invalid", "Phó Vụ trưởng", "Vụ Thi đua - Khen thưởng", MEMBER, False),
    (
        "Nguyễn Thị Kim Oanh",
        "hdbo.uyvien1@demo.invalid",
        "Chủ tịch",
        "Hiệp hội Làng nghề Việt Nam",
        MEMBER,
        False,
    ),
    (
        "Trịnh Quốc Bảo",
        "hdbo.uyvien2@demo.invalid",
        "Phó Hiệu trưởng",
        "Trường Đại học Mỹ thuật Việt Nam",
        MEMBER,
        False,
    ),
    (
        "Lương Thị Mai",
        "hdbo.uyvien3@demo.invalid",
        "Phó Vụ trưởng",
        "Vụ Pháp chế, Bộ Công Thương",
        MEMBER,
        False,
    ),
    (
        "Đặng Hữu Phúc",
        "hdbo.uyvien4@demo.invalid",
        "Nghệ nhân nhân dân",
        "Hội Mỹ nghệ Việt Nam",
        MEMBER,
        False,
    ),
    ("Cao Văn Khánh", "hdbo.uyvien5@demo.invalid", "Phó Cục trưởng", "Cục Di sản văn hóa", MEMBER, False),
    (
        "Tạ Thị Yến",
        "hdbo.uyvien6@demo.invalid",
        "Viện trưởng",
        "Viện Nghiên cứu Chiến lược, chính sách Công Thương",
        MEMBER,
        False,
    ),
    (
        "Đặng Văn Long",
        "thuky.bo@demo.invalid",
        "Chuyên viên chính",
        "Cục Công Thương địa phương",
        SECRETARY,
        False,
    ),
    # The ministry's councils record their results as steps of the ministry clerk: a clerk of the
    # secretariat keeps their minutes and closes their ballots.
    ("Phạm Quốc Huy", "chuyenvien.bct@demo.invalid", "Chuyên viên", "Bộ Công Thương", SECRETARY, False),
)

STATE_MEMBERS = (
    ("Lê Quang Vinh", "hdnn.chutich@demo.invalid", "Bộ trưởng", "Bộ Công Thương", CHAIR, False),
    ("Trương Minh Khoa", "hdbo.chutich@demo.invalid", "Thứ trưởng", "Bộ Công Thương", VICE, True),
    ("Vũ Đình Tài", "hdnn.phochutich@demo.invalid", "Thứ trưởng", "Bộ Nội vụ", VICE, False),
    ("Vũ Thị Hồng", "uyvien.bo@demo.invalid", "Phó Vụ trưởng", "Vụ Thi đua - Khen thưởng", MEMBER, False),
    (
        "Hoàng Văn Định",
        "hdnn.uyvien1@demo.invalid",
        "Thứ trưởng",
        "Bộ Văn hóa, Thể thao và Du lịch",
        MEMBER,
        False,
    ),
    (
        "Lê Trọng Nghĩa",
        "hdnn.uyvien2@demo.invalid",
        "Thứ trưởng",
        "Bộ Lao động - Thương binh và Xã hội",
        MEMBER,
        False,
    ),
    (
        "Phùng Văn Toàn",
        "hdnn.uyvien3@demo.invalid",
        "Thứ trưởng",
        "Bộ Nông nghiệp và Môi trường",
        MEMBER,
        False,
    ),
    (
        "Phạm Thị Thu Trang",
        "hdnn.uyvien4@demo.invalid",
        "Thứ trưởng",
        "Ban Thi đua - Khen thưởng Trung ương",
        MEMBER,
        False,
    ),
    (
        "Nguyễn Thị Kim Oanh",
        "hdbo.uyvien1@demo.invalid",
        "Chủ tịch",
        "Hiệp hội Làng nghề Việt Nam",
        MEMBER,
        False,
    ),
    (
        "Đặng Hữu Phúc",
        "hdbo.uyvien4@demo.invalid",
        "Nghệ nhân nhân dân",
        "Hội Mỹ nghệ Việt Nam",
        MEMBER,
        False,
    ),
    (
        "Đặng Văn Long",
        "thuky.bo@demo.invalid",
        "Chuyên viên chính",
        "Cục Công Thương địa phương",
        SECRETARY,
        False,
    ),
    # The ministry's councils record their results as steps of the ministry clerk: a clerk of the
    # secretariat keeps their minutes and closes their ballots.
    ("Phạm Quốc Huy", "chuyenvien.bct@demo.invalid", "Chuyên viên", "Bộ Công Thương", SECRETARY, False),
)


def _members(rows) -> list[MemberInput]:
    return [MemberInput(*row) for row in rows]


def _size_reason(round_, level: str, members: list[MemberInput]) -> str:
    """The demo's councils keep their size if a round's rules are changed; the reason says so."""
    rules = rules_for_round(round_)
    voting = sum(m.role in Membership.VOTING_ROLES for m in members)
    low, high = f"council.{level}.min_members", f"council.{level}.max_members"
    if low in rules and high in rules and not rules.value(low) <= voting <= rules.value(high):
        return "Dữ liệu thử nghiệm: giữ nguyên thành phần Hội đồng mẫu."
    return ""


def _council(round_, *, level: str, province, name: str, number: str, when: date, signer: str, rows, by):
    existing = (
        Council.objects.filter(round=round_, level=level, province=province, dissolved_on__isnull=True)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    members = _members(rows)
    return council_record(
        round=round_,
        level=level,
        province=province,
        name=name,
        decision_number=number,
        decision_date=when,
        decision_signer=signer,
        members=members,
        by=by,
        size_reason=_size_reason(round_, level, members),
    )


def seed_councils(*, round_) -> dict[str, Council]:
    """The round's three demo councils, keyed "provincial", "ministerial" and "state"."""
    officer = User.objects.select_related("agency__province").get(username="canbo.hanoi")
    clerk = User.objects.get(username="chuyenvien.bct")
    return {
        "provincial": _council(
            round_,
            level=Council.Level.PROVINCIAL,
            province=officer.agency.province,
            name="Hội đồng xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” cấp tỉnh Hà Nội",
            number="4125/QĐ-UBND",
            when=date(2025, 9, 5),
            signer="Trần Quốc Việt",
            rows=PROVINCIAL_MEMBERS,
            by=officer,
        ),
        "ministerial": _council(
            round_,
            level=Council.Level.MINISTERIAL,
            province=None,
            name="Hội đồng xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” cấp Bộ Công Thương",
            number="3012/QĐ-BCT",
            when=date(2025, 11, 14),
            signer="Lê Quang Vinh",
            rows=MINISTERIAL_MEMBERS,
            by=clerk,
        ),
        "state": _council(
            round_,
            level=Council.Level.STATE,
            province=None,
            name="Hội đồng xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” cấp Nhà nước",
            number="2689/QĐ-TTg",
            when=date(2025, 12, 8),
            signer="Đoàn Minh Tâm",
            rows=STATE_MEMBERS,
            by=clerk,
        ),
    }
