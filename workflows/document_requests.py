"""The documents the procedure requests: each function asks documents.services for one kind of document
(its number taken in the caller's transaction, built by a Celery task after commit) from the data that
workflows.document_data builds. A step names the ones it produces in its declaration
(workflows/transitions.py); the council services request the ballot papers and minutes of a session.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Membership, Session, Tally
from documents import data as d
from documents.kinds import BALLOT_KIND, DECLARATION_KIND, SUMMARY_KIND, Kind
from documents.layout import percent
from documents.models import GeneratedDocument
from documents.services import document_correct, document_request
from documents.wording import COUNCIL_SYMBOL, DECREE_BASIS, GOV_PORTAL, MEMBER_ROLE, NEXT_BODY, TITLE_NAME
from dossiers.facts import DOSSIER_JOINS, dossiers_for_facts
from dossiers.models import Award, Dossier, Title
from dossiers.rulebook.selectors import rules_for_round
from notifications.rendering import site_url

from .document_data import (
    agency_issuer,
    chair_signature,
    clock_text,
    conflict_withdrawals,
    council_issuer,
    council_of,
    declaration_data,
    judgement_requests,
    latest_tallies,
    member_of,
    members_in_order,
    ministry_agency,
    name_of,
    person_of,
    place_of,
    plan_basis,
    session_full,
    summary_data,
    supplement_letter_data,
    title_counts,
    vote_row,
)
from .guards import posting_last_day


def declaration_request(dossier: Dossier, *, by, replaces: GeneratedDocument | None = None, reason: str = ""):
    data = declaration_data(dossier, by=by)
    title = f"Bản khai thành tích: {dossier.artisan.full_name}"
    if replaces is not None:
        return document_correct(original=replaces, data=data, title=title, by=by, reason=reason)
    return document_request(
        kind=DECLARATION_KIND[dossier.title],
        data=data,
        title=title,
        by=by,
        dossier=dossier,
        province=dossier.province,
    )


def submission_requests(dossiers: list[Dossier], level: str, *, by) -> list[GeneratedDocument]:
    """Form 03 (the submission upward) and Form 04 (its list), per council that voted on them."""
    tallies = latest_tallies(dossiers, level)
    groups: dict[int | None, list[Dossier]] = {}
    for dossier in dossiers:
        tally = tallies.get(dossier.pk)
        groups.setdefault(tally.session.council_id if tally else None, []).append(dossier)
    requested = []
    for group in groups.values():
        province = group[0].province if level == "provincial" else None
        voted = [tallies[x.pk] for x in group if x.pk in tallies]
        council = council_of(voted, level, group[0].round_id, province)
        if council is None:  # no council of that level in the round: nobody to issue the submission
            continue
        rows = [vote_row(x, tallies.get(x.pk)) for x in group]
        today = timezone.localdate()
        head = d.Head(issuer=council_issuer(council), issued_on=today)
        closing = d.Closing(chair_signature(council), [*NEXT_BODY[level], "Bộ Công Thương"], COUNCIL_SYMBOL)
        considered = Tally.objects.filter(session__council=council).values("dossier_id").distinct().count()
        common = {"by": by, "dossiers": group, "province": council.province, "council_ref": council.pk}
        submission = document_request(
            kind=Kind.FORM_03,
            data=d.SubmissionData(
                head=head,
                closing=closing,
                council_name=council.name,
                round_number=council.round.number,
                addressed_to=NEXT_BODY[level],
                bases=[DECREE_BASIS, *plan_basis(council)],
                dossiers_considered=considered,
                counts=title_counts(group),
                rows=rows,
            ),
            title=f"Tờ trình của {council.name}",
            **common,
        )
        listing = document_request(
            kind=Kind.FORM_04,
            data=d.ListData(
                head=head,
                closing=d.Closing(chair_signature(council)),
                council_name=council.name,
                round_number=council.round.number,
                rows=rows,
                submission_number=submission.number_text,
                submission_date=head.issued_on,
            ),
            title=f"Danh sách đề nghị kèm Tờ trình số {submission.number_text}",
            **common,
        )
        requested += [submission, listing]
    return requested


def result_notice_request(dossiers: list[Dossier], *, by) -> GeneratedDocument | None:
    tallies = latest_tallies(dossiers, "provincial")
    province = dossiers[0].province
    council = council_of(tallies.values(), "provincial", dossiers[0].round_id, province)
    if council is None:
        return None
    rules = rules_for_round(dossiers[0].round)
    days = rules.value("posting.provincial_days")
    posted = dossiers[0].provincial_posted_on
    return document_request(
        kind=Kind.RESULT_NOTICE,
        data=d.ResultNoticeData(
            head=d.Head(issuer=council_issuer(council), issued_on=timezone.localdate()),
            closing=d.Closing(
                chair_signature(council),
                ["Cổng Thông tin điện tử của tỉnh", "Bộ Công Thương"],
                COUNCIL_SYMBOL,
            ),
            council_name=council.name,
            round_number=council.round.number,
            rows=[vote_row(x, tallies.get(x.pk)) for x in dossiers],
            posting_days=days,
            posted_on=posted,
            last_day=posting_last_day(posted, days) if posted and days else None,
            # the receiving department keeps the council's secretariat; the public page takes written
            # comments too (with the name, telephone and address the decree asks for)
            comment_address=dossiers[0].receiving_agency.name,
            comment_postal=dossiers[0].receiving_agency.address,
            comment_url=site_url(reverse("public_list")),
        ),
        title=f"Thông báo kết quả xét chọn của {council.name}",
        by=by,
        dossiers=dossiers,
        province=province,
        council_ref=council.pk,
    )


def posting_notice_request(dossiers: list[Dossier], *, by) -> GeneratedDocument:
    ministry = ministry_agency()
    rules = rules_for_round(dossiers[0].round)
    days = rules.value("posting.gov_portal_days")
    posted = dossiers[0].gov_posted_on or timezone.localdate()
    issuer = agency_issuer(ministry)
    round_number = dossiers[0].round.number
    return document_request(
        kind=Kind.POSTING_NOTICE,
        data=d.PostingNoticeData(
            head=d.Head(issuer=issuer, issued_on=timezone.localdate()),
            closing=d.Closing(
                d.Signature("KT.", "Bộ trưởng", "Thứ trưởng", ""),
                ["Như trên", "Bộ trưởng (để b/c)"],
                issuer.symbol,
            ),
            about=f"V/v đăng công khai danh sách đề nghị xét tặng danh hiệu lần thứ {round_number}",
            addressed_to=[GOV_PORTAL],
            round_number=dossiers[0].round.number,
            article=f"{rules['posting.gov_portal_days'].article}",
            days=days,
            posted_on=posted,
            last_day=posting_last_day(posted, days),
            comment_address=settings.MINISTRY_COMMENT_ADDRESS,
            counts=title_counts(dossiers),
            people=[person_of(x) for x in dossiers],
        ),
        title=f"Công văn đăng công khai trên {GOV_PORTAL}, lần thứ {dossiers[0].round.number}",
        by=by,
        dossiers=dossiers,
    )


def decision_record_request(dossiers: list[Dossier], *, by) -> GeneratedDocument:
    ministry = ministry_agency()
    issuer = agency_issuer(ministry)
    first = dossiers[0]
    return document_request(
        kind=Kind.DECISION_RECORD,
        data=d.DecisionRecordData(
            head=d.Head(issuer=issuer, issued_on=timezone.localdate()),
            closing=d.Closing(
                d.Signature("KT.", "Bộ trưởng", "Thứ trưởng", ""), ["Các Sở Công Thương"], issuer.symbol
            ),
            round_number=first.round.number,
            decision_number=first.decision_number,
            decision_date=first.decision_date or timezone.localdate(),
            people=[person_of(x) for x in dossiers],
        ),
        title=f"Thông báo Quyết định số {first.decision_number} của Chủ tịch nước",
        by=by,
        dossiers=dossiers,
    )


def ballot_paper_requests(session: Session, *, by) -> list[GeneratedDocument]:
    """Forms 07/08 when the ballot opens: one blank paper per title on the agenda (for paper voting)."""
    session = session_full(session)
    council = session.council
    requested = []
    for title in (Title.PEOPLES, Title.EXCELLENT):
        agenda = [x for x in session.agenda.all() if x.title == title]
        if not agenda:
            continue
        requested.append(
            document_request(
                kind=BALLOT_KIND[title],
                data=d.BallotPaperData(
                    title_key=title,
                    title=TITLE_NAME[title],
                    council_name=council.name,
                    round_number=council.round.number,
                    held_on=session.held_on,
                    place=place_of(council.province),
                    people=[person_of(x) for x in agenda],
                ),
                title=f"Phiếu bầu {TITLE_NAME[title]}: {council.name}, phiên {session.held_on:%d/%m/%Y}",
                by=by,
                dossiers=agenda,
                province=council.province,
                council_ref=council.pk,
                session_ref=session.pk,
            )
        )
    return requested


def session_minutes_requests(session: Session, tallies: list[Tally], *, by) -> list[GeneratedDocument]:
    """Forms 05 and 06 when the ballot closes, from the tallies just written."""
    session = session_full(session)
    council = session.council
    rules = rules_for_round(council.round)
    dossiers = {x.pk: x for x in session.agenda.all()}
    rows = [vote_row(dossiers[t.dossier_id], t) for t in tallies]
    voting = [m for m in council.memberships.all() if m.votes]
    present = [m for m in session.present.all() if m.votes]
    chair = member_of(council, Membership.Role.CHAIR)
    secretary = member_of(council, Membership.Role.SECRETARY)
    head = d.Head(issuer=council_issuer(council), issued_on=session.held_on)
    chair_sign = d.Signature("", "", "Chủ tịch Hội đồng", name_of(chair))
    secretary_sign = d.Signature("", "", "Thư ký", name_of(secretary))
    quorum = f"{len(present)}/{len(voting)} thành viên" + (
        ", có Chủ tịch Hội đồng" if chair in present else ""
    )
    ratio = rules.value("council.pass_ratio")
    base = (
        "tổng số thành viên Hội đồng theo danh sách"
        if rules.value("council.pass_base") == "all_members_on_list"
        else "số thành viên có mặt"
    )
    common = {
        "by": by,
        "dossiers": list(dossiers.values()),
        "province": council.province,
        "council_ref": council.pk,
        "session_ref": session.pk,
    }
    minutes = document_request(
        kind=Kind.FORM_05,
        data=d.MinutesData(
            head=head,
            council_name=council.name,
            round_number=council.round.number,
            meeting_place=session.place,
            held_on=session.held_on,
            opened_at=clock_text(session.opened_at),
            closed_at=clock_text(session.closed_at),
            chair=name_of(chair),
            secretary=name_of(secretary),
            members_on_list=len(voting),
            present=[name_of(m) for m in present],
            absent=[name_of(m) for m in voting if m not in present],
            quorum=quorum,
            rows=rows,
            chair_signature=chair_sign,
            secretary_signature=secretary_sign,
            judgement_requests=judgement_requests(dossiers[t.dossier_id] for t in tallies),
            conflict_withdrawals=conflict_withdrawals(session),
        ),
        title=f"Biên bản họp {council.name}, phiên {session.held_on:%d/%m/%Y}",
        **common,
    )
    count = document_request(
        kind=Kind.FORM_06,
        data=d.CountData(
            head=head,
            council_name=council.name,
            round_number=council.round.number,
            held_on=session.held_on,
            counters=[name_of(secretary)] if secretary else [],
            pass_rule=f"từ {percent(ratio, 1)} số phiếu đồng ý trên {base}",
            rows=rows,
            chair_signature=chair_sign,
            secretary_signature=secretary_sign,
        ),
        title=f"Biên bản kiểm phiếu {council.name}, phiên {session.held_on:%d/%m/%Y}",
        **common,
    )
    return [minutes, count]


def council_decision_request(council: Council, *, by) -> GeneratedDocument:
    """The decision establishing a council, with the number and date its issuing body gave it."""
    council = (
        Council.objects.select_related("province", "round", "secretariat")
        .prefetch_related(Prefetch("memberships", queryset=members_in_order()))
        .get(pk=council.pk)
    )
    if council.level == Council.Level.PROVINCIAL:
        issuer_name, authority, symbol = (
            f"Ủy ban nhân dân {council.province.name}",
            f"Chủ tịch Ủy ban nhân dân {council.province.name}",
            "UBND",
        )
        # the Chairman's own decision (Decree 43/2024: the Chairman sets up the provincial council), not
        # the Committee's: signed "CHỦ TỊCH", with no "TM." line
        signature = d.Signature("", "", "Chủ tịch", council.decision_signer)
    elif council.level == Council.Level.MINISTERIAL:
        issuer_name, authority, symbol = "Bộ Công Thương", "Bộ trưởng Bộ Công Thương", "BCT"
        signature = d.Signature("", "", "Bộ trưởng", council.decision_signer)
    else:
        issuer_name, authority, symbol = "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "TTg"
        signature = d.Signature("", "", "Thủ tướng", council.decision_signer)
    issuer = d.Issuer(issuer_name, "", symbol, place_of(council.province), register_key=f"external:{symbol}")
    members = [
        d.MemberRow(str(m.user), ", ".join(filter(None, [m.position, m.agency_name])), MEMBER_ROLE[m.role])
        for m in sorted(council.memberships.all(), key=lambda m: list(MEMBER_ROLE).index(m.role))
    ]
    secretariat = council.secretariat.name if council.secretariat_id else f"Tổ Thư ký {council.name}"
    return document_request(
        kind=Kind.COUNCIL_DECISION,
        data=d.CouncilDecisionData(
            head=d.Head(issuer=issuer, issued_on=council.decision_date, fixed_number=council.decision_number),
            closing=d.Closing(signature, ["Như Điều 4", "Bộ Công Thương"], symbol),
            authority=authority,
            bases=[DECREE_BASIS, *plan_basis(council)],
            council_name=council.name,
            round_number=council.round.number,
            members=members,
            secretariat=secretariat,
            seal=council.secretariat.name if council.secretariat_id else issuer_name,
        ),
        title=f"Quyết định thành lập {council.name}",
        by=by,
        province=council.province,
        council_ref=council.pk,
    )


# What the steps declare (workflows/transitions.py) ------------------------------------------------------
# Per dossier: called as f(dossier, by=..., reason=...) inside the step's transaction.
# Per batch: called as f(dossiers, by=...) once for all the dossiers a step was taken for.


def _with_facts(dossier: Dossier, *related: str) -> Dossier:
    return dossiers_for_facts(Dossier.objects.filter(pk=dossier.pk)).select_related(*related).get()


def declaration(dossier: Dossier, *, by, reason: str = "") -> GeneratedDocument | None:
    """The declaration of achievements (Form 01 or 02), from the step's locked dossier: its joined rows
    are loaded with the lock, its evidence here (one query per kind of row, a work with its award).
    At the receipt, a dossier whose evidence is still to be entered gets none: built now it would read
    "0 năm 0 tháng" and "Không có"; the admission builds it (`declaration_if_missing`)."""
    prefetch_related_objects(
        [dossier],
        *DOSSIER_JOINS,  # joined already on a step's locked dossier: no query then
        "artisan__prior_titles",
        "craft_periods",
        "works",
        Prefetch("awards", queryset=Award.objects.select_related("work")),
        "trainee_records",
    )
    if not (dossier.craft_periods.all() or dossier.works.all() or dossier.trainee_records.all()):
        return None
    return declaration_request(dossier, by=by)


def declaration_if_missing(dossier: Dossier, *, by, reason: str = "") -> GeneratedDocument | None:
    """At the admission, the declaration of a dossier received before its evidence was entered (its
    evidence is complete now: the step's guard checked it); nothing when it has one already."""
    if GeneratedDocument.objects.filter(dossiers=dossier, kind__in=set(DECLARATION_KIND.values())).exists():
        return None
    return declaration(dossier, by=by, reason=reason)
    return True


def supplement_letter(dossier: Dossier, *, by, reason: str = "") -> GeneratedDocument:
    """The letter asking for a supplement, with what is missing and the period to complete it."""
    full = _with_facts(dossier, "round", "receiving_agency__province")
    return document_request(
        kind=Kind.SUPPLEMENT_LETTER,
        data=supplement_letter_data(full, reason=reason),
        title=f"Công văn bổ sung hồ sơ: {full.artisan.full_name}",
        by=by,
        dossier=full,
        province=full.province,
    )


def summary(dossier: Dossier, *, by, reason: str = "") -> GeneratedDocument:
    """The summary of achievements for publication (Form 09 or 10)."""
    full = _with_facts(dossier, "round", "province")
    return document_request(
        kind=SUMMARY_KIND[full.title],
        data=summary_data(full),
        title=f"Tóm tắt thành tích: {full.artisan.full_name}",
        by=by,
        dossier=full,
        province=full.province,
    )


class SubmissionAndList:
    """The submission upward and its list (Forms 03 and 04), one pair per council that voted."""

    def __init__(self, level: str):
        self.level = level

    def __call__(self, dossiers: list[Dossier], *, by) -> list[GeneratedDocument]:
        return submission_requests(dossiers, self.level, by=by)

    def __repr__(self) -> str:
        return f"SubmissionAndList({self.level!r})"


def result_notices(dossiers: list[Dossier], *, by) -> list[GeneratedDocument]:
    """The provincial council's result notice, one per province."""
    requested = []
    for province_id in sorted({x.province_id for x in dossiers}):
        notice = result_notice_request([x for x in dossiers if x.province_id == province_id], by=by)
        requested += [notice] if notice else []
    return requested


def posting_notice(dossiers: list[Dossier], *, by) -> list[GeneratedDocument]:
    """The notice of posting on the Government portal."""
    return [posting_notice_request(dossiers, by=by)]


def decision_record(dossiers: list[Dossier], *, by) -> list[GeneratedDocument]:
    """The record of the President's decision."""
    return [decision_record_request(dossiers, by=by)]


def batch_documents(produce: tuple, dossier_ids: list[int], *, by) -> list[GeneratedDocument]:
    """The documents a step declares per batch, once for the dossiers it was taken for (or for one).
    Most steps declare none: they cost no query. Otherwise one query loads the dossiers with what the
    batch documents read (the artisan and their craft, the province, the round, the receiving agency)."""
    if not dossier_ids or not produce:
        return []
    dossiers = list(
        Dossier.objects.filter(pk__in=dossier_ids)
        .select_related("artisan__craft", "province", "round", "receiving_agency")
        .order_by("title", "artisan__sort_key", "pk")
    )
    return [document for request in produce for document in request(dossiers, by=by)]
