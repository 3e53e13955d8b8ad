"""The paperwork of the procedure: which official document each step produces, the selectors that fill
each document's data object from the database (builders never query), and who may see a document.

- Per dossier, inside the step's transaction: the declaration (Form 01/02) when the dossier is
  submitted, the letter asking for a supplement when it is returned, the summary for publication
  (Form 09/10) when it is forwarded to the Ministry.
- Per batch (or for the one dossier of a single step): the submission and list (Forms 03, 04) when a
  level sends its passed dossiers up, the provincial result notice, the notice of public posting, and
  the record of the President's decision.
- Per council session: the ballot papers (Forms 07, 08) when the ballot opens, the minutes and
  vote-counting minutes (Forms 05, 06) when it closes; per council, its establishing decision.

Every document is requested through documents.services.document_request in the transaction of the step
(its number taken there), and built by a Celery task after commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Agency
from accounts.roles import Role, roles_of
from core.permissions import Decision, allow, deny
from councils.models import Council, Membership, Session, Tally
from documents import data as d
from documents.forms import TITLE_PHRASE
from documents.kinds import BALLOT_KIND, DECLARATION_KIND, SUMMARY_KIND, Kind
from documents.models import GeneratedDocument
from documents.services import document_correct, document_request, document_retry
from dossiers.completeness import check_completeness, supplement_due
from dossiers.eligibility import craft_span
from dossiers.facts import dossiers_for_facts, facts_from_dossier
from dossiers.models import Dossier, Title
from dossiers.permissions import MINISTRY_ROLES, can_edit_dossier, user_province_id
from dossiers.rulebook.selectors import rules_for_round
from dossiers.selectors import dossiers_visible_to
from dossiers.sensitive import artisan_sensitive_read

from .guards import posting_last_day

# Vietnamese words of the documents (official documents are in Vietnamese whatever the user's language).
TITLE_NAME = {Title.PEOPLES: "Nghệ nhân nhân dân", Title.EXCELLENT: "Nghệ nhân ưu tú"}
GENDER = {"male": "Nam", "female": "Nữ"}
AWARD_LEVEL = {
    "first": "Giải nhất",
    "second": "Giải nhì",
    "third": "Giải ba",
    "consolation": "Giải khuyến khích",
}
AWARD_SCOPE = {
    "provincial": "Cấp tỉnh",
    "national": "Toàn quốc",
    "regional": "Khu vực",
    "international": "Quốc tế",
}
MEMBER_ROLE = {
    Membership.Role.CHAIR: "Chủ tịch Hội đồng",
    Membership.Role.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    Membership.Role.MEMBER: "Ủy viên",
    Membership.Role.SECRETARY: "Thư ký",
}
LEVEL_BODY = {
    "provincial": "Hội đồng xét tặng cấp tỉnh",
    "ministerial": "Hội đồng chuyên ngành cấp Bộ",
    "state": "Hội đồng cấp Nhà nước",
}
NEXT_BODY = {
    "provincial": ["Hội đồng chuyên ngành cấp Bộ (qua Bộ Công Thương)"],
    "ministerial": ["Hội đồng cấp Nhà nước xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú”"],
    "state": ["Thủ tướng Chính phủ"],
}
COUNCIL_SYMBOL = "HĐXT"
GOV_PORTAL = "Cổng Thông tin điện tử Chính phủ"
PUBLIC_KINDS = (Kind.POSTING_NOTICE, Kind.DECISION_RECORD)
DECREE_BASIS = (
    "Căn cứ Nghị định số 43/2024/NĐ-CP ngày 19 tháng 4 năm 2024 của Chính phủ quy định chi tiết về xét tặng"
    " danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” trong lĩnh vực nghề thủ công mỹ nghệ"
)


def place_of(province) -> str:
    """ "Hà Nội" for "Thành phố Hà Nội"; the place in a date line is the unit's name without its type."""
    if province is None:
        return "Hà Nội"
    return province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")


# Issuers and signatures ------------------------------------------------------------------------------


def agency_issuer(agency: Agency) -> d.Issuer:
    parent = agency.parent_name or (f"UBND {agency.province.name}" if agency.province_id else "")
    return d.Issuer(
        name=agency.name,
        parent=parent,
        symbol=agency.short_name or "SCT",
        place=place_of(agency.province),
        register_key=f"agency:{agency.pk}",
    )


def council_issuer(council: Council) -> d.Issuer:
    """A council that uses its agency's seal keeps its own number series (Decree 30/2020 Appendix I)."""
    if council.level == Council.Level.PROVINCIAL:
        parent = f"UBND {council.province.name}"
    elif council.level == Council.Level.MINISTERIAL:
        parent = "Bộ Công Thương"
    else:
        parent = ""
    return d.Issuer(
        name=council.name,
        parent=parent,
        symbol=COUNCIL_SYMBOL,
        place=place_of(council.province),
        register_key=f"council:{council.pk}",
    )


def _member(council: Council, role: str) -> Membership | None:
    return next((m for m in council.memberships.all() if m.role == role), None)


def _name(membership: Membership | None) -> str:
    return str(membership.user) if membership else ""


def chair_signature(council: Council) -> d.Signature:
    chair = _member(council, Membership.Role.CHAIR)
    return d.Signature("TM.", "Hội đồng", "Chủ tịch", _name(chair), note=chair.position if chair else "")


def _head_signature() -> d.Signature:
    """The head of a department or the Ministry signs by hand; the name is written when signing."""
    return d.Signature("KT.", "Giám đốc", "Phó Giám đốc", "")


def _ministry() -> Agency:
    agency = Agency.objects.filter(kind=Agency.Kind.MINISTRY_UNIT, is_active=True).order_by("pk").first()
    if agency is None:
        raise Agency.DoesNotExist("no Ministry unit is registered (accounts.Agency of kind ministry_unit)")
    return agency


# People and figures -----------------------------------------------------------------------------------


def person_of(dossier: Dossier) -> d.Person:
    artisan = dossier.artisan
    return d.Person(
        full_name=artisan.full_name,
        birth_year=artisan.date_of_birth.year,
        gender=GENDER.get(artisan.gender, artisan.gender),
        craft=artisan.craft.name,
        province=place_of(dossier.province),
        title=TITLE_NAME[dossier.title],
        posthumous=dossier.posthumous,
    )


def _years_text(dossier: Dossier) -> str:
    years, months = craft_span(dossier.craft_periods.all(), rules_for_round(dossier.round))
    return f"{years} năm {months} tháng"


def _awards(dossier: Dossier) -> list[d.AwardRow]:
    return [
        d.AwardRow(
            competition=a.competition,
            organiser=a.organiser,
            level=AWARD_LEVEL.get(a.level, a.level),
            scope=AWARD_SCOPE.get(a.scope, a.scope),
            awarded_on=a.awarded_on,
            work=a.work.name if a.work_id else "",
        )
        for a in dossier.awards.all()
    ]


def _prior_titles(dossier: Dossier) -> list[d.PriorTitleRow]:
    return [
        d.PriorTitleRow(TITLE_NAME.get(t.title, t.title), t.decision_number, t.decision_date)
        for t in dossier.artisan.prior_titles.all()
    ]


def _vote_row(dossier: Dossier, tally: Tally | None) -> d.VoteRow:
    person = person_of(dossier)
    if tally is None:
        return d.VoteRow(person, 0, 0, 0, 0, 0, 0, False)
    return d.VoteRow(
        person,
        tally.members_on_list,
        tally.present,
        tally.recused,
        tally.agree,
        tally.disagree,
        tally.base,
        tally.passed,
    )


def _title_counts(dossiers: Iterable[Dossier]) -> list[d.TitleCount]:
    proposed, posthumous = Counter(), Counter()
    for dossier in dossiers:
        proposed[dossier.title] += 1
        posthumous[dossier.title] += dossier.posthumous
    return [
        d.TitleCount(TITLE_NAME[t], proposed[t], posthumous[t])
        for t in (Title.PEOPLES, Title.EXCELLENT)
        if proposed[t]
    ]


# Data objects -----------------------------------------------------------------------------------------


def declaration_data(dossier: Dossier, *, by) -> d.DeclarationData:
    """The declaration's data; it holds the CCCD and ethnicity, read (and logged) as `by`'s read."""
    artisan = dossier.artisan
    sensitive = artisan_sensitive_read(dossier=dossier, by=by, purpose="declaration")
    address = ", ".join(
        p for p in (artisan.address_detail, str(artisan.commune or ""), str(artisan.province)) if p
    )
    return d.DeclarationData(
        title_key=dossier.title,
        title=TITLE_NAME[dossier.title],
        place=place_of(dossier.province),
        full_name=artisan.full_name,
        gender=GENDER.get(artisan.gender, artisan.gender),
        date_of_birth=artisan.date_of_birth,
        ethnicity=sensitive.ethnicity,
        cccd=sensitive.cccd,
        address=address,
        craft=artisan.craft.name,
        posthumous=dossier.posthumous,
        date_of_death=artisan.date_of_death,
        years_in_craft=_years_text(dossier),
        periods=[d.PeriodRow(p.start, p.end, p.place) for p in dossier.craft_periods.all()],
        works=[
            d.WorkRow(w.name, w.completed_on, w.made_after_title, w.description) for w in dossier.works.all()
        ],
        awards=_awards(dossier),
        trainees=[
            d.TraineeRow(t.count, t.start, t.end, t.description) for t in dossier.trainee_records.all()
        ],
        trainees_total=sum(t.count for t in dossier.trainee_records.all()),
        prior_titles=_prior_titles(dossier),
        round_number=dossier.round.number,
    )


def summary_data(dossier: Dossier) -> d.SummaryData:
    return d.SummaryData(
        title_key=dossier.title,
        title=TITLE_NAME[dossier.title],
        person=person_of(dossier),
        years_in_craft=_years_text(dossier),
        works_count=len(dossier.works.all()),
        awards=_awards(dossier),
        trainees_total=sum(t.count for t in dossier.trainee_records.all()),
        prior_titles=_prior_titles(dossier),
        round_number=dossier.round.number,
    )


def supplement_letter_data(dossier: Dossier, *, reason: str) -> d.SupplementLetterData:
    rules = rules_for_round(dossier.round)
    report = check_completeness(facts_from_dossier(dossier), rules)
    agency = dossier.receiving_agency
    returned = dossier.returned_on or timezone.localdate()
    return d.SupplementLetterData(
        head=d.Head(issuer=agency_issuer(agency), issued_on=returned),
        closing=d.Closing(_head_signature(), ["Như trên"], agency.short_name or "SCT"),
        about="V/v bổ sung hồ sơ đề nghị xét tặng danh hiệu",
        addressee=dossier.artisan.full_name,
        title=TITLE_PHRASE[dossier.title],
        received_on=dossier.received_on,
        returned_on=returned,
        missing=[item.label_vi for item in report.missing],
        reason=reason,
        days=rules.value("intake.supplement_days"),
        due=supplement_due(returned_on=returned, rules=rules),
    )


def _latest_tallies(dossiers: list[Dossier], level: str) -> dict[int, Tally]:
    tallies = (
        Tally.objects.filter(dossier__in=dossiers, session__council__level=level)
        .select_related("session__council")
        .order_by("computed_at", "pk")
    )
    return {t.dossier_id: t for t in tallies}


def _council_of(tallies: Iterable[Tally], level: str, round_id: int, province=None) -> Council | None:
    """The council that voted (from its tallies), else the round's council of that level and province;
    loaded with its members for the signatures."""
    council_id = next((t.session.council_id for t in tallies), None)
    councils = Council.objects.select_related("province", "round").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("user"))
    )
    if council_id is not None:
        return councils.get(pk=council_id)
    councils = councils.filter(level=level, round_id=round_id, dissolved_on__isnull=True)
    if province is not None:
        councils = councils.filter(province=province)
    return councils.order_by("-pk").first()


# Hooks called by the services ------------------------------------------------------------------------


def documents_after_transition(dossier: Dossier, name: str, *, by, reason: str) -> list[GeneratedDocument]:
    """Per-dossier documents of a step, requested inside the step's transaction."""
    requested = []
    if name == "submit":
        full = (
            dossiers_for_facts(Dossier.objects.filter(pk=dossier.pk))
            .select_related("round", "province")
            .get()
        )
        requested.append(declaration_request(full, by=by))
    elif name == "return_for_supplement":
        full = (
            dossiers_for_facts(Dossier.objects.filter(pk=dossier.pk))
            .select_related("round", "receiving_agency__province")
            .get()
        )
        requested.append(
            document_request(
                kind=Kind.SUPPLEMENT_LETTER,
                data=supplement_letter_data(full, reason=reason),
                title=f"Công văn bổ sung hồ sơ: {full.artisan.full_name}",
                by=by,
                dossier=full,
                province=full.province,
            )
        )
    elif name == "forward_to_ministry":
        full = (
            dossiers_for_facts(Dossier.objects.filter(pk=dossier.pk))
            .select_related("round", "province")
            .get()
        )
        requested.append(
            document_request(
                kind=SUMMARY_KIND[full.title],
                data=summary_data(full),
                title=f"Tóm tắt thành tích: {full.artisan.full_name}",
                by=by,
                dossier=full,
                province=full.province,
            )
        )
    return requested


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


BATCH_DOCUMENTS = {
    "forward_to_ministry": "provincial",
    "send_to_state_council": "ministerial",
    "propose_to_prime_minister": "state",
}


def documents_after_batch(name: str, dossier_ids: list[int], *, by) -> list[GeneratedDocument]:
    """Documents of a step taken for many dossiers at once (or for one): one submission with its list,
    one notice, one record, covering all of them."""
    if not dossier_ids:
        return []
    dossiers = list(
        Dossier.objects.filter(pk__in=dossier_ids)
        .select_related("artisan__craft", "province", "round", "receiving_agency__province")
        .order_by("title", "artisan__full_name", "pk")
    )
    if name in BATCH_DOCUMENTS:
        return submission_requests(dossiers, BATCH_DOCUMENTS[name], by=by)
    if name == "post_provincial_result":
        requested = []
        for province_id in sorted({x.province_id for x in dossiers}):
            notice = result_notice_request([x for x in dossiers if x.province_id == province_id], by=by)
            requested += [notice] if notice else []
        return requested
    if name == "post_on_government_portal":
        return [posting_notice_request(dossiers, by=by)]
    if name == "record_conferral":
        return [decision_record_request(dossiers, by=by)]
    return []


def submission_requests(dossiers: list[Dossier], level: str, *, by) -> list[GeneratedDocument]:
    """Form 03 (the submission upward) and Form 04 (its list), per council that voted on them."""
    tallies = _latest_tallies(dossiers, level)
    groups: dict[int | None, list[Dossier]] = {}
    for dossier in dossiers:
        tally = tallies.get(dossier.pk)
        groups.setdefault(tally.session.council_id if tally else None, []).append(dossier)
    requested = []
    for group in groups.values():
        province = group[0].province if level == "provincial" else None
        voted = [tallies[x.pk] for x in group if x.pk in tallies]
        council = _council_of(voted, level, group[0].round_id, province)
        if council is None:  # no council of that level in the round: nobody to issue the submission
            continue
        rows = [_vote_row(x, tallies.get(x.pk)) for x in group]
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
                bases=[DECREE_BASIS, *_plan_basis(council)],
                dossiers_considered=considered,
                counts=_title_counts(group),
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
            ),
            title=f"Danh sách đề nghị kèm Tờ trình số {submission.number_text}",
            **common,
        )
        requested += [submission, listing]
    return requested


def _plan_basis(council: Council) -> list[str]:
    round_ = council.round
    return [f"Căn cứ Kế hoạch số {round_.plan_decision_number} ngày {round_.plan_decision_date:%d/%m/%Y}"]


def result_notice_request(dossiers: list[Dossier], *, by) -> GeneratedDocument | None:
    tallies = _latest_tallies(dossiers, "provincial")
    province = dossiers[0].province
    council = _council_of(tallies.values(), "provincial", dossiers[0].round_id, province)
    if council is None:
        return None
    rules = rules_for_round(dossiers[0].round)
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
            rows=[_vote_row(x, tallies.get(x.pk)) for x in dossiers],
            posting_days=rules.value("posting.provincial_days"),
        ),
        title=f"Thông báo kết quả xét chọn của {council.name}",
        by=by,
        dossiers=dossiers,
        province=province,
        council_ref=council.pk,
    )


def posting_notice_request(dossiers: list[Dossier], *, by) -> GeneratedDocument:
    ministry = _ministry()
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
            counts=_title_counts(dossiers),
            people=[person_of(x) for x in dossiers],
        ),
        title=f"Công văn đăng công khai trên {GOV_PORTAL}, lần thứ {dossiers[0].round.number}",
        by=by,
        dossiers=dossiers,
    )


def decision_record_request(dossiers: list[Dossier], *, by) -> GeneratedDocument:
    ministry = _ministry()
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


def _session_full(session: Session) -> Session:
    return (
        Session.objects.select_related("council__round", "council__province")
        .prefetch_related(
            Prefetch("council__memberships", queryset=Membership.objects.select_related("user")),
            Prefetch("present", queryset=Membership.objects.select_related("user")),
            Prefetch(
                "agenda", queryset=Dossier.objects.select_related("artisan__craft", "province").order_by("pk")
            ),
        )
        .get(pk=session.pk)
    )


def ballot_paper_requests(session: Session, *, by) -> list[GeneratedDocument]:
    """Forms 07/08 when the ballot opens: one blank paper per title on the agenda (for paper voting)."""
    session = _session_full(session)
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


def _clock(moment) -> str:
    local = timezone.localtime(moment) if moment else None
    return f"{local:%H} giờ {local:%M}" if local else "…… giờ ……"


def session_minutes_requests(session: Session, tallies: list[Tally], *, by) -> list[GeneratedDocument]:
    """Forms 05 and 06 when the ballot closes, from the tallies just written."""
    session = _session_full(session)
    council = session.council
    rules = rules_for_round(council.round)
    dossiers = {x.pk: x for x in session.agenda.all()}
    rows = [_vote_row(dossiers[t.dossier_id], t) for t in tallies]
    voting = [m for m in council.memberships.all() if m.votes]
    present = [m for m in session.present.all() if m.votes]
    chair = _member(council, Membership.Role.CHAIR)
    secretary = _member(council, Membership.Role.SECRETARY)
    head = d.Head(issuer=council_issuer(council), issued_on=session.held_on)
    chair_sign = d.Signature("", "", "Chủ tịch Hội đồng", _name(chair))
    secretary_sign = d.Signature("", "", "Thư ký", _name(secretary))
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
            opened_at=_clock(session.opened_at),
            closed_at=_clock(session.closed_at),
            chair=_name(chair),
            secretary=_name(secretary),
            members_on_list=len(voting),
            present=[_name(m) for m in present],
            absent=[_name(m) for m in voting if m not in present],
            quorum=quorum,
            rows=rows,
            chair_signature=chair_sign,
            secretary_signature=secretary_sign,
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
            counters=[_name(secretary)] if secretary else [],
            pass_rule=f"từ {ratio * 100:g}% số phiếu đồng ý trên {base}",
            rows=rows,
            chair_signature=chair_sign,
            secretary_signature=secretary_sign,
        ),
        title=f"Biên bản kiểm phiếu {council.name}, phiên {session.held_on:%d/%m/%Y}",
        **common,
    )
    return [minutes, count]


def council_decision_issue(*, council: Council, by) -> GeneratedDocument:
    """The establishing decision of a council, drafted for its issuing body: by a ministry clerk, or
    for a provincial council by the officers of its province."""
    from django.db import transaction
    from django.utils.translation import gettext as _

    from core.permissions import require

    roles = roles_of(by)
    allowed = Role.MINISTRY_CLERK in roles or (
        Role.PROVINCIAL_OFFICER in roles
        and council.province_id is not None
        and council.province_id == user_province_id(by)
    )
    require(
        Decision(
            allowed,
            _("Only a ministry clerk, or an officer of the council's province, drafts this decision."),
        )
    )
    with transaction.atomic():
        return council_decision_request(council, by=by)


def council_decision_request(council: Council, *, by) -> GeneratedDocument:
    """The decision establishing a council, with the number and date its issuing body gave it."""
    council = (
        Council.objects.select_related("province", "round", "secretariat")
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("user")))
        .get(pk=council.pk)
    )
    if council.level == Council.Level.PROVINCIAL:
        issuer_name, authority, symbol = (
            f"Ủy ban nhân dân {council.province.name}",
            f"Chủ tịch Ủy ban nhân dân {council.province.name}",
            "UBND",
        )
        signature = d.Signature("TM.", "Ủy ban nhân dân", "Chủ tịch", council.decision_signer)
    elif council.level == Council.Level.MINISTERIAL:
        issuer_name, authority, symbol = "Bộ Công Thương", "Bộ trưởng Bộ Công Thương", "BCT"
        signature = d.Signature("", "", "Bộ trưởng", council.decision_signer)
    else:
        issuer_name, authority, symbol = "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "TTg"
        signature = d.Signature("", "", "Thủ tướng", council.decision_signer)
    issuer = d.Issuer(issuer_name, "", symbol, place_of(council.province), register_key=f"external:{symbol}")
    members = [
        d.MemberRow(str(m.user), m.position, MEMBER_ROLE[m.role])
        for m in sorted(council.memberships.all(), key=lambda m: list(MEMBER_ROLE).index(m.role))
    ]
    secretariat = council.secretariat.name if council.secretariat_id else f"Tổ Thư ký {council.name}"
    return document_request(
        kind=Kind.COUNCIL_DECISION,
        data=d.CouncilDecisionData(
            head=d.Head(issuer=issuer, issued_on=council.decision_date, fixed_number=council.decision_number),
            closing=d.Closing(signature, ["Như Điều 4", "Bộ Công Thương"], symbol),
            authority=authority,
            bases=[DECREE_BASIS, *_plan_basis(council)],
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


# Who may see a document -----------------------------------------------------------------------------


def documents_visible_to(user) -> QuerySet[GeneratedDocument]:
    """The read scope of documents, one filter for lists and downloads alike:
    - ministry clerks: all; ministry leaders: all but the declarations (they hold identification data);
    - provincial officers: their province's documents, and the public notices (posting, decision);
    - council members and secretaries: their councils' documents, and the summaries of the dossiers on
      their agendas; never a declaration."""
    queryset = GeneratedDocument.objects.select_related("dossier__artisan", "replaced_by")
    roles = roles_of(user)
    if Role.MINISTRY_CLERK in roles:
        return queryset
    scope = Q(pk__in=[])
    if roles & MINISTRY_ROLES:
        scope |= Q(sensitive=False)
    province = user_province_id(user)
    if Role.PROVINCIAL_OFFICER in roles and province is not None:
        scope |= Q(province_id=province) | Q(kind__in=PUBLIC_KINDS)
    if roles & {Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY}:
        councils = Membership.objects.filter(user=user).values("council_id")
        scope |= Q(council_ref__in=councils, sensitive=False)
        scope |= Q(kind__in=SUMMARY_KIND.values(), dossier__in=dossiers_visible_to(user).values("pk"))
    return queryset.filter(scope)


def can_see_document(user, document: GeneratedDocument) -> Decision:
    if documents_visible_to(user).filter(pk=document.pk).exists():
        return allow()
    return deny("outside scope")


def can_manage_document(user, document: GeneratedDocument) -> Decision:
    """Retry a failed build or correct a declaration: the officers of the dossier's department, the
    ministry's clerks for national documents, a council's secretary for its council's documents."""
    from django.utils.translation import gettext as _

    roles = roles_of(user)
    if document.dossier_id is not None and can_edit_dossier(user, document.dossier):
        return allow()
    if Role.MINISTRY_CLERK in roles:
        return allow()
    if (
        document.council_ref is not None
        and Role.COUNCIL_SECRETARY in roles
        and Membership.objects.filter(
            council_id=document.council_ref, user=user, role=Membership.Role.SECRETARY
        ).exists()
    ):
        return allow()
    if (
        Role.PROVINCIAL_OFFICER in roles
        and document.province_id
        and document.province_id == user_province_id(user)
    ):
        return allow()
    return deny(_("You may not retry or correct this document."))


def document_retry_by(*, document: GeneratedDocument, by) -> GeneratedDocument:
    from core.permissions import require

    require(can_manage_document(by, document))
    return document_retry(document=document, by=by)


def declaration_correct(*, document: GeneratedDocument, by, reason: str) -> GeneratedDocument:
    """Rebuild a declaration from the dossier as it is now, as a correction of `document`."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from core.permissions import require

    require(can_manage_document(by, document))
    if document.kind not in DECLARATION_KIND.values() or document.dossier_id is None:
        raise ValidationError(_("Only a declaration can be rebuilt from the dossier."), code="kind")
    dossier = (
        dossiers_for_facts(Dossier.objects.filter(pk=document.dossier_id))
        .select_related("round", "province")
        .get()
    )
    return declaration_request(dossier, by=by, replaces=document, reason=reason)
