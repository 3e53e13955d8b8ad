"""Every kind of document the system produces: its builder, its data class, whether it takes a number
from its issuer's register and with which type abbreviation (Decree 30/2020, Appendix III), and whether
it holds identification data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import builders, data


class Kind(models.TextChoices):
    FORM_01 = "form_01", _("Form 01: achievement declaration (People's Artisan)")
    FORM_02 = "form_02", _("Form 02: achievement declaration (Excellent Artisan)")
    FORM_03 = "form_03", _("Form 03: submission to the next level")
    FORM_04 = "form_04", _("Form 04: list of persons proposed")
    FORM_05 = "form_05", _("Form 05: council meeting minutes")
    FORM_06 = "form_06", _("Form 06: vote-counting minutes")
    FORM_07 = "form_07", _("Form 07: ballot paper (People's Artisan)")
    FORM_08 = "form_08", _("Form 08: ballot paper (Excellent Artisan)")
    FORM_09 = "form_09", _("Form 09: summary of achievements (People's Artisan)")
    FORM_10 = "form_10", _("Form 10: summary of achievements (Excellent Artisan)")
    COUNCIL_DECISION = "council_decision", _("Decision establishing a council")
    SUPPLEMENT_LETTER = "supplement_letter", _("Letter returning a dossier for supplement")
    RESULT_NOTICE = "result_notice", _("Provincial result notice")
    POSTING_NOTICE = "posting_notice", _("Notice of public posting")
    DECISION_RECORD = "decision_record", _("Record of the President's decision")


@dataclass(frozen=True)
class Spec:
    builder: Callable
    data_class: type
    numbered: bool
    type_abbreviation: str = ""  # "" for an official letter (công văn): the symbol is the issuer's
    sensitive: bool = False


SPECS: dict[str, Spec] = {
    Kind.FORM_01: Spec(builders.build_declaration, data.DeclarationData, numbered=False, sensitive=True),
    Kind.FORM_02: Spec(builders.build_declaration, data.DeclarationData, numbered=False, sensitive=True),
    Kind.FORM_03: Spec(
        builders.build_submission, data.SubmissionData, numbered=True, type_abbreviation="TTr"
    ),
    Kind.FORM_04: Spec(builders.build_list, data.ListData, numbered=False),
    Kind.FORM_05: Spec(builders.build_minutes, data.MinutesData, numbered=True, type_abbreviation="BB"),
    Kind.FORM_06: Spec(builders.build_count, data.CountData, numbered=True, type_abbreviation="BB"),
    Kind.FORM_07: Spec(builders.build_ballot, data.BallotPaperData, numbered=False),
    Kind.FORM_08: Spec(builders.build_ballot, data.BallotPaperData, numbered=False),
    Kind.FORM_09: Spec(builders.build_summary, data.SummaryData, numbered=False),
    Kind.FORM_10: Spec(builders.build_summary, data.SummaryData, numbered=False),
    # The establishing decision's number is given by the issuing People's Committee, Minister or Prime
    # Minister, outside this system: it is recorded, not taken from a register.
    Kind.COUNCIL_DECISION: Spec(builders.build_council_decision, data.CouncilDecisionData, numbered=False),
    Kind.SUPPLEMENT_LETTER: Spec(builders.build_supplement_letter, data.SupplementLetterData, numbered=True),
    Kind.RESULT_NOTICE: Spec(
        builders.build_result_notice, data.ResultNoticeData, numbered=True, type_abbreviation="TB"
    ),
    Kind.POSTING_NOTICE: Spec(builders.build_posting_notice, data.PostingNoticeData, numbered=True),
    Kind.DECISION_RECORD: Spec(
        builders.build_decision_record, data.DecisionRecordData, numbered=True, type_abbreviation="TB"
    ),
}

# What a clerk calls each document: the first words of a download's file name (Vietnamese whatever the
# user's language, as the documents are).
SHORT_NAME: dict[str, str] = {
    Kind.FORM_01: "Bản khai thành tích",
    Kind.FORM_02: "Bản khai thành tích",
    Kind.FORM_03: "Tờ trình",
    Kind.FORM_04: "Danh sách đề nghị",
    Kind.FORM_05: "Biên bản họp",
    Kind.FORM_06: "Biên bản kiểm phiếu",
    Kind.FORM_07: "Phiếu bầu NNND",
    Kind.FORM_08: "Phiếu bầu NNƯT",
    Kind.FORM_09: "Tóm tắt thành tích",
    Kind.FORM_10: "Tóm tắt thành tích",
    Kind.COUNCIL_DECISION: "Quyết định thành lập Hội đồng",
    Kind.SUPPLEMENT_LETTER: "Công văn bổ sung hồ sơ",
    Kind.RESULT_NOTICE: "Thông báo kết quả xét chọn",
    Kind.POSTING_NOTICE: "Công văn đăng công khai",
    Kind.DECISION_RECORD: "Thông báo Quyết định tặng danh hiệu",
}

DECLARATION_KIND = {"peoples": Kind.FORM_01, "excellent": Kind.FORM_02}
SUMMARY_KIND = {"peoples": Kind.FORM_09, "excellent": Kind.FORM_10}
BALLOT_KIND = {"peoples": Kind.FORM_07, "excellent": Kind.FORM_08}


def symbol_for(kind: str, issuer_symbol: str) -> str:
    """ "QĐ-UBND", "BB-HĐXT"; an official letter carries the issuer's symbol alone ("SCT", "BCT-CTĐP")."""
    abbreviation = SPECS[kind].type_abbreviation
    return f"{abbreviation}-{issuer_symbol}" if abbreviation else issuer_symbol
