"""Files the demo and the simulation attach: small well-formed PDFs (every uploaded PDF is opened and
checked, so a placeholder must be a real PDF)."""

import io

import pikepdf


def pdf_bytes(label: str = "") -> bytes:
    """A one-page PDF, distinct per label (attachments of one dossier must differ in content)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Title"] = label or "tep"
    out = io.BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()
