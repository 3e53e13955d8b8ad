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

from django.utils import timezone

from dossiers.facts import DossierFacts
from dossiers.models import Title
from dossiers.rulebook import Rules

# Labels of what may be missing, in the two languages. Attachment kinds are those of Attachment.Kind.
_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "attachment.declaration": "Bản khai thành tích đề nghị xét tặng danh hiệu",
        "attachment.skills_media": "Băng, đĩa hình hoặc ảnh mô tả kỹ năng, kỹ xảo đang nắm giữ",
        "attachment.certified_copy": (
            "Bản sao chứng thực giấy chứng nhận, quyết định tặng thưởng hoặc tài liệu liên quan"
        ),
        "attachment.trainee_evidence": "Tài liệu chứng minh việc truyền dạy nghề",
        "attachment.identity_card": "Ảnh căn cước công dân",
        "attachment.other": "Tài liệu khác",
        "or": " hoặc ",
        "evidence.craft_periods": "Thời gian hoạt động trong nghề (ít nhất một giai đoạn)",
        "evidence.works": "Sản phẩm, tác phẩm (ít nhất một)",
        "evidence.trainees": "Kê khai truyền dạy nghề (ít nhất một bản ghi)",
        "evidence.prior_title": "Danh hiệu “{title}” đã được tặng (số, ngày quyết định)",
        "title.excellent": "Nghệ nhân ưu tú",
        "title.peoples": "Nghệ nhân nhân dân",
    },
    "en": {
        "attachment.declaration": "Achievement declaration",
        "attachment.skills_media": "Video or photos of the skills held",
        "attachment.certified_copy": "Certified copy of a certificate, award decision or related document",
        "attachment.trainee_evidence": "Evidence of trainees taught",
        "attachment.identity_card": "Image of the identity card",
        "attachment.other": "Other document",
        "or": " or ",
        "evidence.craft_periods": "Time in the craft (at least one period)",
        "evidence.works": "Works (at least one)",
        "evidence.trainees": "Trainees taught (at least one record)",
        "evidence.prior_title": "The “{title}” title already held (decision number and date)",
        "title.excellent": "Excellent Artisan",
        "title.peoples": "People's Artisan",
    },
}


@dataclass(frozen=True)
class MissingItem:
    """Something the dossier lacks. `key` is "attachment:<kind>|<kind>…" for an attachment group (its
    kinds as in the rulebook, any one of which would do) or "evidence:<section>"."""

    key: str
    label_vi: str
    label_en: str


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


def _label(language: str, kind: str) -> str:
    return _LABELS[language].get(f"attachment.{kind}", kind)


def _attachment_group(group: list[str]) -> MissingItem:
    return MissingItem(
        key="attachment:" + "|".join(group),
        label_vi=_LABELS["vi"]["or"].join(_label("vi", kind) for kind in group),
        label_en=_LABELS["en"]["or"].join(_label("en", kind) for kind in group),
    )


def _evidence(section: str, *, title: str | None = None) -> MissingItem:
    def label(language: str) -> str:
        text = _LABELS[language][f"evidence.{section}"]
        return text.format(title=_LABELS[language].get(f"title.{title}", title)) if title else text

    return MissingItem(key=f"evidence:{section}", label_vi=label("vi"), label_en=label("en"))
