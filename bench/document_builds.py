"""Documents: the builders against python-docx writing the same text as plain paragraphs."""

from __future__ import annotations

import io
import json
import statistics
import time


def _text_of(content: bytes) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return lines


def _minimal(lines: list[str]) -> bytes:
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def measure_documents(builds: int) -> dict:
    """The builders against python-docx writing the same text as plain paragraphs, alternated so that
    both see the same machine load."""
    from documents.models import GeneratedDocument
    from documents.services import render

    kinds = {"decision": ["council_decision", "decision_record"], "list": ["form_04"]}
    out = {}
    for label, names in kinds.items():
        candidates = GeneratedDocument.objects.filter(kind__in=names).only("kind", "source_data")
        document = max(candidates, key=lambda x: len(json.dumps(x.source_data)), default=None)
        if document is None:
            continue
        lines = _text_of(render(document.kind, document.source_data))
        built, minimal = [], []
        for _ in range(builds):
            started = time.perf_counter()
            render(document.kind, document.source_data)
            built.append(time.perf_counter() - started)
            started = time.perf_counter()
            _minimal(lines)
            minimal.append(time.perf_counter() - started)
        b, m = statistics.median(built), statistics.median(minimal)
        out[label] = {
            "kind": document.kind,
            "lines": len(lines),
            "per_second": round(1 / b, 1),
            "minimal_per_second": round(1 / m, 1),
            "ratio": round(b / m, 2),
        }
    return out
