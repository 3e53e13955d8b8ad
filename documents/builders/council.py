"""The council's papers: submission and list (forms 03, 04), minutes and count (05, 06), ballot (07, 08)."""

from __future__ import annotations

from docx.document import Document

from .. import forms, layout
from ..data import (
    BallotPaperData,
    CountData,
    ListData,
    MinutesData,
    SubmissionData,
)
from ..wording import council_considering
from .common import (
    _close,
    _counts,
    _form_mark,
    _letterhead,
    _ratio,
    _vote_table,
)

# Forms 03 and 04 ------------------------------------------------------------------------------------


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
    _close(doc, data.closing)
    return doc


def build_list(data: ListData) -> Document:
    text = forms.LIST
    doc = layout.new_document(title=f"{text['type']} {data.council_name}")
    _form_mark(doc, text["form"])
    _letterhead(doc, data.head)
    layout.title(doc, text["type"], [text["summary"].format(round=data.round_number)], rule=False)
    layout.attachment_line(
        doc,
        text["attached_to"].format(
            number=data.submission_number or text["number_blank"],
            date=layout.vn_date(data.submission_date) if data.submission_date else text["date_blank"],
        ),
    )
    layout.rule_under_title(doc)
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
        doc,
        text["type"],
        [text["summary"].format(council=council_considering(data.council_name), round=data.round_number)],
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
    if data.judgement_requests:
        layout.body(doc, text["judgement"])
        layout.bullets(
            doc,
            [
                text["judgement_row"].format(name=r.full_name, reason=r.reason)
                for r in data.judgement_requests
            ],
        )
    if data.conflict_withdrawals:
        layout.body(doc, text["withdrawals"])
        rows = []
        for w in data.conflict_withdrawals:
            outcome = text[f"withdrawal_{w.outcome}"].format(by=w.decided_by, at=w.decided_at)
            if w.note:
                outcome += text["withdrawal_note"].format(note=w.note)
            rows.append(
                text["withdrawal_row"].format(
                    member=w.member, name=w.full_name, asked_at=w.asked_at, reason=w.reason, outcome=outcome
                )
            )
        layout.bullets(doc, rows)
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
