"""One builder per document: data object in, python-docx Document out. Builders never query; the
layout is layout.py's, the fixed words are forms.py's."""

from __future__ import annotations

from docx.document import Document

from . import forms, layout
from .data import (
    BallotPaperData,
    CouncilDecisionData,
    CountData,
    DecisionRecordData,
    DeclarationData,
    Head,
    ListData,
    MinutesData,
    Person,
    PostingNoticeData,
    ResultNoticeData,
    Signature,
    SubmissionData,
    SummaryData,
    SupplementLetterData,
    TitleCount,
    VoteRow,
)


def _number(head: Head) -> str | None:
    """ "05/QĐ-UBND"; None for a document without a number of its own (a list attached to a submission)."""
    if head.fixed_number:
        return head.fixed_number
    return layout.number_text(head.number, head.symbol) if head.number is not None else None


def _letterhead(doc: Document, head: Head, *, about: str = "") -> None:
    layout.header(
        doc, issuer=head.issuer, number=_number(head), place=head.issuer.place, on=head.issued_on, about=about
    )


def _form_mark(doc: Document, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = layout.WD_ALIGN_PARAGRAPH.RIGHT
    layout._text(paragraph, text, size=12, bold=True)


def _ratio(row: VoteRow) -> str:
    return f"{row.agree * 100 / row.base:.2f}%" if row.base else "—"


def _by_title(rows: list[VoteRow]) -> dict[str, list[VoteRow]]:
    groups: dict[str, list[VoteRow]] = {}
    for row in rows:
        groups.setdefault(row.person.title, []).append(row)
    return groups


def _counts(doc: Document, counts: list[TitleCount], line: str) -> None:
    layout.bullets(
        doc,
        [
            line.format(title=c.title, proposed=c.proposed, posthumous=c.posthumous).rstrip(";")
            for c in counts
        ],
    )


def _people_table(doc: Document, columns: list[str], people: list[Person]) -> None:
    layout.table(
        doc,
        columns,
        [
            (i, p.full_name, p.birth_year, p.craft, p.province, p.title, "Truy tặng" if p.posthumous else "")
            for i, p in enumerate(people, 1)
        ],
    )


# Forms 01 and 02 ------------------------------------------------------------------------------------


def build_declaration(data: DeclarationData) -> Document:
    text = forms.DECLARATION
    doc = layout.new_document(title=f"{text['title']} {data.full_name}")
    _form_mark(doc, text["form"][data.title_key])
    layout.header(doc, issuer=None, number=None, place=data.place, on=None)
    layout.title(
        doc,
        text["title"],
        [
            text["summary"].format(title=forms.TITLE_PHRASE[data.title_key], field=forms.FIELD),
            text["round"].format(round=data.round_number),
        ],
    )
    layout.body(doc, text["prefilled"], italic=True, indent=False)
    layout.heading(doc, text["sections"]["person"])
    values = {
        "full_name": data.full_name,
        "gender": data.gender,
        "date_of_birth": layout.dmy(data.date_of_birth),
        "ethnicity": data.ethnicity,
        "cccd": data.cccd,
        "address": data.address,
        "craft": data.craft,
        "years_in_craft": data.years_in_craft,
    }
    for i, (key, label) in enumerate(text["person_fields"], 1):
        layout.body(doc, f"{i}. {label}: {values[key]}")
    if data.posthumous and data.date_of_death:
        layout.body(doc, f"{text['date_of_death']}: {layout.dmy(data.date_of_death)}")
    sections = [
        (
            "periods",
            [(i, layout.dmy(p.start), layout.dmy(p.end), p.place) for i, p in enumerate(data.periods, 1)],
        ),
        (
            "works",
            [
                (i, w.name, layout.dmy(w.completed_on), "Có" if w.made_after_title else "", w.description)
                for i, w in enumerate(data.works, 1)
            ],
        ),
        (
            "awards",
            [
                (i, a.competition, a.organiser, a.level, a.scope, layout.dmy(a.awarded_on), a.work)
                for i, a in enumerate(data.awards, 1)
            ],
        ),
        (
            "trainees",
            [
                (i, t.count, layout.dmy(t.start), layout.dmy(t.end), t.description)
                for i, t in enumerate(data.trainees, 1)
            ],
        ),
        (
            "titles",
            [
                (i, t.title, t.decision_number, layout.dmy(t.decision_date))
                for i, t in enumerate(data.prior_titles, 1)
            ],
        ),
    ]
    for key, rows in sections:
        layout.heading(doc, text["sections"][key])
        if rows:
            layout.table(doc, text[key], rows)
        else:
            layout.body(doc, text["none"])
        if key == "trainees":
            layout.body(doc, text["trainees_total"].format(total=data.trainees_total))
    layout.body(doc, text["pledge"])
    signer = Signature(
        authority="",
        on_behalf_of="",
        position=text["signer"]["posthumous" if data.posthumous else "self"],
        name="" if data.posthumous else data.full_name,
        note=text["sign_hint"],
    )
    layout.closing(doc, signature=signer)
    return doc


# Forms 09 and 10 ------------------------------------------------------------------------------------


def build_summary(data: SummaryData) -> Document:
    text = forms.SUMMARY
    doc = layout.new_document(title=f"{text['title']} {data.person.full_name}")
    _form_mark(doc, text["form"][data.title_key])
    layout.title(
        doc,
        text["title"],
        [text["summary"].format(title=forms.TITLE_PHRASE[data.title_key], field=forms.FIELD)],
    )
    p = data.person
    values = {
        "full_name": p.full_name,
        "birth_year": p.birth_year,
        "gender": p.gender,
        "craft": p.craft,
        "province": p.province,
        "years_in_craft": data.years_in_craft,
        "works_count": data.works_count,
        "trainees_total": data.trainees_total,
    }
    for i, (key, label) in enumerate(text["fields"], 1):
        layout.body(doc, f"{i}. {label}: {values[key]}")
    if p.posthumous:
        layout.body(doc, text["posthumous"], bold=True)
    if data.awards:
        layout.table(
            doc,
            text["awards"],
            [(i, a.level, a.competition, a.scope, a.awarded_on.year) for i, a in enumerate(data.awards, 1)],
        )
    if data.prior_titles:
        layout.body(
            doc,
            f"{text['titles']}: "
            + "; ".join(
                f"{t.title} ({t.decision_number}, {layout.dmy(t.decision_date)})" for t in data.prior_titles
            ),
        )
    return doc


# Forms 03 and 04 ------------------------------------------------------------------------------------


def _vote_table(doc: Document, rows: list[VoteRow]) -> None:
    text = forms.LIST
    table_rows: list[tuple] = []
    for title, group in _by_title(rows).items():
        table_rows.append(("", text["group"].format(title=f"“{title}”"), "", "", "", "", "", "", ""))
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
                    text["posthumous"] if p.posthumous else "",
                )
            )
    layout.table(doc, text["columns"], table_rows, size=11)


def build_submission(data: SubmissionData) -> Document:
    text = forms.SUBMISSION
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _form_mark(doc, text["form"])
    _letterhead(doc, data.head)
    layout.title(doc, text["type"], [text["summary"].format(field=forms.FIELD, round=data.round_number)])
    layout.addressed_to(doc, data.addressed_to)
    layout.legal_bases(doc, data.bases)
    layout.body(
        doc,
        text["body"].format(
            decree=forms.DECREE,
            field=forms.FIELD,
            council=data.council_name,
            considered=data.dossiers_considered,
        ),
    )
    layout.body(doc, text["proposes"].format(council=data.council_name, total=len(data.rows)))
    _counts(doc, data.counts, text["count_line"])
    layout.body(doc, text["attached"], italic=True)
    layout.body(doc, text["ending"])
    layout.closing(
        doc,
        signature=data.closing.signature,
        recipients=data.closing.recipients,
        archive=data.closing.archive,
    )
    return doc


def build_list(data: ListData) -> Document:
    text = forms.LIST
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _form_mark(doc, text["form"])
    _letterhead(doc, data.head)
    layout.title(doc, text["type"], [text["summary"].format(round=data.round_number)])
    _vote_table(doc, data.rows)
    layout.closing(doc, signature=data.closing.signature)
    return doc


# Forms 05 and 06 ------------------------------------------------------------------------------------


def build_minutes(data: MinutesData) -> Document:
    text = forms.MINUTES
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _form_mark(doc, text["form"])
    _letterhead(doc, data.head)
    layout.title(
        doc, text["type"], [text["summary"].format(council=data.council_name, round=data.round_number)]
    )
    day = layout.vn_date(data.held_on)
    layout.body(
        doc,
        text["opening"].format(
            time=data.opened_at, day=day, place=data.meeting_place, council=data.council_name
        ),
    )
    layout.body(doc, text["chair"].format(name=data.chair))
    layout.body(doc, text["secretary"].format(name=data.secretary))
    layout.body(
        doc,
        text["attendance"].format(
            present=len(data.present), members=data.members_on_list, names=", ".join(data.present)
        ),
    )
    layout.body(
        doc, text["absent"].format(names=", ".join(data.absent)) if data.absent else text["no_absent"]
    )
    layout.body(doc, text["quorum"].format(quorum=data.quorum))
    layout.body(doc, text["content"].format(n=len(data.rows)))
    layout.table(
        doc,
        text["columns"],
        [
            (
                i,
                r.person.full_name,
                r.person.title,
                r.agree,
                r.disagree,
                text["passed"] if r.passed else text["failed"],
            )
            for i, r in enumerate(data.rows, 1)
        ],
    )
    layout.body(doc, text["ending"].format(time=data.closed_at, day=day))
    layout.signatures_side_by_side(doc, data.secretary_signature, data.chair_signature)
    return doc


def build_count(data: CountData) -> Document:
    text = forms.COUNT
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _form_mark(doc, text["form"])
    _letterhead(doc, data.head)
    layout.title(doc, text["type"], [text["summary"].format(round=data.round_number)])
    layout.body(
        doc,
        text["opening"].format(
            day=layout.vn_date(data.held_on), council=data.council_name, counters=", ".join(data.counters)
        ),
    )
    layout.body(doc, text["rule"].format(rule=data.pass_rule))
    layout.table(
        doc,
        text["columns"],
        [
            (
                i,
                r.person.full_name,
                r.person.title,
                r.members_on_list,
                r.present,
                r.recused,
                r.agree + r.disagree,
                r.agree,
                r.disagree,
                _ratio(r),
                forms.MINUTES["passed"] if r.passed else forms.MINUTES["failed"],
            )
            for i, r in enumerate(data.rows, 1)
        ],
        size=10,
    )
    layout.body(doc, text["ending"])
    layout.signatures_side_by_side(doc, data.secretary_signature, data.chair_signature)
    return doc


# Forms 07 and 08 ------------------------------------------------------------------------------------


def build_ballot(data: BallotPaperData) -> Document:
    text = forms.BALLOT
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _form_mark(doc, text["form"][data.title_key])
    layout.title(
        doc,
        text["type"],
        [
            text["summary"].format(title=forms.TITLE_PHRASE[data.title_key], field=forms.FIELD),
            text["round"].format(
                council=data.council_name, round=data.round_number, day=layout.dmy(data.held_on)
            ),
        ],
    )
    layout.body(doc, text["how"], italic=True)
    layout.table(
        doc,
        text["columns"],
        [(i, p.full_name, p.birth_year, p.craft, p.province, "☐", "☐") for i, p in enumerate(data.people, 1)],
    )
    return doc


# Decisions, letters, notices ------------------------------------------------------------------------


def build_council_decision(data: CouncilDecisionData) -> Document:
    text = forms.COUNCIL_DECISION
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _letterhead(doc, data.head)
    layout.title(
        doc, text["type"], [text["summary"].format(council=data.council_name, round=data.round_number)]
    )
    layout.authority_line(doc, data.authority)
    layout.legal_bases(doc, data.bases)
    layout.decides(doc)
    layout.article(
        doc,
        1,
        text["article_1"].format(council=data.council_name, field=forms.FIELD, round=data.round_number),
    )
    layout.table(
        doc, text["members"], [(i, m.full_name, m.position, m.role) for i, m in enumerate(data.members, 1)]
    )
    layout.article(doc, 2, text["article_2"].format(decree=forms.DECREE))
    layout.article(doc, 3, text["article_3"].format(secretariat=data.secretariat, seal=data.seal))
    layout.article(doc, 4, text["article_4"])
    layout.closing(
        doc,
        signature=data.closing.signature,
        recipients=data.closing.recipients,
        archive=data.closing.archive,
    )
    return doc


def build_supplement_letter(data: SupplementLetterData) -> Document:
    text = forms.SUPPLEMENT_LETTER
    issuer = data.head.issuer.name
    doc = layout.new_document(title=f"{data.about} {data.addressee}")
    _letterhead(doc, data.head, about=data.about)
    layout.addressed_to(doc, [f"Ông (Bà) {data.addressee}"])
    layout.body(
        doc,
        text["received"].format(
            received=layout.dmy(data.received_on), issuer=issuer, title=data.title, name=data.addressee
        ),
    )
    layout.body(doc, text["missing"])
    layout.bullets(doc, data.missing)
    if data.reason:
        layout.body(doc, text["reason"].format(reason=data.reason))
    layout.body(
        doc,
        text["deadline"].format(
            days=data.days, returned=layout.dmy(data.returned_on), due=layout.dmy(data.due), issuer=issuer
        ),
    )
    layout.body(doc, text["ending"].format(issuer=issuer))
    layout.closing(
        doc,
        signature=data.closing.signature,
        recipients=data.closing.recipients,
        archive=data.closing.archive,
    )
    return doc


def build_result_notice(data: ResultNoticeData) -> Document:
    text = forms.RESULT_NOTICE
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _letterhead(doc, data.head)
    layout.title(
        doc, text["type"], [text["summary"].format(council=data.council_name, round=data.round_number)]
    )
    layout.body(doc, text["intro"].format(decree=forms.DECREE, council=data.council_name))
    layout.table(
        doc,
        text["columns"],
        [
            (i, r.person.full_name, r.person.birth_year, r.person.craft, r.person.title, _ratio(r))
            for i, r in enumerate(data.rows, 1)
        ],
    )
    if data.posting_days:
        layout.body(doc, text["period"].format(days=data.posting_days))
    else:
        layout.body(doc, text["period_unknown"])
    layout.body(doc, text["comments"])
    layout.closing(
        doc,
        signature=data.closing.signature,
        recipients=data.closing.recipients,
        archive=data.closing.archive,
    )
    return doc


def build_posting_notice(data: PostingNoticeData) -> Document:
    text = forms.POSTING_NOTICE
    doc = layout.new_document(title=data.about)
    _letterhead(doc, data.head, about=data.about)
    layout.addressed_to(doc, data.addressed_to)
    layout.body(
        doc,
        text["intro"].format(
            article=data.article, decree=forms.DECREE, issuer=data.head.issuer.name, round=data.round_number
        ),
    )
    _counts(doc, data.counts, text["count_line"])
    layout.body(
        doc,
        text["period"].format(
            days=data.days, posted=layout.dmy(data.posted_on), last=layout.dmy(data.last_day)
        ),
    )
    layout.body(doc, text["comments"].format(address=data.comment_address))
    _people_table(doc, text["columns"], data.people)
    layout.body(doc, text["ending"])
    layout.closing(
        doc,
        signature=data.closing.signature,
        recipients=data.closing.recipients,
        archive=data.closing.archive,
    )
    return doc


def build_decision_record(data: DecisionRecordData) -> Document:
    text = forms.DECISION_RECORD
    doc = layout.new_document(title=text["summary"].format(round=data.round_number))
    _letterhead(doc, data.head)
    layout.title(doc, text["type"], [text["summary"].format(round=data.round_number)])
    layout.body(
        doc,
        text["intro"].format(
            date=layout.dmy(data.decision_date), number=data.decision_number, total=len(data.people)
        ),
    )
    _people_table(doc, text["columns"], data.people)
    layout.body(doc, text["ending"])
    layout.closing(
        doc,
        signature=data.closing.signature,
        recipients=data.closing.recipients,
        archive=data.closing.archive,
    )
    return doc
