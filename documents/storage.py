"""Where generated files live: under MEDIA_ROOT/documents/, outside the web root, served only by the
permission-checking download view. A file is written once (O_EXCL: an existing name is an error, never
overwritten) and made read-only."""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

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
