"""Text normalisation used everywhere names are stored."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def to_nfc(value: str | None) -> str:
    """Unicode NFC with surrounding space removed and inner runs of space collapsed.

    Vietnamese typed on some keyboards (and pasted from PDFs) arrives decomposed: "ệ" as "e" + two
    combining marks. Stored NFC, "Nguyễn" typed either way is the same name in search and sorting.
    """
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold_for_search(value: str | None) -> str:
    """The text a search compares: lower case, Vietnamese tone and letter marks removed ("ệ" → "e"),
    "đ" → "d", spaces collapsed, so "pham thi hong" and "PHẠM THỊ HỒNG" fold alike. Letters outside
    ASCII with no mark to remove are kept as they are (the comparison still works on them)."""
    if not value:
        return ""
    text = unicodedata.normalize("NFD", value.lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
