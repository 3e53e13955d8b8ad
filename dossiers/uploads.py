"""What an uploaded file really is, whether a dossier accepts it, and the name it is kept under.

The type of a file is read from its first bytes (magic numbers), never from its name or from the
Content-Type the browser sent: an executable renamed ``.pdf`` is an executable. No new dependency:

    PDF   ``%PDF-`` at offset 0
    JPEG  ``FF D8 FF``
    PNG   ``89 50 4E 47 0D 0A 1A 0A``
    MP4   an ISO base-media ``ftyp`` box (bytes 4–8) whose brand is a known MP4 brand
    DOCX  a ZIP whose central directory lists ``[Content_Types].xml`` and ``word/document.xml``, declares
          a Word document (not a macro-enabled one), is not encrypted and is not a zip bomb

Refusals raise ``ValidationError`` with a stable code (``file_empty``, ``file_too_large``,
``file_type_not_allowed``); callers and tests match on the code, never on the message.

Size limits per attachment kind come from the setting ``ATTACHMENT_MAX_BYTES`` (a dict: kind → bytes,
``"default"`` for every kind not listed), defined in config/settings/base.py.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Attachment

MiB = 1024 * 1024


CHUNK_SIZE = 64 * 1024
HEADER_SIZE = 64

# A DOCX is refused when its entries would expand to more than this, when it has more entries than this,
# or when one entry expands more than DOCX_MAX_RATIO times (a real Word file is far below all three).
DOCX_MAX_UNCOMPRESSED = 100 * MiB
DOCX_MAX_ENTRIES = 5000
DOCX_MAX_RATIO = 200
DOCX_CONTENT_TYPES_MAX = MiB
DOCX_MAIN_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@dataclass(frozen=True)
class FileType:
    key: str
    label: str  # shown to people: "PDF", "JPEG" ...
    content_type: str
    extension: str  # canonical, with the dot


PDF = FileType("pdf", "PDF", "application/pdf", ".pdf")
JPEG = FileType("jpeg", "JPEG", "image/jpeg", ".jpg")
PNG = FileType("png", "PNG", "image/png", ".png")
MP4 = FileType("mp4", "MP4", "video/mp4", ".mp4")
DOCX = FileType(
    "docx",
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)

ALLOWED_TYPES: dict[str, tuple[FileType, ...]] = {
    Attachment.Kind.IDENTITY_CARD: (JPEG, PNG, PDF),
    Attachment.Kind.SKILLS_MEDIA: (JPEG, PNG, MP4, PDF),
}
DEFAULT_ALLOWED_TYPES: tuple[FileType, ...] = (PDF, JPEG, PNG, DOCX)

MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"M4VH",
        b"M4VP",
        b"dash",
        b"mmp4",
        b"MSNV",
    }
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, and password-protected Office files


def allowed_types(kind: str) -> tuple[FileType, ...]:
    return ALLOWED_TYPES.get(kind, DEFAULT_ALLOWED_TYPES)


def max_bytes(kind: str) -> int:
    limits = settings.ATTACHMENT_MAX_BYTES
    return int(limits.get(kind, limits["default"]))


# --- sniffing -----------------------------------------------------------------------------------------


class _Refused(Exception):
    """Not an accepted type, with an optional hint saying why (shown before the list of accepted types)."""

    def __init__(self, hint: str = ""):
        super().__init__(hint)
        self.hint = hint


def sniff(fileobj: IO[bytes] | File) -> FileType | None:
    """The type of a file from its content, or None when it is none of the types known here."""
    try:
        return _sniff(fileobj)
    except _Refused:
        return None


def _sniff(fileobj) -> FileType | None:
    fileobj.seek(0)
    head = fileobj.read(HEADER_SIZE)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if _is_mp4(head):
        return MP4
    if head.startswith(b"PK\x03\x04"):
        return _docx(fileobj)
    if head.startswith(_OLE_MAGIC):
        raise _Refused(
            gettext(
                "Legacy Word files (.doc) and password-protected Office files are not accepted: save the "
                "document as DOCX without a password, or as PDF."
            )
        )
    return None


def _is_mp4(head: bytes) -> bool:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    # The major brand decides: HEIC/AVIF photos, QuickTime .mov and 3GP are ISO BMFF too, with other brands.
    return int.from_bytes(head[0:4], "big") >= 16 and head[8:12] in MP4_BRANDS


def _docx(fileobj) -> FileType | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            if len(infos) > DOCX_MAX_ENTRIES:
                raise _Refused(gettext("The archive has too many entries to be a Word document."))
            total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise _Refused(gettext("Password-protected files are not accepted."))
                total += info.file_size
                if info.file_size > MiB and info.file_size > DOCX_MAX_RATIO * max(info.compress_size, 1):
                    raise _Refused(gettext("The archive expands to an implausible size."))
            if total > DOCX_MAX_UNCOMPRESSED:
                raise _Refused(gettext("The archive expands to an implausible size."))
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return None
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise _Refused(gettext("Word documents with macros are not accepted."))
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(DOCX_CONTENT_TYPES_MAX)
            if DOCX_MAIN_CONTENT_TYPE not in content_types:
                return None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        ValueError,
        OSError,
    ):
        return None  # damaged, or a compression method Word does not use
    finally:
        fileobj.seek(0)
    return DOCX


# --- checking an upload ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectedFile:
    file_type: FileType
    size: int
    sha256: str


def inspect_upload(uploaded_file: File, *, kind: str) -> InspectedFile:
    """Size, type and SHA-256 of an upload, or ValidationError (file_empty, file_too_large,
    file_type_not_allowed). The cheap checks come first; the file is then read once, in chunks."""
    kind_label = Attachment.Kind(kind).label
    limit = max_bytes(kind)
    declared = uploaded_file.size
    if declared is None:  # not told by the upload handler: measure it
        declared = uploaded_file.seek(0, 2) or 0
        uploaded_file.seek(0)
    if declared == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if declared > limit:
        raise _too_large(declared, limit, kind_label)

    accepted = allowed_types(kind)
    hint = ""
    try:
        file_type = _sniff(uploaded_file)
    except _Refused as refusal:
        file_type, hint = None, refusal.hint
    if file_type is None or file_type not in accepted:
        types = ", ".join(t.label for t in accepted)
        prefix = hint or gettext("The content of this file is not of an accepted type.")
        accepted_message = gettext("Accepted file types for “%(kind)s”: %(types)s.") % {
            "kind": kind_label,
            "types": types,
        }
        raise ValidationError(f"{prefix} {accepted_message}", code="file_type_not_allowed")

    if file_type is PDF:
        _check_pdf(uploaded_file)

    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    while chunk := uploaded_file.read(CHUNK_SIZE):
        size += len(chunk)
        if size > limit:  # the declared size was wrong
            raise _too_large(size, limit, kind_label)
        digest.update(chunk)
    uploaded_file.seek(0)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    return InspectedFile(file_type=file_type, size=size, sha256=digest.hexdigest())


def _too_large(size: int, limit: int, kind_label: str) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s; files of “%(kind)s” can be at most %(limit)s."),
        code="file_too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(limit), "kind": kind_label},
    )


# --- what a PDF may not carry ------------------------------------------------------------------------------

# Actions that run something, send something or open another file when a reader follows them. Links to a
# web address (/URI) and moves within the document (/GoTo) stay allowed.
PDF_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/RichMediaExecute"}
)


def _check_pdf(fileobj) -> None:
    """Refuse a PDF that carries active content (JavaScript, an action run on opening, actions on events,
    launch or submit actions, embedded files, an XFA form), that is encrypted, or that cannot be read
    whole (what cannot be inspected is not accepted)."""
    import pikepdf  # here, not at the top: the worker and most pages never read a PDF (15 MB a process)

    reason = None
    fileobj.seek(0)
    try:
        with pikepdf.open(fileobj) as pdf:
            reason = _pdf_active_content(pdf)
    except pikepdf.PasswordError:
        reason = gettext("Password-protected files are not accepted.")
    except (pikepdf.PdfError, ValueError, OSError, RecursionError):
        raise ValidationError(
            _("The PDF file is damaged and cannot be checked: save or print it again as PDF and upload it."),
            code="file_damaged",
        ) from None
    finally:
        fileobj.seek(0)
    if reason:
        raise ValidationError(
            _(
                "This PDF file is not accepted because %(reason)s. Print it to a new PDF, or scan the paper "
                "document, and upload that file."
            )
            % {"reason": reason},
            code="file_active_content",
        )


def _pdf_active_content(pdf) -> str | None:
    import pikepdf

    root = pdf.Root
    if pdf.is_encrypted:
        return gettext("it is encrypted")
    if isinstance(root.get("/OpenAction"), pikepdf.Dictionary):
        return gettext("it runs an action when it is opened")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            return gettext("it contains JavaScript")
        if "/EmbeddedFiles" in names:
            return gettext("it contains embedded files")
    acroform = root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
        return gettext("it contains an XFA form")
    for obj in pdf.objects:
        reason = _active_in(obj, depth=0)
        if reason:
            return reason
    return None


def _active_in(obj, depth: int) -> str | None:
    """Active content in one object and the direct objects nested in it (indirect ones are visited on
    their own by the caller's loop over every object of the file)."""
    import pikepdf

    if depth > 32:
        return None
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Array):
        children = list(obj)
    elif isinstance(obj, pikepdf.Dictionary):
        if "/JS" in obj or obj.get("/S") == "/JavaScript":
            return gettext("it contains JavaScript")
        if obj.get("/S") in PDF_ACTIVE_ACTIONS:
            return gettext("it contains an action that opens, runs or sends something")
        if "/AA" in obj:
            return gettext("it runs actions on events")
        if obj.get("/Type") == "/EmbeddedFile" or "/EF" in obj:
            return gettext("it contains embedded files")
        if "/XFA" in obj:
            return gettext("it contains an XFA form")
        children = [value for _key, value in obj.items()]
    else:
        return None
    for child in children:
        if not isinstance(child, pikepdf.Object) or child.is_indirect:
            continue
        reason = _active_in(child, depth + 1)
        if reason:
            return reason
    return None


# --- file names -------------------------------------------------------------------------------------------

MAX_NAME_LENGTH = 120
FALLBACK_STEM = "tep"  # "tệp" (file), in ASCII so that every system can show it

_PATH_SEPARATORS = re.compile(r"[\\/]")
_RESERVED = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")
_LINE_SPACES = re.compile(r"[\t\n\r\v\f]+")
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,8}$")


def check_filename(uploaded_file) -> None:
    """Refuse a file whose name, as the browser or client sent it, carries a folder path ("../x.pdf",
    "..\\x.pdf", "/etc/x.pdf"): a real browser sends only the file's own name, so such a name is either
    a mistake or an attack, and silently cleaning it would hide both."""
    sent = getattr(uploaded_file, "name_as_sent", None) or getattr(uploaded_file, "name", "") or ""
    if _PATH_SEPARATORS.search(sent):
        raise ValidationError(
            _(
                "The file name must not contain a folder path (“/” or “\\”): rename the file and upload it "
                "again."
            ),
            code="file_name_path",
        )


def sanitize_filename(name: str | None, extension: str | None = None) -> str:
    """A name fit to show and to offer as a download name (never used as a storage path).

    Drops any directory part (``/`` and ``\\``), control and invisible characters (including the
    right-to-left override used to disguise extensions) and the characters Windows refuses; keeps
    Vietnamese letters, in NFC; collapses spaces; at most 120 characters with the extension kept.
    ``extension`` (e.g. ".pdf", the canonical one of the sniffed type) replaces the name's own.
    """
    name = _PATH_SEPARATORS.split(name or "")[-1]
    name = _LINE_SPACES.sub(" ", name)  # tabs and line breaks become spaces before control characters go
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = unicodedata.normalize("NFC", name)
    name = _RESERVED.sub(" ", name)
    name = _SPACES.sub(" ", name).strip(" .")

    stem, dot, own_extension = name.rpartition(".")
    if not dot or not stem or not _EXTENSION.match(own_extension) or own_extension.isdigit():
        stem, own_extension = name, ""
    stem = stem.rstrip(" .")
    if extension is None:
        extension = f".{own_extension.lower()}" if own_extension else ""
    elif extension and not extension.startswith("."):
        extension = f".{extension}"

    stem = stem[: max(MAX_NAME_LENGTH - len(extension), 1)].rstrip(" .")
    return (stem or FALLBACK_STEM) + extension
