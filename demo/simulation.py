"""A whole round with synthetic artisans, driven to the end through the services real users go through.

Every step is taken by a user with the right role and scope, through dossier_receive,
dossier_update_evidence, attachment_add and dossier_transition (or its batch form): no state is set
directly, no check is skipped. It is the demo, an integration test and the benchmark's workload.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import AdministrativeUnit, Agency, User
from accounts.roles import Role
from councils.models import Ballot, Council, Membership, Session
from councils.services import (
    ballot_paper_cast,
    conflicts_declare_none,
    session_agenda_add,
    session_attendance_record,
)
from demo.files import pdf_bytes
from documents.models import GeneratedDocument
from dossiers.consent import CONSENT_VERSION
from dossiers.models import Craft, Dossier, DossierState, Round
from dossiers.rulebook.selectors import rulebook_latest
from dossiers.services.attachments import attachment_add
from dossiers.services.intake import (
    AwardInput,
    PeriodInput,
    TraineeInput,
    WorkInput,
    dossier_receive,
    dossier_update_evidence,
)
from notifications.models import EventRecord, Notification
from notifications.services import event_dispatch
from workflows.models import AuditEntry
from workflows.services import (
    council_ballot_close,
    council_ballot_open,
    council_decision_issue,
    dossier_transition,
    dossiers_transition_batch,
)

S = DossierState
JOB = "simulate_round"
COUNCIL_SIZE = 11
_performed = Counter()  # transitions this run performed, counted here, apart from the audit log


@dataclass
class Actors:
    officers: dict[int, User]  # province id → officer
    secretaries: dict[int, User]
    departments: dict[int, Agency]
    clerk: User
    leader: User
    provincial_councils: dict[int, Council]
    ministerial_council: Council
    state_council: Council


def simulate_round(
    *, provinces: int, dossiers_per_province: int, seed: int, worker_grace_seconds: float = 0.0
) -> dict:
    """A whole round through the real services. `worker_grace_seconds`: with a live worker, how long to
    let it reach the events of the round's last steps before dispatching the rest here (those are the
    round's worker lag, `events_dispatched_here`)."""
    started = time.perf_counter()
    _performed.clear()
    rng = random.Random(seed)  # noqa: S311  (reproducible synthetic data, not security)
    round_ = _new_round()
    actors = _actors(round_, provinces)
    for council in Council.objects.filter(round=round_).order_by("pk"):
        council_decision_issue(council=council, by=actors.clerk)
    crafts = list(Craft.objects.order_by("code"))
    dossiers: list[Dossier] = []
    serial = 0
    for province_id, officer in actors.officers.items():
        commune = AdministrativeUnit.objects.filter(parent_id=province_id).order_by("code").first()
        for _ in range(dossiers_per_province):
            serial += 1
            dossiers.append(
                _receive(rng, round_, officer, actors.departments[province_id], commune, crafts, serial)
            )

    today = timezone.localdate()
    by_id = {d.pk: d for d in dossiers}
    in_review: list[Dossier] = []
    for d in dossiers:
        officer = actors.officers[d.province_id]
        d = _step(d, "submit", officer)
        roll = rng.random()
        if roll < 0.10:
            d = _step(
                d,
                "return_for_supplement",
                officer,
                reason="Thiếu tài liệu",
                on=d.received_on + timedelta(days=5),
            )
            d = _step(d, "resubmit", officer, on=d.received_on + timedelta(days=12))
        if roll > 0.97:
            _step(d, "reject", officer, reason="Không thuộc đối tượng xét tặng")
            continue
        if rng.random() < 0.03:
            _step(d, "withdraw", officer, reason="Nghệ nhân có đơn rút hồ sơ")
            continue
        if rng.random() < 0.05:
            d = _step(d, "hold", actors.clerk, reason="Có đơn thư phản ánh")
            d = _step(d, "release", actors.clerk, reason="Đã xác minh, không có vi phạm")
        d = _step(d, "admit", officer)
        try:
            d = _step(d, "send_to_provincial_council", officer)
        except ValidationError:  # not eligible, and no reason recorded for the council to judge it
            _step(d, "reject", officer, reason="Chưa đáp ứng tiêu chuẩn")
            continue
        in_review.append(d)

    # Each council meets once, every member present, and votes by secret ballot on its agenda.
    live: list[Dossier] = []
    for province_id, council in actors.provincial_councils.items():
        agenda = [d for d in in_review if d.province_id == province_id]
        if not agenda:
            continue
        passed = _passed(_council_session(rng, council, agenda, fail_share=0.15))
        # The province posts its council's result in one batch: one notice for all of them.
        _batch(passed, "post_provincial_result", actors.officers[province_id], on=today - timedelta(days=60))
        live += passed

    # Each province forwards its passed dossiers in one batch; the ministry works in batches too.
    for province_id, officer in actors.officers.items():
        _batch([d for d in live if d.province_id == province_id], "forward_to_ministry", officer)
    _batch(live, "send_to_ministerial_council", actors.clerk)
    passed = _passed(_council_session(rng, actors.ministerial_council, _fresh(live), fail_share=0.10))
    _batch(passed, "post_on_government_portal", actors.clerk, on=today - timedelta(days=30))
    _batch(passed, "send_to_state_council", actors.clerk)
    passed = _passed(_council_session(rng, actors.state_council, _fresh(passed), fail_share=0.05))
    _batch(passed, "send_to_appraisal", actors.clerk)
    # The Ministry of Home Affairs agrees by one letter for the whole list (docs/law.md §5 step 11).
    _batch(
        passed,
        "record_appraisal_agreed",
        actors.clerk,
        appraisal_letter_number=f"{round_.number:02d}/BNV-TĐKT",
        appraisal_letter_date=today,
    )
    _batch(passed, "propose_to_prime_minister", actors.leader)
    conferred, not_conferred = _split(rng, passed, 0.02)
    _batch(
        not_conferred, "record_non_conferral", actors.clerk, reason="Không được Chủ tịch nước quyết định tặng"
    )
    _batch(
        conferred,
        "record_conferral",
        actors.clerk,
        decision_number=f"{round_.number:02d}/QĐ-CTN",
        decision_date=today,
    )

    ids = list(by_id)
    final = Counter(dict(Dossier.objects.filter(pk__in=ids).values_list("state").annotate(n=Count("id"))))
    audit = AuditEntry.objects.filter(dossier_id__in=ids)
    # The worker hands events to the channels after each commit; whatever it has not reached yet (or all,
    # when the simulation runs inside one transaction) is dispatched here, so the count is the real one.
    documents = _round_documents(round_).values_list("pk", flat=True)
    events = EventRecord.objects.filter(
        Q(dossier_id__in=ids) | Q(session__council__round=round_) | Q(data__document_id__in=list(documents))
    )
    waiting = events.filter(dispatched_at__isnull=True)
    deadline = time.monotonic() + worker_grace_seconds
    while worker_grace_seconds and waiting.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    pending = list(waiting.values_list("pk", flat=True))
    for event_id in pending:
        event_dispatch(event_id=event_id)
    return {
        "round": round_.number,
        "dossiers": len(ids),
        "final_states": dict(sorted(final.items())),
        "transitions": sum(_performed.values()),
        "audit_entries": audit.count(),
        "ballots": Ballot.objects.filter(session__council__round=round_).count(),
        "documents": _documents_by_kind(round_),
        "notifications": Notification.objects.filter(event__in=events).count(),
        "events_dispatched_here": len(pending),  # those the worker had not reached when the round ended
        "seconds": round(time.perf_counter() - started, 3),
    }


def _round_documents(round_: Round):
    councils = Council.objects.filter(round=round_).values("pk")
    return GeneratedDocument.objects.filter(
        Q(dossiers__round=round_) | Q(council_ref__in=councils)
    ).distinct()


def _documents_by_kind(round_: Round) -> dict[str, int]:
    """The documents the round produced, by kind (requested in the steps; built by the worker)."""
    rows = (
        GeneratedDocument.objects.filter(pk__in=_round_documents(round_).values("pk"))
        .values("kind")
        .annotate(n=Count("id"))
    )
    return dict(sorted((row["kind"], row["n"]) for row in rows))


def _council_session(
    rng: random.Random, council: Council, agenda: list[Dossier], *, fail_share: float
) -> list:
    """One session: the secretary sets the agenda and attendance (everyone), opens the ballot, each
    member declares no conflict of interest and votes (for a dossier meant to fail, two disagree: 9 of 11
    is under 90%), the secretary closes it and the results are recorded in the procedure."""
    secretary = council.memberships.get(role=Membership.Role.SECRETARY).user
    voters = list(council.memberships.filter(role__in=Membership.VOTING_ROLES).select_related("user"))
    session = Session.objects.create(council=council, held_on=timezone.localdate(), place="Phòng họp")
    session_agenda_add(session=session, dossiers=agenda, by=secretary)
    session_attendance_record(session=session, present=voters, by=secretary)
    council_ballot_open(session=session, by=secretary)
    against = {dossier.pk: 2 if rng.random() < fail_share else 0 for dossier in agenda}
    for i, member in enumerate(voters):
        # each member declares no conflict with the agenda before voting (no ballot without a
        # declaration), then casts one ballot paper for all of it, as on the ballot screen
        conflicts_declare_none(session=session, dossiers=agenda, by=member.user)
        ballot_paper_cast(
            session=session,
            choices={pk: "disagree" if i < n else "agree" for pk, n in against.items()},
            by=member.user,
        )
    tallies = council_ballot_close(session=session, by=secretary, request_id=JOB)
    _performed["council results"] += len(tallies)
    return tallies


def _passed(tallies) -> list[Dossier]:
    return list(Dossier.objects.filter(pk__in=[t.dossier_id for t in tallies if t.passed]).order_by("pk"))


def _fresh(dossiers: list[Dossier]) -> list[Dossier]:
    return list(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).order_by("pk"))


def _step(dossier: Dossier, name: str, by: User, **data) -> Dossier:
    result = dossier_transition(dossier=dossier, name=name, by=by, request_id=JOB, **data)
    _performed[name] += 1
    return result


def _batch(dossiers: list[Dossier], name: str, by: User, **data) -> None:
    fresh = list(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).order_by("pk"))
    result = dossiers_transition_batch(dossiers=fresh, name=name, by=by, request_id=JOB, **data)
    _performed[name] += len(result.done)
    if result.refused:
        raise RuntimeError(f"{name}: refused {result.refused[:3]}")


def _split(rng: random.Random, dossiers: list[Dossier], share: float) -> tuple[list[Dossier], list[Dossier]]:
    kept, dropped = [], []
    for d in dossiers:
        (dropped if rng.random() < share else kept).append(d)
    return kept, dropped


def _new_round() -> Round:
    number = (Round.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    return Round.objects.create(
        number=number,
        name=f"Mô phỏng lần {number}",
        plan_decision_number=f"{number}/QĐ-BCT",
        plan_decision_date=date(2025, 2, 10),
        rulebook=rulebook_latest(),
    )


def _actors(round_: Round, provinces: int) -> Actors:
    units = list(
        AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True).order_by("code")[
            :provinces
        ]
    )
    # The same people from round to round, as in a ministry and its provinces: each round gets its own
    # councils (memberships), not new officers and clerks. Otherwise every later round would tell one more
    # clerk and officer of each step, and a round's cost would grow with the rounds before it.
    groups = {g.name: g for g in Group.objects.all()}
    ministry, _ = Agency.objects.get_or_create(
        kind=Agency.Kind.MINISTRY_UNIT, name="Bộ Công Thương", defaults={"short_name": "BCT"}
    )

    def user(name: str, role: Role, agency: Agency) -> User:
        u = User.objects.filter(username=f"sim-{name}").first()
        if u is None:
            u = User.objects.create_user(
                username=f"sim-{name}",
                password=None,
                agency=agency,
                full_name=f"Người dùng mô phỏng {name}",
                # a reserved domain (RFC 2606): the e-mail channel is exercised, nothing reaches a real inbox
                email=f"sim-{name}@mo-phong.invalid",
            )
            u.groups.add(groups[role])
        return u

    officers, secretaries, departments = {}, {}, {}
    for unit in units:
        department, _ = Agency.objects.get_or_create(
            kind=Agency.Kind.PROVINCIAL_DEPARTMENT,
            name=f"Sở Công Thương {unit.name.removeprefix('Thành phố ')}",
            defaults={"short_name": "SCT", "province": unit},
        )
        departments[unit.pk] = department
        officers[unit.pk] = user(f"canbo-{unit.code}", Role.PROVINCIAL_OFFICER, department)
        secretaries[unit.pk] = user(f"thuky-{unit.code}", Role.COUNCIL_SECRETARY, department)
    clerk = user("chuyenvien", Role.MINISTRY_CLERK, ministry)

    def council(level: str, unit, secretary: User, agency: Agency) -> Council:
        tag = unit.code if unit else level
        c = Council.objects.create(
            round=round_,
            level=level,
            province=unit,
            name=f"Hội đồng {level} {tag}",
            decision_number=f"{round_.number}/QĐ",
            decision_date=date(2025, 8, 1),
            decision_signer="Chủ tịch",
        )
        for i in range(COUNCIL_SIZE):
            role = Membership.Role.CHAIR if i == 0 else Membership.Role.MEMBER
            Membership.objects.create(
                council=c, user=user(f"uyvien-{tag}-{i}", Role.COUNCIL_MEMBER, agency), role=role
            )
        Membership.objects.create(council=c, user=secretary, role=Membership.Role.SECRETARY)
        return c

    provincial = {
        unit.pk: council("provincial", unit, secretaries[unit.pk], departments[unit.pk]) for unit in units
    }
    return Actors(
        officers,
        secretaries,
        departments,
        clerk,
        user("lanhdao", Role.MINISTRY_LEADER, ministry),
        provincial,
        council("ministerial", None, clerk, ministry),
        council("state", None, clerk, ministry),
    )


def _receive(rng, round_, officer, department, commune, crafts, serial) -> Dossier:
    born = date(rng.randint(1950, 1975), rng.randint(1, 12), rng.randint(1, 28))
    gender = rng.choice(["male", "female"])
    century_digit = (0 if born.year < 2000 else 2) + (1 if gender == "female" else 0)
    province_code = "001"
    unique = (round_.number % 100) * 10_000 + serial % 10_000  # distinct across rounds and dossiers
    cccd = f"{province_code}{century_digit}{born.year % 100:02d}{unique:06d}"
    dossier, _warnings = dossier_receive(
        by=officer,
        artisan={
            "full_name": f"Nghệ nhân mô phỏng {serial}",
            "gender": gender,
            "date_of_birth": born,
            "ethnicity": "Kinh",
            "cccd": cccd,
            "province": department.province,
            "commune": commune,
            "craft": rng.choice(crafts),
            "consent_version": CONSENT_VERSION,  # a simulated artisan consents as a real one must
        },
        dossier={
            "round": round_,
            "title": "excellent",
            "receiving_agency": department,
            "channel": "online",
            "received_on": date(2025, 9, 20),
        },
    )
    start = date(born.year + 20, 1, 1)
    prize = AwardInput(
        "Hội thi sản phẩm thủ công mỹ nghệ",
        "Bộ Công Thương",
        rng.choice(["first", "second", "third"]),
        "national",
        date(2015, 10, 1),
        organiser_is_competent=True,
    )
    dossier_update_evidence(
        dossier=dossier,
        by=officer,
        periods=[PeriodInput(start, date(2025, 6, 30))],
        works=[
            WorkInput(f"Tác phẩm {n}", date(2005 + n, 3, 1), awards=(prize,) if n == 0 else ())
            for n in range(rng.randint(9, 14))
        ],
        trainees=[TraineeInput(rng.randint(90, 250), date(2000, 1, 1), date(2024, 12, 31))],
    )
    for kind in ("declaration", "certified_copy"):
        content = pdf_bytes(f"{kind} {dossier.pk}")
        attachment_add(
            dossier=dossier,
            kind=kind,
            by=officer,
            uploaded_file=SimpleUploadedFile(f"{kind}.pdf", content, content_type="application/pdf"),
        )
    return dossier
