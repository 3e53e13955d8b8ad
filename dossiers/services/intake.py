"""Receiving a nomination: the artisan, the dossier and its evidence. Every write checks permission,
validates everything before writing anything, and runs in one transaction, so bad input leaves nothing
half-saved. Errors are ValidationError with Vietnamese/English messages keyed by field."""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AdministrativeUnit, Agency
from core.permissions import require
from core.validators import check_cccd

from ..consent import CONSENT_TEXT_SHA256, CONSENT_VERSION
from ..eligibility.works import made_after_title
from ..models import (
    Artisan,
    Award,
    ConsentRecord,
    Craft,
    CraftPeriod,
    Dossier,
    PriorTitle,
    Round,
    Title,
    TraineeRecord,
    Work,
)
from ..permissions import can_create_dossier, can_edit_dossier
from ..rulebook.selectors import rules_for_round


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def artisan_create(
    *,
    by,
    full_name: str,
    gender: str,
    date_of_birth: date,
    ethnicity: str,
    cccd: str,
    province: AdministrativeUnit,
    commune: AdministrativeUnit,
    craft: Craft,
    address_detail: str = "",
    is_deceased: bool = False,
    date_of_death: date | None = None,
    consent_version: str | None = None,
    cccd_required: bool = True,
) -> tuple[Artisan, tuple[str, ...]]:
    """Create the artisan; returns it with the CCCD cross-check warnings to show the officer.

    ``consent_version`` is the version of dossiers.consent.CONSENT_TEXT the artisan consented to, as the
    officer confirms it: without it (or with an older version) nothing is saved (Law 91/2025)."""
    errors: dict[str, list[str]] = {}
    today = _today()
    if not consent_version:
        errors["consent"] = [
            _("Confirm that the artisan has consented to the processing of their personal data.")
        ]
    elif consent_version != CONSENT_VERSION:
        errors["consent"] = [
            _("The consent text has changed; show the artisan the current text and confirm again.")
        ]
    check = None
    if cccd_required or (cccd or "").strip():
        try:
            check = check_cccd(cccd, date_of_birth=date_of_birth, gender=gender, today=today)
        except ValidationError as exc:
            errors["cccd"] = exc.messages
    if date_of_birth > today:
        errors["date_of_birth"] = [_("The date of birth cannot be in the future.")]
    if province.level != AdministrativeUnit.Level.PROVINCE or province.valid_to is not None:
        errors["province"] = [_("Choose a province in force since 01/07/2025.")]
    if commune.parent_id != province.pk:
        errors["commune"] = [_("This commune is not in the chosen province.")]
    if date_of_death is not None:
        if not is_deceased:
            errors["date_of_death"] = [_("A date of death is given only for a deceased artisan.")]
        elif date_of_death < date_of_birth or date_of_death > today:
            errors["date_of_death"] = [_("The date of death must be between the date of birth and today.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            artisan = Artisan.objects.create(
                full_name=full_name,
                gender=gender,
                date_of_birth=date_of_birth,
                ethnicity=ethnicity,
                cccd=check.number if check else "",
                cccd_is_legacy=check.legacy_cmnd if check else False,
                province=province,
                commune=commune,
                craft=craft,
                address_detail=address_detail,
                is_deceased=is_deceased,
                date_of_death=date_of_death,
                created_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            {"cccd": [_("An artisan with this CCCD number is already registered.")]}
        ) from None
    ConsentRecord.objects.create(
        artisan=artisan, version=consent_version, text_sha256=CONSENT_TEXT_SHA256, recorded_by=by
    )
    return artisan, check.warnings if check else ()


@transaction.atomic
def dossier_create(
    *,
    by,
    round: Round,
    artisan: Artisan,
    title: str,
    receiving_agency: Agency,
    channel: str,
    received_on: date,
    posthumous: bool = False,
    special_branch_claimed: bool = False,
    filer_kind: str = "",
    filer_name: str = "",
    filer_relationship: str = "",
) -> Dossier:
    """Receive a dossier. A posthumous one is for an artisan who died before the dossier was received,
    and records who files it (a relative or an organisation, with the relationship); a death after the
    receipt is recorded during the procedure instead (the step `record_death`)."""
    require(can_create_dossier(by, receiving_agency))
    rules = rules_for_round(round)
    errors: dict[str, list[str]] = {}
    if title not in Title.values:
        errors["title"] = [_("Choose one of the two titles.")]
    if channel not in rules.value("intake.channels"):
        errors["channel"] = [_("This way of submitting is not accepted.")]
    if received_on > _today():
        errors["received_on"] = [_("The date received cannot be in the future.")]
    if posthumous != artisan.is_deceased:
        errors["posthumous"] = [_("A posthumous nomination is for a deceased artisan, and only for one.")]
    elif posthumous:
        died = artisan.date_of_death
        if died is None:
            errors["date_of_death"] = [_("Give the date of death: a posthumous nomination needs it.")]
        elif died >= received_on:
            errors["date_of_death"] = [
                _(
                    "A posthumous nomination is for an artisan who died before the dossier was received "
                    "(%(received)s); a death on or after that day is recorded during the procedure."
                )
                % {"received": f"{received_on:%d/%m/%Y}"}
            ]
        if filer_kind not in Dossier.Filer.values:
            errors["filer_kind"] = [
                _("Say who files for the deceased artisan: a relative or an organisation.")
            ]
        if not (filer_name or "").strip() or not (filer_relationship or "").strip():
            errors["filer_name"] = [_("Give the name of who files and their relationship to the artisan.")]
    if Dossier.objects.filter(round=round, artisan=artisan).exists():
        errors["artisan"] = [_("This artisan already has a dossier in this round.")]
    if errors:
        raise ValidationError(errors)
    return Dossier.objects.create(
        round=round,
        artisan=artisan,
        title=title,
        posthumous=posthumous,
        receiving_agency=receiving_agency,
        province_id=receiving_agency.province_id,
        channel=channel,
        received_on=received_on,
        special_branch_claimed=special_branch_claimed,
        filer_kind=filer_kind if posthumous else "",
        filer_name=filer_name if posthumous else "",
        filer_relationship=filer_relationship if posthumous else "",
        created_by=by,
    )


@dataclass(frozen=True)
class PeriodInput:
    start: date
    end: date
    place: str = ""


@dataclass(frozen=True)
class AwardInput:
    competition: str
    organiser: str
    level: str
    scope: str
    awarded_on: date
    organiser_is_competent: bool = False
    state_appointed: bool = False


@dataclass(frozen=True)
class WorkInput:
    name: str
    completed_on: date
    made_after_title: bool = False
    description: str = ""
    awards: tuple[AwardInput, ...] = ()


@dataclass(frozen=True)
class TraineeInput:
    count: int
    start: date
    end: date
    description: str = ""


@dataclass(frozen=True)
class PriorTitleInput:
    title: str
    field: str
    decision_number: str
    decision_date: date


@transaction.atomic
def dossier_update_evidence(
    *,
    dossier: Dossier,
    by,
    periods: list[PeriodInput],
    works: list[WorkInput],
    trainees: list[TraineeInput],
    prior_titles: list[PriorTitleInput] | None = None,
    other_awards: list[AwardInput] | None = None,
) -> Dossier:
    """Replace the dossier's evidence as a whole (the officer edits the declaration's tables), after
    validating every row; with a row lock, so two officers saving at once do not interleave."""
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("artisan", "round__rulebook")
        .get(pk=dossier.pk)
    )
    require(can_edit_dossier(by, dossier))
    errors = _evidence_errors(dossier, periods, works, trainees, prior_titles or [], other_awards or [])
    if errors:
        raise ValidationError(errors)

    CraftPeriod.objects.filter(dossier=dossier).delete()
    Award.objects.filter(dossier=dossier).delete()
    Work.objects.filter(dossier=dossier).delete()
    TraineeRecord.objects.filter(dossier=dossier).delete()
    CraftPeriod.objects.bulk_create([CraftPeriod(dossier=dossier, **p.__dict__) for p in periods])
    for w in works:
        work = Work.objects.create(
            dossier=dossier,
            name=w.name,
            completed_on=w.completed_on,
            made_after_title=w.made_after_title,
            description=w.description,
        )
        Award.objects.bulk_create([Award(dossier=dossier, work=work, **a.__dict__) for a in w.awards])
    Award.objects.bulk_create([Award(dossier=dossier, **a.__dict__) for a in other_awards or []])
    TraineeRecord.objects.bulk_create([TraineeRecord(dossier=dossier, **t.__dict__) for t in trainees])
    if prior_titles is not None:
        # the titles conferred through the registry (PriorTitle.conferral) are not the form's to replace
        PriorTitle.objects.filter(artisan=dossier.artisan, conferral__isnull=True).delete()
        PriorTitle.objects.bulk_create(
            [PriorTitle(artisan=dossier.artisan, **p.__dict__) for p in prior_titles]
        )
    dossier.save(update_fields=["updated_at"])
    return dossier


def _evidence_errors(dossier, periods, works, trainees, prior_titles, other_awards) -> dict[str, list[str]]:
    """Every error of the evidence, judged by the rules of the dossier's round."""
    today = _today()
    rules = rules_for_round(dossier.round)
    born = dossier.artisan.date_of_birth
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for i, p in enumerate(sorted(periods, key=lambda p: p.start), start=1):
        if p.end < p.start:
            add("periods", _("Period %(n)d ends before it starts.") % {"n": i})
        if p.end > today:
            add("periods", _("Period %(n)d ends in the future.") % {"n": i})
        if p.start < born:
            add("periods", _("Period %(n)d starts before the artisan was born.") % {"n": i})
    ordered = sorted(periods, key=lambda p: (p.start, p.end))
    for a, b in pairwise(ordered):
        if b.start <= a.end:
            add(
                "periods",
                _("The periods %(a)s and %(b)s overlap; time in the craft is counted once.")
                % {"a": f"{a.start:%d/%m/%Y}–{a.end:%d/%m/%Y}", "b": f"{b.start:%d/%m/%Y}–{b.end:%d/%m/%Y}"},
            )

    title_date = _excellent_title_date(dossier, prior_titles)
    for w in works:
        if w.completed_on > today:
            add("works", _("“%(name)s” is dated in the future.") % {"name": w.name})
        if w.made_after_title:
            if title_date is None:
                add(
                    "works",
                    _(
                        "“%(name)s” is declared as made after the Excellent Artisan award, "
                        "but no such award is recorded."
                    )
                    % {"name": w.name},
                )
            elif not made_after_title(w.completed_on, title_date, rules):
                add(
                    "works",
                    _(
                        "“%(name)s” is declared as made after the Excellent Artisan award "
                        "(%(award)s), but it is dated %(date)s."
                    )
                    % {
                        "name": w.name,
                        "award": f"{title_date:%d/%m/%Y}",
                        "date": f"{w.completed_on:%d/%m/%Y}",
                    },
                )
        for a in w.awards:
            if a.awarded_on < w.completed_on:
                add(
                    "works",
                    _("The award “%(award)s” is dated before “%(name)s” was completed.")
                    % {"award": a.competition, "name": w.name},
                )
    for a in [*other_awards, *(a for w in works for a in w.awards)]:
        if a.awarded_on > today:
            add("awards", _("The award “%(award)s” is dated in the future.") % {"award": a.competition})
        if a.level not in Award.Level.values or a.scope not in Award.Scope.values:
            add(
                "awards", _("The award “%(award)s” has an unknown prize or scope.") % {"award": a.competition}
            )
    for i, t in enumerate(trainees, start=1):
        if t.count <= 0:
            add("trainees", _("Row %(n)d: the number of trainees must be positive.") % {"n": i})
        if t.end < t.start or t.end > today:
            add("trainees", _("Row %(n)d: the period is impossible.") % {"n": i})
    for p in prior_titles:
        if p.decision_date > today or p.decision_date < born:
            add(
                "prior_titles",
                _("The decision date %(date)s is impossible.") % {"date": f"{p.decision_date:%d/%m/%Y}"},
            )
    return errors


def _excellent_title_date(dossier, prior_titles) -> date | None:
    """The earliest Excellent Artisan title in handicrafts: from the rows given (else those stored), and
    always the titles conferred through the registry, which the form does not carry."""
    held = PriorTitle.objects.filter(
        artisan=dossier.artisan, title=Title.EXCELLENT, field=PriorTitle.Field.HANDICRAFT
    )
    if prior_titles:
        held = held.filter(conferral__isnull=False)
    dates = list(held.values_list("decision_date", flat=True))
    dates += [
        p.decision_date
        for p in prior_titles
        if p.title == Title.EXCELLENT and p.field == PriorTitle.Field.HANDICRAFT
    ]
    return min(dates) if dates else None


@transaction.atomic
def dossier_receive(*, by, artisan: dict, dossier: dict) -> tuple[Dossier, tuple[str, ...]]:
    """Register a new artisan and receive their dossier in one step: both or neither; the dossier gets its
    code (Dossier.code, from its province and round counter, locked) in this transaction. The CCCD number
    of a deceased artisan is optional when the round's `intake.cccd_required_for_deceased` says so."""
    require(can_create_dossier(by, dossier["receiving_agency"]))
    rules = rules_for_round(dossier["round"])
    required = not artisan.get("is_deceased") or bool(rules.value("intake.cccd_required_for_deceased"))
    created, warnings = artisan_create(by=by, cccd_required=required, **artisan)
    return dossier_create(by=by, artisan=created, **dossier), warnings
