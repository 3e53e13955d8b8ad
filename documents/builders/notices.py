"""Decisions, letters and notices: the council decision, the supplement letter, the result and posting
notices, the decision record."""

from __future__ import annotations

from docx.document import Document

from .. import forms, layout
from ..data import (
    CouncilDecisionData,
    DecisionRecordData,
    PostingNoticeData,
    ResultNoticeData,
    SupplementLetterData,
)
from .common import (
    _close,
    _counts,
    _letterhead,
    _people_table,
    _ratio,
)

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
    _close(doc, data.closing)
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
    _close(doc, data.closing)
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
    _close(doc, data.closing)
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
    _close(doc, data.closing)
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
    _close(doc, data.closing)
    return doc
