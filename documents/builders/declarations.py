"""The artisan's declaration (forms 01, 02) and the dossier summary (forms 09, 10)."""

from __future__ import annotations

from docx.document import Document

from .. import forms, layout
from ..data import (
    DeclarationData,
    Signature,
    SummaryData,
)
from .common import (
    _form_mark,
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
