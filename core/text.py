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
