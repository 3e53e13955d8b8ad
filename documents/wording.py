"""Fixed Vietnamese words that the procedure's documents share: the titles, genders, award levels and
scopes, council roles, the bodies a level reports to, and the decree's citation.

Official documents are in Vietnamese whatever the user's language, so these strings are not translated.
Each form's own fixed words are in documents/forms.py.
"""

from dossiers.models import Title

TITLE_NAME = {Title.PEOPLES: "Nghệ nhân nhân dân", Title.EXCELLENT: "Nghệ nhân ưu tú"}

GENDER = {"male": "Nam", "female": "Nữ"}

AWARD_LEVEL = {
    "first": "Giải nhất",
    "second": "Giải nhì",
    "third": "Giải ba",
    "consolation": "Giải khuyến khích",
}

AWARD_SCOPE = {
    "provincial": "Cấp tỉnh",
    "national": "Toàn quốc",
    "regional": "Khu vực",
    "international": "Quốc tế",
}

# Keyed by councils.Membership.Role values, in the order members are listed in a decision.
MEMBER_ROLE = {
    "chair": "Chủ tịch Hội đồng",
    "vice_chair": "Phó Chủ tịch Hội đồng",
    "member": "Ủy viên",
    "secretary": "Thư ký",
}

NEXT_BODY = {
    "provincial": ["Hội đồng chuyên ngành cấp Bộ (qua Bộ Công Thương)"],
    "ministerial": ["Hội đồng cấp Nhà nước xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú”"],
    "state": ["Thủ tướng Chính phủ"],
}

COUNCIL_SYMBOL = "HĐXT"

GOV_PORTAL = "Cổng Thông tin điện tử Chính phủ"

DECREE_BASIS = (
    "Căn cứ Nghị định số 43/2024/NĐ-CP ngày 19 tháng 4 năm 2024 của Chính phủ quy định chi tiết về xét tặng"
    " danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” trong lĩnh vực nghề thủ công mỹ nghệ"
)
