"""Demo dossiers waiting at every stage of the procedure, so that every demo user has work on signing in.

Each dossier is received, documented and moved through the same services users go through
(dossier_receive, dossier_update_evidence, attachment_add, dossier_transition, the council services and
the ballot): no state is set directly. Dates are relative to today, so the posted lists are open for
comment whenever the demo is loaded. Idempotent: when the stage dossiers exist, nothing is added.

Where each one waits (Hà Nội; the two submitted dossiers of seed_demo come before):
  needs_supplement   the officer's task: record the supplemented dossier
  admitted           the officer's task: send it to the provincial council
  provincial_review  two, on the agenda of the provincial council's session whose ballot is open;
                     every member has voted but uyvien.hanoi
  provincial_passed  the officer's task: record the posting of the result
  provincial_posted  posted today, open for comment on the public page
  forwarded, ministerial_review                 the clerk's tasks
  gov_posting        posted on the Government portal today, open for comment
  state_review, appraisal, appraisal_agreed,
  proposed                                      the clerk's tasks
  conferred          done
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AdministrativeUnit, User
from accounts.roles import Role, roles_of
from councils.models import Council, Membership
from councils.services import (
    ballot_cast,
    conflict_declare,
    session_agenda_add,
    session_attendance_record,
    session_schedule,
)
from demo.files import pdf_bytes
from dossiers.consent import CONSENT_VERSION
from dossiers.models import Artisan, Craft, Dossier, Round
from dossiers.rulebook.selectors import rules_for_round
from dossiers.services.attachments import attachment_add
from dossiers.services.intake import (
    AwardInput,
    PeriodInput,
    TraineeInput,
    WorkInput,
    dossier_receive,
    dossier_update_evidence,
)
from workflows.services import council_ballot_close, council_ballot_open, dossier_transition

REQUEST_ID = "seed_demo"

# stage, full name, gender, birth date, craft; the CCCD is built from these (Hà Nội's code 001)
STAGES = (
    ("needs_supplement", "Phạm Văn Cường", "male", date(1965, 2, 14), "son-mai"),
    ("admitted", "Vũ Thị Hoa", "female", date(1968, 7, 21), "gom-su"),
    ("provincial_review", "Đặng Văn Dũng", "male", date(1960, 11, 5), "son-mai"),
    ("provincial_review", "Bùi Thị Hằng", "female", date(1963, 3, 30), "gom-su"),
    ("provincial_passed", "Ngô Văn Khải", "male", date(1959, 5, 9), "son-mai"),
    ("provincial_posted", "Đỗ Thị Liên", "female", date(1961, 8, 17), "gom-su"),
    ("forwarded", "Hồ Văn Long", "male", date(1957, 1, 26), "son-mai"),
    ("ministerial_review", "Dương Thị Nga", "female", date(1962, 12, 2), "gom-su"),
    ("gov_posting", "Lý Văn Phúc", "male", date(1955, 6, 11), "son-mai"),
    ("state_review", "Mai Thị Quỳnh", "female", date(1958, 9, 23), "gom-su"),
    ("appraisal", "Cao Thị Ngọc", "female", date(1957, 2, 12), "gom-su"),
    ("appraisal_agreed", "Tạ Văn Sơn", "male", date(1956, 4, 8), "son-mai"),
    ("proposed", "Lương Thị Thảo", "female", date(1954, 10, 19), "gom-su"),
    ("conferred", "Trịnh Văn Tùng", "male", date(1953, 3, 3), "son-mai"),
)

# The order of the stages a dossier passes; a dossier goes as far as its stage.
ORDER = (
    "submitted",
    "needs_supplement",
    "admitted",
    "provincial_review",
    "provincial_passed",
    "provincial_posted",
    "forwarded",
    "ministerial_review",
    "ministerial_passed",
    "gov_posting",
    "state_review",
    "state_passed",
    "appraisal",
    "appraisal_agreed",
    "proposed",
    "conferred",
)


def _cccd(serial: int, gender: str, born: date) -> str:
    century_digit = (0 if born.year < 2000 else 2) + (1 if gender == "female" else 0)
    return f"001{century_digit}{born.year % 100:02d}{900100 + serial:06d}"


def _past(stage: str, target: str) -> bool:
    """Whether a dossier meant to wait at `stage` goes beyond `target`."""
    return ORDER.index(stage) > ORDER.index(target)


def seed_stages(*, round_: Round, councils: dict[str, Council]) -> None:
    if Artisan.objects.with_cccd(_cccd(0, STAGES[0][2], STAGES[0][3])).exists():
        return  # already seeded: a second run adds nothing
    officer = User.objects.get(username="canbo.hanoi")
    clerk = User.objects.get(username="chuyenvien.bct")
    leader = User.objects.get(username="lanhdao.bct")
    today = timezone.localdate()
    rules = rules_for_round(round_)
    gov_days = rules.value("posting.gov_portal_days")
    provincial_days = rules.value("posting.provincial_days") or 0

    dossiers: list[tuple[str, Dossier]] = [
        (stage, _receive(round_, officer, serial, name, gender, born, craft))
        for serial, (stage, name, gender, born, craft) in enumerate(STAGES)
    ]

    def step(dossier: Dossier, name: str, by: User, **data) -> Dossier:
        return dossier_transition(dossier=dossier, name=name, by=by, request_id=REQUEST_ID, **data)

    def beyond(target: str) -> list[Dossier]:
        return [Dossier.objects.get(pk=d.pk) for stage, d in dossiers if _past(stage, target)]

    def reached(target: str) -> list[tuple[str, Dossier]]:
        return [(stage, Dossier.objects.get(pk=d.pk)) for stage, d in dossiers if not _past(target, stage)]

    # Intake: submitted, one returned for supplement, the others admitted and sent to the council.
    for stage, dossier in dossiers:
        dossier = step(dossier, "submit", officer)
        if stage == "needs_supplement":
            step(
                dossier,
                "return_for_supplement",
                officer,
                reason="Thiếu bản sao có chứng thực giấy khen của Hội thi năm 2019.",
                on=today - timedelta(days=3),
            )
            continue
        dossier = step(dossier, "admit", officer)
        if _past(stage, "admitted"):
            step(dossier, "send_to_provincial_council", officer)

    # The provincial council: one session held and counted, one with its ballot open now.
    provincial = councils["provincial"]
    _session(provincial, beyond("provincial_review"), held_on=today - timedelta(days=45))
    _session(
        provincial,
        [Dossier.objects.get(pk=d.pk) for stage, d in dossiers if stage == "provincial_review"],
        held_on=today,
        close=False,
    )

    # The province posts the result (the one still posted today is open for comment) and forwards it.
    for stage, dossier in reached("provincial_posted"):
        still_posted = stage == "provincial_posted"
        posted_on = today if still_posted else today - timedelta(days=provincial_days + 40)
        step(dossier, "post_provincial_result", officer, on=posted_on)
    for dossier in beyond("provincial_posted"):
        step(dossier, "forward_to_ministry", officer)

    # The ministry: its council, the Government portal, the State council, appraisal, the proposal.
    for dossier in beyond("forwarded"):
        step(dossier, "send_to_ministerial_council", clerk)
    _session(councils["ministerial"], beyond("ministerial_review"), held_on=today - timedelta(days=28))
    for stage, dossier in reached("gov_posting"):
        still_posted = stage == "gov_posting"
        posted_on = today if still_posted else today - timedelta(days=gov_days + 2)
        step(dossier, "post_on_government_portal", clerk, on=posted_on)
    for dossier in beyond("gov_posting"):
        step(dossier, "send_to_state_council", clerk)
    _session(councils["state"], beyond("state_review"), held_on=today - timedelta(days=1))
    for dossier in beyond("state_passed"):
        step(dossier, "send_to_appraisal", clerk)
    for dossier in beyond("appraisal"):
        step(
            dossier,
            "record_appraisal_agreed",
            clerk,
            appraisal_letter_number=f"{round_.number:02d}/BNV-TĐKT",
            appraisal_letter_date=today,
        )
    for dossier in beyond("appraisal_agreed"):
        step(dossier, "propose_to_prime_minister", leader)
    for dossier in beyond("proposed"):
        step(
            dossier,
            "record_conferral",
            clerk,
            decision_number=f"{round_.number:02d}/QĐ-CTN",
            decision_date=today,
        )


def _session(council: Council, agenda: list[Dossier], *, held_on: date, close: bool = True) -> None:
    """A session of the council with this agenda, every voting member present. Closed: everyone voted
    agree and the results are recorded. Open: everyone voted but the demo member (the first member of
    the council with a demo account, who votes in the walkthrough)."""
    secretaries = council.memberships.filter(role=Membership.Role.SECRETARY).select_related("user")
    # Closing the ballot records the council's result in the procedure: for the ministerial and State
    # councils a ministry clerk's step, so one of their secretaries must be a ministry clerk.
    wanted = Role.COUNCIL_SECRETARY if council.level == "provincial" else Role.MINISTRY_CLERK
    secretary = next((m.user for m in secretaries if wanted in roles_of(m.user)), secretaries[0].user)
    voters = list(
        council.memberships.filter(role__in=Membership.VOTING_ROLES).select_related("user").order_by("pk")
    )
    session = session_schedule(
        council=council, held_on=max(held_on, council.decision_date), place="Phòng họp số 2", by=secretary
    )
    session_agenda_add(session=session, dossiers=agenda, by=secretary)
    session_attendance_record(session=session, present=voters, by=secretary)
    council_ballot_open(session=session, by=secretary)
    demo_member = {"uyvien.hanoi", "uyvien.bo"}
    for membership in voters:
        if not close and membership.user.username in demo_member:
            continue
        for dossier in agenda:
            # each member declares (no conflict) before voting: no ballot without a declaration
            conflict_declare(session=session, dossier=dossier, by=membership.user, status="none")
            ballot_cast(session=session, dossier=dossier, choice="agree", by=membership.user)
    if close:
        council_ballot_close(session=session, by=secretary, request_id=REQUEST_ID)


def _receive(
    round_: Round, officer: User, serial: int, name: str, gender: str, born: date, craft: str
) -> Dossier:
    """An Excellent Artisan nomination that meets every checkable criterion, with its attachments."""
    hanoi = officer.agency.province
    commune = AdministrativeUnit.objects.filter(parent=hanoi).order_by("code").first()
    dossier, _warnings = dossier_receive(
        by=officer,
        artisan={
            "full_name": name,
            "gender": gender,
            "date_of_birth": born,
            "ethnicity": "Kinh",
            "cccd": _cccd(serial, gender, born),
            "province": hanoi,
            "commune": commune,
            "craft": Craft.objects.get(code=craft),
            "consent_version": CONSENT_VERSION,  # demo artisans: consent as if given at intake
        },
        dossier={
            "round": round_,
            "title": "excellent",
            "receiving_agency": officer.agency,
            "channel": "in_person",
            "received_on": date(2025, 9, 22),
        },
    )
    award = AwardInput(
        competition="Hội thi sản phẩm thủ công mỹ nghệ",
        organiser="Bộ Công Thương",
        level="second",
        scope="national",
        awarded_on=date(2012, 10, 15),
        organiser_is_competent=True,
    )
    dossier_update_evidence(
        dossier=dossier,
        by=officer,
        periods=[PeriodInput(date(born.year + 20, 1, 1), date(2025, 6, 30), "Làng nghề truyền thống")],
        works=[
            WorkInput(f"Tác phẩm số {n}", date(2000 + n, 6, 1), awards=(award,) if n < 2 else ())
            for n in range(1, 11)
        ],
        trainees=[TraineeInput(120, date(1995, 1, 1), date(2024, 12, 31), "Lớp truyền nghề tại xưởng")],
    )
    for kind in ("declaration", "certified_copy"):
        content = pdf_bytes(f"{kind} {name}")
        attachment_add(
            dossier=dossier,
            kind=kind,
            by=officer,
            uploaded_file=SimpleUploadedFile(f"{kind}.pdf", content, content_type="application/pdf"),
        )
    return dossier
