"""Decisions, letters and notices: the council decision, the supplement letter, the result and posting
notices, the decision record."""

from __future__ import annotations

import dataclasses

from docx.document import Document

from .. import forms, layout
from ..data import (
    CouncilDecisionData,
    DecisionRecordData,
    PostingNoticeData,
    ResultNoticeData,
    SupplementLetterData,
)
from ..wording import council_considering, honorific
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
    council = council_considering(data.council_name)
    layout.title(doc, text["type"], [text["summary"].format(council=council, round=data.round_number)])
    layout.authority_line(doc, data.authority)
    layout.legal_bases(doc, data.bases)
    layout.decides(doc)
    layout.article(
        doc,
        1,
        text["article_1"].format(council=council, field=forms.FIELD, round=data.round_number),
    )
    layout.table(
        doc, text["members"], [(i, m.full_name, m.position, m.role) for i, m in enumerate(data.members, 1)]
    )
    layout.article(doc, 2, text["article_2"].format(decree=forms.DECREE))
    layout.article(doc, 3, text["article_3"].format(secretariat=data.secretariat, seal=data.seal))
    layout.article(doc, 4, text["article_4"])
    signature = layout.signed_as_issued(data.closing.signature, collective=data.collective)
    _close(doc, dataclasses.replace(data.closing, signature=signature))
    return doc


def build_supplement_letter(data: SupplementLetterData) -> Document:
    text = forms.SUPPLEMENT_LETTER
    issuer = data.head.issuer.name
    you = honorific(data.addressee_gender)
    doc = layout.new_document(title=f"{data.about} {data.addressee}")
    _letterhead(doc, data.head, about=data.about)
    layout.addressed_to(doc, [text["addressee"].format(honorific=you, name=data.addressee)])
    layout.body(
        doc,
        text["received"].format(
            received=layout.dmy(data.received_on),
            issuer=issuer,
            title=data.title,
            honorific=you,
            name=data.addressee,
            code=text["code"].format(code=data.dossier_code) if data.dossier_code else "",
        ),
    )
    layout.body(doc, text["missing"].format(honorific=you))
    layout.bullets(doc, data.missing)
    if data.reason:
        layout.body(doc, text["reason"].format(reason=data.reason))
    layout.body(
        doc,
        text["deadline"].format(
            days=data.days,
            returned=layout.dmy(data.returned_on),
            due=layout.dmy(data.due),
            issuer=issuer,
            honorific=you,
        ),
    )
    layout.body(doc, text["ending"].format(issuer=issuer, honorific=you))
    _close(doc, data.closing)
    return doc


def build_result_notice(data: ResultNoticeData) -> Document:
    text = forms.RESULT_NOTICE
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _letterhead(doc, data.head)
    layout.title(
        doc,
        text["type"],
        [text["summary"].format(council=council_considering(data.council_name), round=data.round_number)],
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
    posted = layout.dmy(data.posted_on) or text["date_blank"]
    last = layout.dmy(data.last_day) or text["date_blank"]
    if data.posting_days:
        layout.body(doc, text["period"].format(days=data.posting_days, posted=posted, last=last))
    else:
        layout.body(doc, text["period_unknown"].format(posted=posted, last=last))
    address = data.comment_address or text["address_unknown"]
    if data.comment_postal:
        address = text["postal"].format(address=address, postal=data.comment_postal.rstrip(" ;.,"))
    if data.comment_url:
        address = text["online"].format(address=address, url=data.comment_url)
    layout.body(doc, text["comments"].format(address=address))
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
    _people_table(doc, text["columns"], data.people, with_code=False)
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
