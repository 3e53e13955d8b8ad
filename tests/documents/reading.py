"""Reading a built document back with python-docx, as a person checking it would."""

import io

from docx import Document


def reopen(content: bytes):
    return Document(io.BytesIO(content))


def lines(doc) -> list[str]:
    """Every paragraph's text, in order, tables included (cell by cell)."""
    out = []

    def walk(container):
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)
            elif block.text.strip():
                out.append(block.text)

    walk(doc)
    return out


def tables(doc) -> list[list[list[str]]]:
    """The bordered tables (the header and signature tables have no style) as rows of cell texts."""
    return [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in doc.tables
        if table.style is not None and table.style.name == "Table Grid"
    ]


def header_table(doc) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
