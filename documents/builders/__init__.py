"""One builder per document: data object in, python-docx Document out. Builders never query; the
layout is layout.py's, the fixed words are forms.py's.

Modules: ``declarations`` (forms 01, 02, 09, 10), ``council`` (forms 03–08), ``notices`` (decisions,
letters, notices), ``common`` (what they share). Every builder is importable from here.
"""

from .council import build_ballot, build_count, build_list, build_minutes, build_submission
from .declarations import build_declaration, build_summary
from .notices import (
    build_council_decision,
    build_decision_record,
    build_posting_notice,
    build_result_notice,
    build_supplement_letter,
)

__all__ = [
    "build_ballot",
    "build_council_decision",
    "build_count",
    "build_decision_record",
    "build_declaration",
    "build_list",
    "build_minutes",
    "build_posting_notice",
    "build_result_notice",
    "build_submission",
    "build_summary",
    "build_supplement_letter",
]
