"""The registry of conferred titles: what the President's decision leaves on the artisan.

`conferral_record` is called by the step `record_conferral` inside its transaction (the dossier row is
locked, the step's permission and state already checked), so the registry row, the title as held, the
state change and the audit entry are kept together or not at all. `conferral_undo` is its reverse, for a
clerk's `revert` of that step. `conferral_import` enters a title conferred before this system (an earlier
round, no dossier here).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AdministrativeUnit
from accounts.roles import Role, roles_of
from accounts.selectors import successor_of
from core.permissions import Decision, allow, deny, require
from core.text import to_nfc

from ..models import Artisan, Conferral, Craft, Dossier, DossierState, PriorTitle, Title
from ..models.conferral import new_public_id


def conferral_record(dossier: Dossier, *, by, from_state: str = "") -> Conferral:
    """The registry row of a dossier that the President's decision has just conferred (its
    `decision_number` and `decision_date` set). The same dossier recorded again finds its row and adds
    nothing; a row entered earlier by hand for the same decision is linked to the dossier; the artisan
    holding the title by another decision is refused."""
    existing = (
        Conferral.objects.select_for_update()
        .filter(artisan_id=dossier.artisan_id, title=dossier.title)
        .first()
    )
    if existing is not None:
        if existing.source_dossier_id == dossier.pk:
            return existing
        if existing.source_dossier_id is None and existing.decision_number == dossier.decision_number:
            existing.source_dossier = dossier
            existing.save(update_fields=["source_dossier"])
            return existing
        raise ValidationError(
            _("The artisan already holds this title, by decision %(number)s of %(date)s.")
            % {"number": existing.decision_number, "date": f"{existing.decision_date:%d/%m/%Y}"},
            code="already_conferred",
        )
    return _create(
        artisan=dossier.artisan,
        title=dossier.title,
        round_number=dossier.round.number,
        decision_number=dossier.decision_number,
        decision_date=dossier.decision_date,
        province=dossier.province,
        craft_id=dossier.artisan.craft_id,
        posthumous=dossier.posthumous,
        source_dossier=dossier,
        by=by,
    )


def conferral_undo(dossier: Dossier, *, by, from_state: str = "") -> int:
    """After a step that took the dossier out of `conferred` (a clerk's `revert`): its registry row and
    the title it gave the artisan go. Returns the number of registry rows removed (0 or 1)."""
    if from_state != DossierState.CONFERRED or dossier.state == DossierState.CONFERRED:
        return 0
    found = Conferral.objects.filter(source_dossier=dossier)
    count = found.count()
    found.delete()  # the title as held (PriorTitle.conferral) goes with it
    return count


def can_import_conferral(user) -> Decision:
    if roles_of(user) & {Role.MINISTRY_CLERK, Role.SYSTEM_ADMINISTRATOR}:
        return allow()
    return deny(_("Only the Ministry's clerks and the administrators enter earlier conferrals."))


@transaction.atomic
def conferral_import(
    *,
    by,
    artisan: Artisan | None = None,
    full_name: str = "",
    title: str,
    round_number: int,
    decision_number: str,
    decision_date: date,
    province: AdministrativeUnit,
    craft: Craft | None = None,
    posthumous: bool = False,
) -> Conferral:
    """Enter a title conferred in a round older than this system, so that the registry lists it and a
    nomination for People's Artisan counts it. `province` may be a province of the 2008-2025 map.

    Without `artisan` (the Ministry's list of an earlier round names the artisan but holds nothing to
    identify them: no CCCD, no birth date), the row is entered under `full_name` and `craft`, for the
    registry only: no title as held is recorded, since there is no artisan to hold it, and the same name,
    title and decision number entered again is refused."""
    require(can_import_conferral(by))
    errors: dict[str, list[str]] = {}
    name = to_nfc((artisan.full_name if artisan is not None else full_name) or "").strip()
    number = to_nfc(decision_number or "").strip()
    if artisan is None and not name:
        errors.setdefault("full_name", []).append(_("Give the artisan's full name."))
    if artisan is None and craft is None:
        errors.setdefault("craft", []).append(_("Give the craft."))
    if title not in Title.values:
        errors.setdefault("title", []).append(_("Unknown title."))
    if not number:
        errors.setdefault("decision_number", []).append(_("Give the decision number."))
    if not isinstance(round_number, int) or round_number < 1:
        errors.setdefault("round_number", []).append(_("Give the round's number, 1 or more."))
    if decision_date > timezone.localdate():
        errors.setdefault("decision_date", []).append(_("The decision date cannot be in the future."))
    if province.level != AdministrativeUnit.Level.PROVINCE:
        errors.setdefault("province", []).append(_("Choose a province."))
    if artisan is not None and Conferral.objects.filter(artisan=artisan, title=title).exists():
        errors.setdefault("title", []).append(_("The artisan already holds this title."))
    if (
        artisan is None
        and name
        and Conferral.objects.filter(title=title, decision_number=number, full_name=name).exists()
    ):
        errors.setdefault("full_name", []).append(
            _("%(name)s already holds this title by this decision in the registry.") % {"name": name}
        )
    if errors:
        raise ValidationError(errors)
    return _create(
        artisan=artisan,
        full_name=name,
        title=title,
        round_number=round_number,
        decision_number=number,
        decision_date=decision_date,
        province=province,
        craft_id=(craft.pk if craft is not None else artisan.craft_id),
        posthumous=posthumous,
        source_dossier=None,
        by=by,
    )


def _create(
    *,
    artisan,
    full_name="",
    title,
    round_number,
    decision_number,
    decision_date,
    province,
    craft_id,
    posthumous,
    source_dossier,
    by,
) -> Conferral:
    current = successor_of(province)
    if current is None:
        raise ValidationError(
            _("The province %(name)s has no successor in force today.") % {"name": province.name},
            code="province",
        )
    conferral = Conferral(
        artisan=artisan,
        public_id=_public_id_of(artisan),
        full_name=artisan.full_name if artisan is not None else full_name,
        title=title,
        round_number=round_number,
        year=decision_date.year,
        decision_number=decision_number,
        decision_date=decision_date,
        province=province,
        current_province=current,
        craft_id=craft_id,
        posthumous=posthumous,
        source_dossier=source_dossier,
        created_by=by if getattr(by, "pk", None) else None,
    )
    conferral.save()
    if artisan is None:  # entered from the Ministry's list: nobody here to hold the title
        return conferral
    # The title as held, for a later nomination's evidence and eligibility: a row the officer had
    # entered for this very decision is taken over, else one is added.
    held = PriorTitle.objects.filter(
        artisan=artisan,
        title=title,
        field=PriorTitle.Field.HANDICRAFT,
        decision_number=decision_number,
        conferral__isnull=True,
    ).first()
    if held is not None:
        held.conferral, held.decision_date = conferral, decision_date
        held.save(update_fields=["conferral", "decision_date"])
    else:
        PriorTitle.objects.create(
            artisan=artisan,
            title=title,
            field=PriorTitle.Field.HANDICRAFT,
            decision_number=decision_number,
            decision_date=decision_date,
            conferral=conferral,
        )
    return conferral


def _public_id_of(artisan: Artisan | None) -> str:
    """The artisan's page in the registry: the one their earlier conferral has, else a new one (always
    a new one without an artisan: two rows of a list are never guessed to be the same person)."""
    known = None
    if artisan is not None:
        known = Conferral.objects.filter(artisan=artisan).values_list("public_id", flat=True).first()
    if known:
        return known
    while True:
        candidate = new_public_id()
        if not Conferral.objects.filter(public_id=candidate).exists():
            return candidate
