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

# Honorifics: "Ông" or "Bà" from the recorded gender (dossiers.models.Artisan.Gender or its display),
# "Ông (Bà)" only when it is not known.
HONORIFIC = {"male": "Ông", "Nam": "Ông", "female": "Bà", "Nữ": "Bà"}
HONORIFIC_UNKNOWN = "Ông (Bà)"


def honorific(gender: str) -> str:
    return HONORIFIC.get(gender or "", HONORIFIC_UNKNOWN)


# A council's name in the header (Decree 30/2020, Appendix I, box 2: a body whose full name is long may
# use its shortened form there): by level, under the parent body that sets it up (the province's People's
# Committee, the Ministry). The full name stays in the title and the body.
COUNCIL_SHORT_NAME = {
    "provincial": "Hội đồng xét tặng danh hiệu nghệ nhân cấp tỉnh",
    "ministerial": "Hội đồng xét tặng danh hiệu nghệ nhân cấp Bộ",
    "state": "Hội đồng xét tặng danh hiệu nghệ nhân cấp Nhà nước",
}

TITLES_PHRASE = "xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú”"


def council_considering(council_name: str) -> str:
    """ "Hội đồng xét tặng cấp tỉnh xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú”"; a council
    whose name already says which titles it considers is named alone (never "xét tặng danh hiệu" twice)."""
    if "xét tặng danh hiệu" in council_name.casefold():
        return council_name
    return f"{council_name} {TITLES_PHRASE}"


# The kind of an instrument cited as a legal basis, from the type abbreviation in its number
# ("355/QĐ-BCT": a decision; "224/KH-UBND": a plan), Decree 30/2020, Appendix III.
INSTRUMENT_KIND = {
    "QĐ": "Quyết định",
    "KH": "Kế hoạch",
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "CT": "Chỉ thị",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "TTr": "Tờ trình",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "BB": "Biên bản",
    "BC": "Báo cáo",
}


def instrument_kind(number: str, default: str = "Quyết định") -> str:
    """The kind an instrument's number names ("355/QĐ-BCT" → "Quyết định"), else `default` (what the data
    model says it is: a round is set by a plan decision)."""
    _, _, symbol = number.rpartition("/")  # "43/2024/NĐ-CP": the symbol follows the last "/"
    abbreviation = symbol.split("-")[0].strip()
    return INSTRUMENT_KIND.get(abbreviation, default)


def instrument_basis(number: str, on, default: str = "Quyết định") -> str:
    """ "Căn cứ Quyết định số 355/QĐ-BCT ngày 10/03/2025": a legal basis naming the instrument's kind."""
    text = f"Căn cứ {instrument_kind(number, default)} số {number}"
    return f"{text} ngày {on:%d/%m/%Y}" if on else text
