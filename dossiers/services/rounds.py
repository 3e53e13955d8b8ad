"""Setting up a round: its plan, its milestones and the rulebook version it is judged by.

Every write checks permission (`dossiers.round_permissions`), validates everything before writing, runs
in one transaction under the round's row lock and writes an action record (`core.services.action_record`)
whose summary is in Vietnamese, the language of the administration's records. A round's rulebook version
is changed only while the round has no dossier: the first dossier fixes the rules it is judged by.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.permissions import require
from core.services import action_record
from core.text import to_nfc

from ..models import Dossier, Round, RoundMilestone, RulebookVersion
from ..round_permissions import can_manage_rounds
from ..rulebook.selectors import rulebook_latest

LEVEL_ORDER = [level.value for level in RoundMilestone.Level]


@dataclass(frozen=True)
class Milestone:
    level: str
    description: str
    due_on: date


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(value) -> str:
    return to_nfc(value or "")


def _clean_milestones(raw: Iterable[Sequence], errors: dict[str, list[str]]) -> list[Milestone]:
    """(level, description, due_on) triples, checked: known level, a description, a date, every level
    present, no repeated description within a level, and the levels in order of their dates."""
    milestones: list[Milestone] = []
    problems: list[str] = []
    for position, item in enumerate(raw, start=1):
        try:
            level, description, due_on = item
        except (TypeError, ValueError):
            problems.append(_("Milestone %(n)s is incomplete.") % {"n": position})
            continue
        description = _text(description)
        if level not in LEVEL_ORDER:
            problems.append(_("Milestone %(n)s has an unknown level.") % {"n": position})
            continue
        label = str(RoundMilestone.Level(level).label)
        if not description:
            problems.append(_("Say what must be done by the milestone of %(level)s.") % {"level": label})
        elif len(description) > _max_length(RoundMilestone, "description"):
            problems.append(_("The description of a milestone of %(level)s is too long.") % {"level": label})
        if not isinstance(due_on, date):
            problems.append(_("Give a valid date for the milestone of %(level)s.") % {"level": label})
            continue
        milestones.append(Milestone(level, description, due_on))
    seen = set()
    for m in milestones:
        if (m.level, m.description) in seen:
            problems.append(
                _("Two milestones of %(level)s say the same thing.")
                % {"level": RoundMilestone.Level(m.level).label}
            )
        seen.add((m.level, m.description))
    present = {m.level for m in milestones}
    missing = [str(RoundMilestone.Level(level).label) for level in LEVEL_ORDER if level not in present]
    if missing and not problems:
        problems.append(
            _("The plan needs a milestone for every level; missing: %(levels)s.")
            % {"levels": ", ".join(missing)}
        )
    if not problems:
        # applicants ≤ provincial ≤ ministerial ≤ State: no milestone before one of a lower level
        latest_below: Milestone | None = None
        for level in LEVEL_ORDER:
            of_level = [m for m in milestones if m.level == level]
            first = min(of_level, key=lambda m: m.due_on)
            if latest_below is not None and first.due_on < latest_below.due_on:
                problems.append(
                    _(
                        "The milestones must follow the levels in order: %(later)s (%(later_date)s) comes "
                        "before %(earlier)s (%(earlier_date)s)."
                    )
                    % {
                        "later": RoundMilestone.Level(level).label,
                        "later_date": f"{first.due_on:%d/%m/%Y}",
                        "earlier": RoundMilestone.Level(latest_below.level).label,
                        "earlier_date": f"{latest_below.due_on:%d/%m/%Y}",
                    }
                )
                break
            last = max(of_level, key=lambda m: m.due_on)
            if latest_below is None or last.due_on > latest_below.due_on:
                latest_below = last
    if problems:
        errors.setdefault("milestones", []).extend(problems)
    return milestones


def _clean_plan(
    *, name: str, plan_decision_number: str, plan_decision_date, milestones: list[Milestone], errors
) -> tuple[str, str]:
    name = _text(name)
    number_text = _text(plan_decision_number)
    if not name:
        errors.setdefault("name", []).append(_("Give the round's name."))
    elif len(name) > _max_length(Round, "name"):
        errors.setdefault("name", []).append(_("The name is too long."))
    if not number_text:
        errors.setdefault("plan_decision_number", []).append(_("Give the number of the plan decision."))
    elif len(number_text) > _max_length(Round, "plan_decision_number"):
        errors.setdefault("plan_decision_number", []).append(_("The decision number is too long."))
    if not isinstance(plan_decision_date, date):
        errors.setdefault("plan_decision_date", []).append(_("Give a valid date of the plan decision."))
    elif milestones:
        first = min(m.due_on for m in milestones)
        if plan_decision_date > first:
            errors.setdefault("plan_decision_date", []).append(
                _("The plan decision cannot be dated after the first milestone (%(date)s).")
                % {"date": f"{first:%d/%m/%Y}"}
            )
    return name, number_text


def _milestones_data(milestones) -> list[dict]:
    return [
        {"level": m.level, "description": m.description, "due_on": m.due_on.isoformat()} for m in milestones
    ]


def _plan_data(round: Round) -> dict:
    return {
        "name": round.name,
        "plan_decision_number": round.plan_decision_number,
        "plan_decision_date": round.plan_decision_date.isoformat(),
        "milestones": _milestones_data(round.milestones.order_by("due_on", "level", "description")),
    }


def _write_milestones(round: Round, milestones: list[Milestone]) -> None:
    RoundMilestone.objects.bulk_create(
        RoundMilestone(round=round, level=m.level, description=m.description, due_on=m.due_on)
        for m in milestones
    )


@transaction.atomic
def round_create(
    *,
    number: int,
    name: str,
    plan_decision_number: str,
    plan_decision_date: date,
    milestones: Iterable[Sequence],
    by,
    rulebook: RulebookVersion | None = None,
) -> Round:
    """A new round with its plan and milestones, pinned to `rulebook` (default: the newest version)."""
    require(can_manage_rounds(by))
    errors: dict[str, list[str]] = {}
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        errors["number"] = [_("The round number is a whole number from 1.")]
    elif Round.objects.filter(number=number).exists():
        errors["number"] = [_("Round %(number)s already exists.") % {"number": number}]
    cleaned = _clean_milestones(milestones, errors)
    name, number_text = _clean_plan(
        name=name,
        plan_decision_number=plan_decision_number,
        plan_decision_date=plan_decision_date,
        milestones=cleaned,
        errors=errors,
    )
    rulebook = rulebook or rulebook_latest()
    if rulebook is None:
        errors.setdefault("rulebook", []).append(_("There is no rulebook version to judge the round by."))
    if errors:
        raise ValidationError(errors)
    round = Round.objects.create(
        number=number,
        name=name,
        plan_decision_number=number_text,
        plan_decision_date=plan_decision_date,
        rulebook=rulebook,
    )
    _write_milestones(round, cleaned)
    with translation.override("vi"):
        summary = _("Round %(number)s created, judged by %(rulebook)s.") % {
            "number": number,
            "rulebook": rulebook,
        }
    action_record(
        action="round.create",
        obj=round,
        summary=summary,
        by=by,
        data={**_plan_data(round), "number": number, "rulebook": str(rulebook), "rulebook_id": rulebook.pk},
    )
    return round


@transaction.atomic
def round_update(
    *,
    round: Round,
    name: str,
    plan_decision_number: str,
    plan_decision_date: date,
    milestones: Iterable[Sequence],
    by,
    reason: str = "",
) -> Round:
    """Change the round's name, plan decision and milestones (the milestones are replaced as a whole).
    The history keeps what they were before and after."""
    require(can_manage_rounds(by))
    locked = Round.objects.select_for_update().get(pk=round.pk)
    errors: dict[str, list[str]] = {}
    cleaned = _clean_milestones(milestones, errors)
    name, number_text = _clean_plan(
        name=name,
        plan_decision_number=plan_decision_number,
        plan_decision_date=plan_decision_date,
        milestones=cleaned,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    before = _plan_data(locked)
    locked.name, locked.plan_decision_number, locked.plan_decision_date = (
        name,
        number_text,
        plan_decision_date,
    )
    locked.save(update_fields=["name", "plan_decision_number", "plan_decision_date"])
    locked.milestones.all().delete()
    _write_milestones(locked, cleaned)
    after = _plan_data(locked)
    if after == before:
        return locked
    with translation.override("vi"):
        summary = _("The plan of round %(number)s changed.") % {"number": locked.number}
    action_record(
        action="round.update",
        obj=locked,
        summary=summary,
        by=by,
        reason=reason,
        data={"before": before, "after": after},
    )
    round.refresh_from_db()
    return locked


def round_has_dossiers(round: Round) -> bool:
    return Dossier.objects.filter(round_id=round.pk).exists()


@transaction.atomic
def round_rulebook_change(*, round: Round, rulebook: RulebookVersion, reason: str, by) -> Round:
    """Pin the round to another rulebook version, with a reason; refused once the round has a dossier.

    The round's row is locked first: on PostgreSQL a dossier being inserted for the round holds a key
    share lock on it, so the change waits for that insert and then sees the dossier."""
    require(can_manage_rounds(by))
    locked = Round.objects.select_for_update().select_related("rulebook").get(pk=round.pk)
    errors: dict[str, list[str]] = {}
    if round_has_dossiers(locked):
        errors["rulebook"] = [
            _("The round has received dossiers; its rulebook version can no longer be changed.")
        ]
    elif rulebook is None or not isinstance(rulebook, RulebookVersion):
        errors["rulebook"] = [_("Choose a rulebook version.")]
    elif rulebook.pk == locked.rulebook_id:
        errors["rulebook"] = [_("The round is already judged by this version.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for changing the rulebook version.")]
    if errors:
        raise ValidationError(errors)
    previous = locked.rulebook
    locked.rulebook = rulebook
    locked.save(update_fields=["rulebook"])
    with translation.override("vi"):
        summary = _("Round %(number)s is now judged by %(new)s instead of %(old)s.") % {
            "number": locked.number,
            "new": rulebook,
            "old": previous,
        }
    action_record(
        action="round.rulebook_change",
        obj=locked,
        summary=summary,
        by=by,
        reason=reason,
        data={"from": str(previous), "from_id": previous.pk, "to": str(rulebook), "to_id": rulebook.pk},
    )
    round.rulebook = rulebook
    return locked
