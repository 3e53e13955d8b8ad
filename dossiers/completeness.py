"""Completeness of a dossier at intake, and the intake deadlines (docs/law.md §5
steps 2–3, §6.2).

    report = check_completeness(facts_from_dossier(dossier), rules_for_round(dossier.round))
    report.complete, report.missing, report.reply_due, report.supplement_due
    days_left(report.reply_due, today)

Completeness is about what is in the dossier, not whether it qualifies (that is dossiers.eligibility):
- each group of `intake.required_attachments` needs one attachment of any kind of the group;
- the evidence sections must not be empty: a period in the craft, a work, a trainee record;
- a People's Artisan dossier needs a record of the prior title `nnnd.required_prior_title` (whatever its
  field: whether the title counts is an eligibility question).
Deadlines are in calendar days: the receiving body replies within `intake.check_days` of receipt (of the
resubmission, once resubmitted); the applicant supplements within `intake.supplement_days` of getting
the dossier back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.translation import in_languages
from dossiers.facts import DossierFacts
from dossiers.models import Title
from dossiers.rulebook import Rules

# Labels of what may be missing (gettext msgids). Attachment kinds are those of Attachment.Kind.
_LABELS: dict[str, Promise] = {
    "attachment.declaration": _("Achievement declaration"),
    "attachment.skills_media": _("Video or photos of the skills held"),
    "attachment.certified_copy": _("Certified copy of a certificate, award decision or related document"),
    "attachment.trainee_evidence": _("Evidence of trainees taught"),
    "attachment.identity_card": _("Image of the identity card"),
    "attachment.other": _("Other document"),
    "evidence.craft_periods": _("Time in the craft (at least one period)"),
    "evidence.works": _("Works (at least one)"),
    "evidence.trainees": _("Trainees taught (at least one record)"),
    "evidence.prior_title": _("The “{title}” title already held (decision number and date)"),
}
# Two alternatives of an attachment group ("A or B"; folded for more: "A or B or C").
_EITHER = _("{left} or {right}")


@dataclass(frozen=True)
class MissingItem:
    """Something the dossier lacks. `key` is "attachment:<kind>|<kind>…" for an attachment group (its
    kinds as in the rulebook, any one of which would do) or "evidence:<section>". The label is given in
    Vietnamese and in English (official documents are always Vietnamese); `label` is the active one."""

    key: str
    label_vi: str
    label_en: str

    @property
    def label(self) -> str:
        language = translation.get_language() or "vi"
        return self.label_vi if language.startswith("vi") else self.label_en


@dataclass(frozen=True)
class CompletenessReport:
    complete: bool
    missing: tuple[MissingItem, ...]
    reply_due: date
    supplement_due: date | None


def check_completeness(facts: DossierFacts, rules: Rules) -> CompletenessReport:
    missing: list[MissingItem] = []
    kinds = set(facts.attachment_kinds)
    for group in rules.value("intake.required_attachments") or ():
        if not kinds.intersection(group):
            missing.append(_attachment_group(group))
    if not facts.periods:
        missing.append(_evidence("craft_periods"))
    if not facts.works:
        missing.append(_evidence("works"))
    if not facts.trainees:
        missing.append(_evidence("trainees"))
    if facts.title == Title.PEOPLES:
        required = rules.value("nnnd.required_prior_title")
        if not any(t.title == required for t in facts.prior_titles):
            missing.append(_evidence("prior_title", title=required))
    return CompletenessReport(
        complete=not missing,
        missing=tuple(missing),
        reply_due=reply_due(received_on=facts.received_on, resubmitted_on=facts.resubmitted_on, rules=rules),
        supplement_due=supplement_due(returned_on=facts.returned_on, rules=rules),
    )


def reply_due(*, received_on: date, resubmitted_on: date | None, rules: Rules) -> date:
    """The receiving body's written reply is due `intake.check_days` after the (re)submission."""
    return (resubmitted_on or received_on) + timedelta(days=rules.value("intake.check_days"))


def supplement_due(*, returned_on: date | None, rules: Rules) -> date | None:
    """The supplemented dossier is due `intake.supplement_days` after it was returned; None if it was not."""
    if returned_on is None:
        return None
    return returned_on + timedelta(days=rules.value("intake.supplement_days"))


def days_left(due: date, today: date | None = None) -> int:
    """Calendar days from `today` (default: today in Vietnam time) to `due`: 0 on the due day, negative
    once it has passed."""
    return (due - (today or timezone.localdate())).days


def _label(kind: str) -> Promise | str:
    return _LABELS.get(f"attachment.{kind}", kind)


def _item(key: str, label: Promise | str) -> MissingItem:
    label_vi, label_en = in_languages(label)
    return MissingItem(key=key, label_vi=label_vi, label_en=label_en)


def _attachment_group(group: list[str]) -> MissingItem:
    labels = [_label(kind) for kind in group]
    label = reduce(lambda left, right: format_lazy(_EITHER, left=left, right=right), labels) if labels else ""
    return _item("attachment:" + "|".join(group), label)


def _evidence(section: str, *, title: str | None = None) -> MissingItem:
    label = _LABELS[f"evidence.{section}"]
    if title:
        label = format_lazy(label, title=Title(title).label if title in Title.values else title)
    return _item(f"evidence:{section}", label)
