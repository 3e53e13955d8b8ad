"""The plain data each document is built from. Selectors (workflows/document_data.py) fill these from the
database; builders read only these; the document row keeps them as JSON, so that a stored file can be
traced to exactly what it was built from (and rebuilt for a correction).

Where the official form's exact fields are unknown (docs/law.md §6.1: the form
bodies were not retrievable), the fields below follow the structure described there; each form's
labels are in `documents/forms.py`, in one place, to be corrected against the official annex.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Issuer:
    """The issuing body: its parent (above it, not bold), its name, the symbol used in numbers, the place
    where it sits, the key of its number register (one series per body and year), and the short form of
    its name for the header, if it has one."""

    name: str
    parent: str
    symbol: str
    place: str
    register_key: str
    short_name: str = ""  # the shortened form the header shows when the full name is long (a council)


@dataclass(frozen=True)
class Signature:
    authority: str  # "TM.", "KT.", "Q.", "TL.", "TUQ." or ""
    on_behalf_of: str  # the body or head the authority word refers to: "HỘI ĐỒNG", "GIÁM ĐỐC"
    position: str  # "CHỦ TỊCH", "PHÓ GIÁM ĐỐC"
    name: str
    note: str = ""  # e.g. the position and agency of a ministry leader who chairs a council


@dataclass(frozen=True)
class Head:
    """Boxes 2–4. `number` and `symbol` are set when the number is taken from the register."""

    issuer: Issuer
    issued_on: date
    number: int | None = None
    symbol: str = ""
    fixed_number: str = ""  # a number given by a body outside the system (e.g. a UBND decision)


@dataclass(frozen=True)
class Closing:
    signature: Signature
    recipients: list[str] = field(default_factory=list)
    archive: str = ""


@dataclass(frozen=True)
class Person:
    """A nominee as shown in lists, minutes and notices (never identification data)."""

    full_name: str
    birth_year: int
    gender: str
    craft: str
    province: str
    title: str  # the title's display name: "Nghệ nhân ưu tú"
    posthumous: bool = False
    code: str = ""  # the dossier's code ("01-06-0042"); "" in documents stored before it


@dataclass(frozen=True)
class VoteRow:
    person: Person
    members_on_list: int
    present: int
    recused: int
    agree: int
    disagree: int
    base: int
    passed: bool


@dataclass(frozen=True)
class TitleCount:
    title: str
    proposed: int
    posthumous: int


# Declarations and summaries (Forms 01, 02, 09, 10) ---------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    start: date
    end: date
    place: str


@dataclass(frozen=True)
class WorkRow:
    name: str
    completed_on: date
    made_after_title: bool
    description: str


@dataclass(frozen=True)
class AwardRow:
    competition: str
    organiser: str
    level: str
    scope: str
    awarded_on: date
    work: str


@dataclass(frozen=True)
class TraineeRow:
    count: int
    start: date
    end: date
    description: str


@dataclass(frozen=True)
class PriorTitleRow:
    title: str
    decision_number: str
    decision_date: date


@dataclass(frozen=True)
class DeclarationData:
    """Forms 01 and 02: the achievement declaration, pre-filled for the artisan to check and sign."""

    title_key: str  # "people" or "excellent" (dossiers.models.Title)
    title: str
    place: str
    full_name: str
    gender: str
    date_of_birth: date
    ethnicity: str
    cccd: str
    address: str
    craft: str
    posthumous: bool
    date_of_death: date | None
    years_in_craft: str
    periods: list[PeriodRow]
    works: list[WorkRow]
    awards: list[AwardRow]
    trainees: list[TraineeRow]
    trainees_total: int
    prior_titles: list[PriorTitleRow]
    round_number: int


@dataclass(frozen=True)
class SummaryData:
    """Forms 09 and 10: the summary of achievements, for publication (no identification data)."""

    title_key: str
    title: str
    person: Person
    years_in_craft: str
    works_count: int
    awards: list[AwardRow]
    trainees_total: int
    prior_titles: list[PriorTitleRow]
    round_number: int


# Council documents (Forms 03–08, the establishing decision) -------------------------------------------


@dataclass(frozen=True)
class SubmissionData:
    """Form 03: the submission (tờ trình) to the next level, with its list (Form 04) attached."""

    head: Head
    closing: Closing
    council_name: str
    round_number: int
    addressed_to: list[str]
    bases: list[str]
    dossiers_considered: int
    counts: list[TitleCount]
    rows: list[VoteRow]


@dataclass(frozen=True)
class ListData:
    """Form 04: the list of persons proposed, grouped by title, with the ballot result."""

    head: Head
    closing: Closing
    council_name: str
    round_number: int
    rows: list[VoteRow]
    submission_number: str = ""  # the submission it is attached to ("02/TTr-HĐXT"), when known
    submission_date: date | None = None


@dataclass(frozen=True)
class JudgementRequest:
    """A dossier on the agenda that fails a checkable criterion, and why its department asked the
    council to judge it (the minutes record it)."""

    full_name: str
    reason: str


@dataclass(frozen=True)
class ConflictWithdrawal:
    """A member's request, in the session, to withdraw the conflict of interest they declared on a
    dossier, and the secretary's decision (the minutes record both)."""

    member: str
    full_name: str  # the nominee of the dossier
    reason: str
    asked_at: str  # "09 giờ 05 ngày 15/07/2026"
    outcome: str  # "accepted", "refused" or "pending"
    decided_by: str = ""
    decided_at: str = ""
    note: str = ""  # the secretary's note on the decision


@dataclass(frozen=True)
class MinutesData:
    """Form 05: the minutes of a council meeting."""

    head: Head
    council_name: str
    round_number: int
    meeting_place: str
    held_on: date
    opened_at: str  # "08 giờ 00"
    closed_at: str
    chair: str
    secretary: str
    members_on_list: int
    present: list[str]
    absent: list[str]
    quorum: str
    rows: list[VoteRow]
    chair_signature: Signature
    secretary_signature: Signature
    judgement_requests: list[JudgementRequest] = field(default_factory=list)
    conflict_withdrawals: list[ConflictWithdrawal] = field(default_factory=list)


@dataclass(frozen=True)
class CountData:
    """Form 06: the vote-counting minutes, with the tally per dossier."""

    head: Head
    council_name: str
    round_number: int
    held_on: date
    counters: list[str]
    pass_rule: str  # "≥ 90% of all members on the list"
    rows: list[VoteRow]
    chair_signature: Signature
    secretary_signature: Signature


@dataclass(frozen=True)
class BallotPaperData:
    """Forms 07 and 08: a blank ballot paper for a council that votes on paper. Never a voter's name."""

    title_key: str
    title: str
    council_name: str
    round_number: int
    held_on: date
    place: str
    people: list[Person]


@dataclass(frozen=True)
class MemberRow:
    full_name: str
    position: str
    role: str


@dataclass(frozen=True)
class CouncilDecisionData:
    """The decision establishing a council (number and date given by the issuing body)."""

    head: Head
    closing: Closing
    authority: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
    bases: list[str]
    council_name: str
    round_number: int
    members: list[MemberRow]
    secretariat: str
    seal: str
    # Who issues it: False for a head's decision in his own competence (the Chairman of the People's
    # Committee, a Minister, the Prime Minister: signed with the position alone), True for a collective
    # body's (signed "TM." the body).
    collective: bool = False


# Letters and notices ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplementLetterData:
    """The letter returning a dossier for supplement: what is missing and the deadline."""

    head: Head
    closing: Closing
    about: str
    addressee: str
    title: str
    received_on: date
    returned_on: date
    missing: list[str]
    reason: str
    days: int
    due: date
    addressee_gender: str = ""  # "male", "female" (the artisan's recorded gender) or "" when unknown
    dossier_code: str = ""  # the number people quote ("01-06-0042"); "" in letters stored before it


@dataclass(frozen=True)
class ResultNoticeData:
    """The provincial council's result notice, for the provincial portal (Art. 14(d))."""

    head: Head
    closing: Closing
    council_name: str
    round_number: int
    rows: list[VoteRow]
    posting_days: int | None
    posted_on: date | None = None  # the posting step's date: the first day of the period
    last_day: date | None = None  # from the rulebook's period; None while the period is not known
    comment_address: str = ""  # the body that receives written comments
    comment_postal: str = ""  # its postal address, when recorded (accounts.Agency.address)
    comment_url: str = ""  # the public page that receives them on line


@dataclass(frozen=True)
class PostingNoticeData:
    """The Ministry's letter asking the Government portal to post the list for comment (Art. 16(1)(c))."""

    head: Head
    closing: Closing
    about: str
    addressed_to: list[str]
    round_number: int
    article: str
    days: int
    posted_on: date
    last_day: date
    comment_address: str
    counts: list[TitleCount]
    people: list[Person]


@dataclass(frozen=True)
class DecisionRecordData:
    """The record of the President's decision: its number and date, and who was conferred."""

    head: Head
    closing: Closing
    round_number: int
    decision_number: str
    decision_date: date
    people: list[Person]


# JSON round trip --------------------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    """Dataclasses as dicts, dates as ISO strings: what the document row keeps."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json(cls: type, data: Any) -> Any:
    """The inverse of to_json, guided by the dataclass's type hints."""
    return _load(cls, data)


def _load(hint: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _load(inner[0], data)
    if origin is list:
        (inner,) = typing.get_args(hint)
        return [_load(inner, v) for v in data]
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(
            **{f.name: _load(hints[f.name], data[f.name]) for f in dataclasses.fields(hint) if f.name in data}
        )
    if hint is date:
        return date.fromisoformat(data)
    return data
