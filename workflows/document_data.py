"""Selectors that build each document's data object from the database (documents' builders never query):
issuers and signatures, people and figures, the data of each form. They read dossiers, councils, the
rulebook and accounts, and write nothing (the declaration's sensitive read is logged as a read).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Agency
from councils.models import Council, Membership, Session, Tally
from documents import data as d
from documents.forms import TITLE_PHRASE
from documents.wording import (
    AWARD_LEVEL,
    AWARD_SCOPE,
    COUNCIL_SHORT_NAME,
    COUNCIL_SYMBOL,
    GENDER,
    TITLE_NAME,
    instrument_basis,
)
from dossiers.completeness import check_completeness, supplement_due
from dossiers.eligibility import craft_span
from dossiers.facts import facts_from_dossier
from dossiers.models import Dossier, Title
from dossiers.rulebook.selectors import rules_for_round
from dossiers.sensitive import artisan_sensitive_read


def members_in_order():
    """Members as the minutes and decisions list them: in Vietnamese order of their names (given name
    first)."""
    return Membership.objects.current().select_related("user").order_by("user__sort_key", "pk")


def place_of(province) -> str:
    """ "Hà Nội" for "Thành phố Hà Nội"; the place in a date line is the unit's name without its type."""
    if province is None:
        return "Hà Nội"
    return province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")


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
    """A council that uses its agency's seal keeps its own number series (Decree 30/2020 Appendix I); its
    header shows the short form of its name when the full name is too long for it (the full name, often
    five lines in capitals, is in the body): the one recorded with the council, else its level's."""
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
        short_name=council.short_name or COUNCIL_SHORT_NAME[council.level],
    )


def member_of(council: Council, role: str) -> Membership | None:
    return next((m for m in council.memberships.all() if m.role == role), None)


def name_of(membership: Membership | None) -> str:
    return str(membership.user) if membership else ""


def chair_signature(council: Council) -> d.Signature:
    chair = member_of(council, Membership.Role.CHAIR)
    return d.Signature("TM.", "Hội đồng", "Chủ tịch", name_of(chair), note=chair.position if chair else "")


def head_signature() -> d.Signature:
    """The head of a department or the Ministry signs by hand; the name is written when signing."""
    return d.Signature("KT.", "Giám đốc", "Phó Giám đốc", "")


def ministry_agency() -> Agency:
    agency = Agency.objects.filter(kind=Agency.Kind.MINISTRY_UNIT, is_active=True).order_by("pk").first()
    if agency is None:
        raise Agency.DoesNotExist("no Ministry unit is registered (accounts.Agency of kind ministry_unit)")
    return agency


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
        code=dossier.code,
    )


def years_text(dossier: Dossier) -> str:
    years, months = craft_span(dossier.craft_periods.all(), rules_for_round(dossier.round))
    return f"{years} năm {months} tháng"


def award_rows(dossier: Dossier) -> list[d.AwardRow]:
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


def prior_title_rows(dossier: Dossier) -> list[d.PriorTitleRow]:
    return [
        d.PriorTitleRow(TITLE_NAME.get(t.title, t.title), t.decision_number, t.decision_date)
        for t in dossier.artisan.prior_titles.all()
    ]


def vote_row(dossier: Dossier, tally: Tally | None) -> d.VoteRow:
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


def title_counts(dossiers: Iterable[Dossier]) -> list[d.TitleCount]:
    proposed, posthumous = Counter(), Counter()
    for dossier in dossiers:
        proposed[dossier.title] += 1
        posthumous[dossier.title] += dossier.posthumous
    return [
        d.TitleCount(TITLE_NAME[t], proposed[t], posthumous[t])
        for t in (Title.PEOPLES, Title.EXCELLENT)
        if proposed[t]
    ]


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
        years_in_craft=years_text(dossier),
        periods=[d.PeriodRow(p.start, p.end, p.place) for p in dossier.craft_periods.all()],
        works=[
            d.WorkRow(w.name, w.completed_on, w.made_after_title, w.description) for w in dossier.works.all()
        ],
        awards=award_rows(dossier),
        trainees=[
            d.TraineeRow(t.count, t.start, t.end, t.description) for t in dossier.trainee_records.all()
        ],
        trainees_total=sum(t.count for t in dossier.trainee_records.all()),
        prior_titles=prior_title_rows(dossier),
        round_number=dossier.round.number,
    )


def summary_data(dossier: Dossier) -> d.SummaryData:
    return d.SummaryData(
        title_key=dossier.title,
        title=TITLE_NAME[dossier.title],
        person=person_of(dossier),
        years_in_craft=years_text(dossier),
        works_count=len(dossier.works.all()),
        awards=award_rows(dossier),
        trainees_total=sum(t.count for t in dossier.trainee_records.all()),
        prior_titles=prior_title_rows(dossier),
        round_number=dossier.round.number,
    )


def supplement_letter_data(dossier: Dossier, *, reason: str) -> d.SupplementLetterData:
    rules = rules_for_round(dossier.round)
    report = check_completeness(facts_from_dossier(dossier), rules)
    agency = dossier.receiving_agency
    returned = dossier.returned_on or timezone.localdate()
    return d.SupplementLetterData(
        head=d.Head(issuer=agency_issuer(agency), issued_on=returned),
        closing=d.Closing(head_signature(), ["Như trên"], agency.short_name or "SCT"),
        about="V/v bổ sung hồ sơ đề nghị xét tặng danh hiệu",
        addressee=dossier.artisan.full_name,
        addressee_gender=dossier.artisan.gender,
        dossier_code=dossier.code,
        title=TITLE_PHRASE[dossier.title],
        received_on=dossier.received_on,
        returned_on=returned,
        missing=[item.label_vi for item in report.missing],
        reason=reason,
        days=rules.value("intake.supplement_days"),
        due=supplement_due(returned_on=returned, rules=rules),
    )


def latest_tallies(dossiers: list[Dossier], level: str) -> dict[int, Tally]:
    tallies = (
        Tally.objects.filter(dossier__in=dossiers, session__council__level=level)
        .select_related("session__council")
        .order_by("computed_at", "pk")
    )
    return {t.dossier_id: t for t in tallies}


def council_of(tallies: Iterable[Tally], level: str, round_id: int, province=None) -> Council | None:
    """The council that voted (from its tallies), else the round's council of that level and province;
    loaded with its members for the signatures."""
    council_id = next((t.session.council_id for t in tallies), None)
    councils = Council.objects.select_related("province", "round").prefetch_related(
        Prefetch("memberships", queryset=members_in_order())
    )
    if council_id is not None:
        return councils.get(pk=council_id)
    councils = councils.filter(level=level, round_id=round_id, dissolved_on__isnull=True)
    if province is not None:
        councils = councils.filter(province=province)
    return councils.order_by("-pk").first()


def session_full(session: Session) -> Session:
    return (
        Session.objects.select_related("council__round", "council__province")
        .prefetch_related(
            Prefetch("council__memberships", queryset=members_in_order()),
            Prefetch("present", queryset=members_in_order()),
            Prefetch(
                "agenda",
                queryset=Dossier.objects.select_related("artisan__craft", "province").order_by(
                    "artisan__sort_key", "pk"
                ),
            ),
        )
        .get(pk=session.pk)
    )


def plan_basis(council: Council) -> list[str]:
    """The round's plan as a legal basis, named by its kind: "Quyết định số 355/QĐ-BCT" (a round is set
    by a plan decision), "Kế hoạch số 224/KH-UBND" only when the number says it is a plan."""
    round_ = council.round
    return [instrument_basis(round_.plan_decision_number, round_.plan_decision_date)]


def clock_text(moment) -> str:
    local = timezone.localtime(moment) if moment else None
    return f"{local:%H} giờ {local:%M}" if local else "…… giờ ……"


def moment_text(moment) -> str:
    """ "09 giờ 05 ngày 15/07/2026", in Vietnam's time."""
    local = timezone.localtime(moment)
    return f"{local:%H} giờ {local:%M} ngày {local:%d/%m/%Y}"


def conflict_withdrawals(session: Session) -> list[d.ConflictWithdrawal]:
    """The requests to withdraw a declared conflict of interest made in the session, with the
    secretary's decision, oldest first (councils.conflicts)."""
    from councils.conflicts import session_withdrawals
    from councils.models import ConflictDeclaration

    rows = []
    for request, decision in session_withdrawals(session=session):
        accepted = decision is not None and decision.kind == ConflictDeclaration.Kind.WITHDRAWAL_ACCEPTED
        rows.append(
            d.ConflictWithdrawal(
                member=str(request.membership.user),
                full_name=request.dossier.artisan.full_name,
                reason=request.reason,
                asked_at=moment_text(request.declared_at),
                outcome="pending" if decision is None else "accepted" if accepted else "refused",
                decided_by=str(decision.recorded_by) if decision else "",
                decided_at=moment_text(decision.declared_at) if decision else "",
                note=decision.reason if decision else "",
            )
        )
    return rows


def judgement_requests(dossiers: Iterable[Dossier]) -> list[d.JudgementRequest]:
    """The dossiers whose department asked the council to judge them although they fail a checkable
    criterion, with the reason it gave, in the agenda's order (workflows.services.judgement)."""
    return [
        d.JudgementRequest(full_name=x.artisan.full_name, reason=x.council_judgement_note.strip())
        for x in dossiers
        if x.council_judgement_note.strip()
    ]
