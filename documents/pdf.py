"""A PDF rendition through LibreOffice, where it is installed. Each worker process uses its own
LibreOffice profile directory (two soffice processes sharing one profile block each other), and every
conversion has a timeout. Where LibreOffice is missing, the .docx alone is the document, and the UI
says so."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

NOT_INSTALLED, TIMEOUT, FAILED = "not_installed", "timeout", "failed"


class PdfUnavailable(Exception):
    """No PDF this time; `code` says why (the UI words it), the message gives the detail for the log."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


def converter() -> str | None:
    configured = settings.DOCUMENTS_SOFFICE
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes:
    program = converter()
    if program is None:
        raise PdfUnavailable(NOT_INSTALLED)
    profile = Path(settings.VAR_DIR) / "lo-profile" / f"{os.uname().nodename}-{os.getpid()}"
    profile.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docx2pdf-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        try:
            subprocess.run(  # noqa: S603  (a fixed program and our own file names)
                [
                    program,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    work,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=settings.DOCUMENTS_PDF_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(TIMEOUT, f"over {settings.DOCUMENTS_PDF_TIMEOUT_SECONDS} s") from None
        except (subprocess.CalledProcessError, OSError) as exc:
            raise PdfUnavailable(FAILED, str(exc)) from None
        result = Path(work) / "document.pdf"
        if not result.exists() or not result.read_bytes().startswith(b"%PDF"):
            raise PdfUnavailable(FAILED, "no PDF produced")
        return result.read_bytes()
