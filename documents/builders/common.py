"""What several documents share: the letterhead, the form mark, tables of people and votes."""

from __future__ import annotations

from docx.document import Document

from .. import forms, layout
from ..data import (
    Closing,
    Head,
    Person,
    TitleCount,
    VoteRow,
)


def _number(head: Head) -> str | None:
    """ "05/QĐ-UBND"; None for a document without a number of its own (a list attached to a submission)."""
    if head.fixed_number:
        return head.fixed_number
    return layout.number_text(head.number, head.symbol) if head.number is not None else None


def _close(doc: Document, closing: Closing) -> None:
    """The signature block, the recipients ("Nơi nhận") and the archive line of a document."""
    layout.closing(doc, signature=closing.signature, recipients=closing.recipients, archive=closing.archive)


def _letterhead(doc: Document, head: Head, *, about: str = "") -> None:
    layout.header(
        doc, issuer=head.issuer, number=_number(head), place=head.issuer.place, on=head.issued_on, about=about
    )


def _form_mark(doc: Document, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = layout.WD_ALIGN_PARAGRAPH.RIGHT
    layout._text(paragraph, text, size=12, bold=True)


def _ratio(row: VoteRow) -> str:
    return layout.percent(row.agree, row.base)


def _by_title(rows: list[VoteRow]) -> dict[str, list[VoteRow]]:
    groups: dict[str, list[VoteRow]] = {}
    for row in rows:
        groups.setdefault(row.person.title, []).append(row)
    return groups


def _counts(doc: Document, counts: list[TitleCount], line: str) -> None:
    layout.bullets(
        doc, [line.format(title=c.title, proposed=c.proposed, posthumous=c.posthumous) for c in counts]
    )


def _note(person: Person, *, with_code: bool = True) -> str:
    """The "Ghi chú" cell: posthumous or not, and the dossier's code, by which the agencies that
    exchange the list find the dossier (never on a list posted for the public)."""
    parts = [forms.LIST["posthumous"]] if person.posthumous else []
    if with_code and person.code:
        parts.append(forms.LIST["code"].format(code=person.code))
    return "; ".join(parts)


def _people_table(doc: Document, columns: list[str], people: list[Person], *, with_code: bool = True) -> None:
    layout.table(
        doc,
        columns,
        [
            (i, p.full_name, p.birth_year, p.craft, p.province, p.title, _note(p, with_code=with_code))
            for i, p in enumerate(people, 1)
        ],
    )


def _vote_table(doc: Document, rows: list[VoteRow]) -> None:
    text = forms.LIST
    table_rows: list[tuple] = []
    for title, group in _by_title(rows).items():
        table_rows.append(layout.Span(text["group"].format(title=f"“{title}”")))
        for i, row in enumerate(group, 1):
            p = row.person
            table_rows.append(
                (
                    i,
                    p.full_name,
                    p.birth_year,
                    p.gender,
                    p.craft,
                    p.province,
                    f"{row.agree}/{row.base}",
                    _ratio(row),
                    _note(p),
                )
            )
    layout.table(doc, text["columns"], table_rows, size=11)
