"""Where generated files live: under MEDIA_ROOT/documents/, outside the web root, served only by the
permission-checking download view. A file is written once (O_EXCL: an existing name is an error, never
overwritten) and made read-only."""

import hashlib
import os
import re
import unicodedata
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .kinds import SHORT_NAME

ROOT = "documents"


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / ROOT


def store_once(content: bytes, *, stem: str, suffix: str) -> tuple[str, str, int]:
    """Write `content` to a new file; return its name (relative to MEDIA_ROOT), SHA-256 and size."""
    today = timezone.localdate()
    relative = Path(ROOT) / f"{today:%Y}" / f"{today:%m}" / f"{stem}{suffix}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    return str(relative), hashlib.sha256(content).hexdigest(), len(content)


def path_of(name: str) -> Path:
    """The absolute path of a stored name, refusing anything that would leave the documents folder."""
    path = (Path(settings.MEDIA_ROOT) / name).resolve()
    if _root().resolve() not in path.parents:
        raise ValueError("not a stored document")
    return path


def sha256_of(name: str) -> str:
    return hashlib.sha256(path_of(name).read_bytes()).hexdigest()


def download_name(
    *, kind: str, number_text: str, issued_on: date, suffix: str, dossier_code: str = "", session: str = ""
) -> tuple[str, str]:
    """A download's file name, saying what the document is: its kind's short name, the dossier or the
    council session it belongs to, and its number (its date when it has none), e.g.
    "Biên bản họp - Phiên 15.07.2026 - Số 05-BB-HĐXT.docx". Returned with its ASCII form for the clients
    that do not read RFC 6266's UTF-8 name: "Bien-ban-hop_Phien-15.07.2026_So-05-BB-HDXT.docx"."""
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
    """ "Biên bản họp" → "Bien-ban-hop": the letters without their marks (Đ as D), words joined by "-"."""
    plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9.]+", "-", plain)
    return plain.strip("-.") or "van-ban"
