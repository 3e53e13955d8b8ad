"""The name a generated document downloads under: what it is, in Vietnamese, with an ASCII form."""

import re
import unicodedata
from datetime import date

from .kinds import SHORT_NAME


def download_name(
    *, kind: str, number_text: str, issued_on: date, suffix: str, dossier_code: str = "", session: str = ""
) -> tuple[str, str]:
    """A download's file name, saying what the document is: its kind's short name, the dossier or the
    council session it belongs to (the dossier by its code, "01-06-0042", the one people quote), and its
    number (its date when it has none), e.g. "Thông báo kết quả xét chọn - Hồ sơ 01-06-0042 - Số
    12-TB-HĐXT.docx". Returned with its ASCII form, the same words folded to lower-case ASCII, for the
    clients that do not read RFC 6266's UTF-8 name:
    "thong-bao-ket-qua-xet-chon_ho-so-01-06-0042_so-12-tb-hdxt.docx"."""
    parts = [SHORT_NAME.get(kind, kind)]
    if dossier_code:
        parts.append(f"Hồ sơ {dossier_code}")
    if session:
        parts.append(f"Phiên {session}")
    if number_text:
        parts.append("Số " + number_text.replace("/", "-"))
    else:
        parts.append(f"Ngày {issued_on:%d.%m.%Y}")
    parts = [_safe(part) for part in parts]
    return " - ".join(parts) + suffix, "_".join(_ascii(part) for part in parts) + suffix


def _safe(text: str) -> str:
    """No path separators, quotes or control characters in a name; single spaces."""
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f;]+', "-", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip(" .-")


def _ascii(text: str) -> str:
    """ "Biên bản họp" → "bien-ban-hop": the letters without their marks (Đ as D), in lower case, words
    joined by "-"."""
    plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9.]+", "-", plain)
    return plain.strip("-.").lower() or "van-ban"
