"""Every kind of document as LibreOffice renders it (where LibreOffice and pdftotext are installed: CI
installs both; `make test` on a machine without them skips this): page one holds the document's opening
lines as the builder wrote them (issuer, number, place and date, title), the national motto where the
document has it, and nothing technical (no "None", no internal kind name, no unfilled placeholder); a
place name in the header is never split across two lines."""

import dataclasses
import re
import shutil
import subprocess

import pytest

from documents.data import to_json
from documents.kinds import SPECS, Kind
from documents.pdf import to_pdf
from documents.services import render

from .reading import lines, reopen
from .test_builders import SAMPLES, symbol

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT), reason="LibreOffice and pdftotext are not installed (CI installs them)"
)
TECHNICAL = re.compile(r"\bNone\b|form_\d\d|_notice|_letter|%\(|\{\w*\}|__")


def _docx(kind) -> bytes:
    data = SAMPLES[kind]()
    if SPECS[kind].numbered:
        head = dataclasses.replace(data.head, number=7, symbol=symbol(kind, data.head.issuer.symbol))
        data = dataclasses.replace(data, head=head)
    return render(kind, to_json(data))


def _page_one(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [PDFTOTEXT, "-f", "1", "-l", "1", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.mark.parametrize("kind", list(Kind))
def test_page_one_as_rendered(kind, settings, tmp_path):
    settings.DOCUMENTS_SOFFICE = SOFFICE
    content = _docx(kind)
    written = [line for line in lines(reopen(content)) if line.strip()]
    rendered = _page_one(to_pdf(content), tmp_path)
    flat = _squeeze(rendered)
    assert flat, kind
    # the opening lines (header, number, date, title) are on page one, as written
    for line in written[:6]:
        words = _squeeze(line).split(" ")
        assert all(word in flat for word in words), (kind, line, rendered[:1500])
    if any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in written):
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert not TECHNICAL.findall(rendered), (kind, TECHNICAL.findall(rendered))
    # a place name is never broken across lines: "THÀNH PHỐ" and "HÀ NỘI" stay on one line
    for raw in rendered.splitlines():
        assert not raw.rstrip().endswith(("THÀNH", "THÀNH PHỐ")), (kind, raw)
