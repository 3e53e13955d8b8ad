"""Long tables (a national Form 04: 3,400 rows) are written into the saved file one row at a time instead
of being held whole in the document's XML tree, and the file is the same to the byte as the one built in
the tree: every entry of the .docx, with the group rows, the escaping and the tabs and line breaks."""

import dataclasses
import io
import zipfile

import pytest

from documents import layout
from documents.builders.council import build_list
from documents.data import Person
from tests.documents import samples as s


def _entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _saved(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)  # python-docx's own call, as documents.services.render makes it
    return out.getvalue()


def _listing(count: int):
    base = s.listing()
    awkward = Person(  # what must be escaped, and what python-docx writes as elements of their own
        **{
            **dataclasses.asdict(base.rows[0].person),
            "full_name": "Lê <Thị> & “Hoa”",
            "craft": "Gốm\tsứ\nmen lam",
        }
    )
    rows = [base.rows[i % len(base.rows)] for i in range(count - 1)]
    rows.append(dataclasses.replace(base.rows[0], person=awkward))
    return dataclasses.replace(base, rows=rows)


def _votes(doc):
    return next(table for table in doc.tables if len(table.columns) == 9)


def _streamed(doc) -> bool:
    return "<!--nghenhan-rows-" in doc.element.xml


@pytest.mark.parametrize("count", [layout.STREAMED_ROWS_OVER - 1, 3400])  # with 2 group rows: one over
def test_a_long_list_is_streamed_and_saved_the_same_to_the_byte(monkeypatch, count):
    data = _listing(count)
    streamed = build_list(data)
    assert _streamed(streamed)  # the rows are not in the tree: a marker stands where they go
    assert len(_votes(streamed).rows) == 1  # the heading row only
    monkeypatch.setattr(layout, "STREAMED_ROWS_OVER", 10**9)
    in_tree = build_list(data)
    assert not _streamed(in_tree)
    assert _entries(_saved(streamed)) == _entries(_saved(in_tree))
    text = _entries(_saved(streamed))["word/document.xml"].decode()
    assert "Lê &lt;Thị&gt; &amp; “Hoa”" in text and "<w:tab/>" in text and "<w:br/>" in text


def test_a_list_at_the_limit_stays_in_the_tree():
    doc = build_list(_listing(layout.STREAMED_ROWS_OVER - 2))  # with its two group rows: the limit
    assert not _streamed(doc)
    assert len(_votes(doc).rows) == 1 + layout.STREAMED_ROWS_OVER


def test_a_malformed_row_of_a_long_table_fails_the_build_not_the_save():
    doc = layout.new_document(title="x")
    with pytest.raises(ValueError, match="a row of 1 values for 2 columns"):
        layout.table(doc, ["A", "B"], [("1", "2")] * layout.STREAMED_ROWS_OVER + [("3",)])
