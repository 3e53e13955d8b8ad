"""Recording a council and the later decisions on its members, as their issuing bodies signed them.

A provincial council is established by the provincial People's Committee and recorded by an officer of
that province; the ministerial and State councils by a ministry clerk. Every decision is kept
(`CouncilDecision`); a member who leaves keeps their membership row, ended by the decision that ended it,
so that their ballots and attendance already recorded stay as they were. Only current memberships count.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.services import member_account_for
from core.permissions import require
from core.services import action_record
from core.text import to_nfc
from dossiers.rulebook.selectors import rules_for_round

from .models import Council, CouncilDecision, Membership
from .permissions import can_manage_council


@dataclass(frozen=True)
class MemberInput:
    """One person appointed by a decision. The full name and e-mail find or create their account."""

    full_name: str
    email: str
    position: str = ""
    agency_name: str = ""
    role: str = Membership.Role.MEMBER
    authorised_to_preside: bool = False


@dataclass(frozen=True)
class _Seat:
    """A member of the composition being checked: a current one kept, or one being added."""

    email: str
    role: str
    authorised_to_preside: bool


def _clean_member(m: MemberInput) -> MemberInput:
    return MemberInput(
        full_name=to_nfc(m.full_name or ""),
        email=(m.email or "").strip().lower(),
        position=to_nfc(m.position or ""),
        agency_name=to_nfc(m.agency_name or ""),
        role=m.role,
        authorised_to_preside=bool(m.authorised_to_preside),
    )


def _check_decision(errors: dict, *, number: str, when: date | None, signer: str, not_before: date | None):
    if not number:
        errors.setdefault("decision_number", []).append(_("Give the decision's number."))
    if when is None:
        errors.setdefault("decision_date", []).append(_("Give the decision's date."))
    elif when > timezone.localdate():
        errors.setdefault("decision_date", []).append(_("The decision's date cannot be in the future."))
    elif not_before is not None and when < not_before:
        errors.setdefault("decision_date", []).append(
            _("A later decision cannot be dated before the decision establishing the council.")
        )
    if not signer:
        errors.setdefault("decision_signer", []).append(_("Give who signed the decision."))


def _check_new_members(errors: dict, members: list[MemberInput]) -> None:
    for n, m in enumerate(members, start=1):
        row = []
        if not m.full_name:
            row.append(_("give the member's full name"))
        try:
            validate_email(m.email)
        except ValidationError:
            row.append(_("give a valid e-mail address"))
        if m.role not in Membership.Role.values:
            row.append(_("choose the member's role"))
        if row:
            errors.setdefault("members", []).append(
                _("Member %(n)d (%(name)s): %(problems)s.")
                % {"n": n, "name": m.full_name or "—", "problems": "; ".join(row)}
            )


def _check_composition(errors: dict, *, council_level: str, rules, seats: list[_Seat], size_reason: str):
    """The rules of a council's composition after a decision: one chair, a secretary, at most one
    vice-chair authorised to preside, each e-mail once, and the rulebook's size unless a reason is
    given."""
    problems = []
    chairs = sum(s.role == Membership.Role.CHAIR for s in seats)
    if chairs != 1:
        problems.append(_("A council has exactly one chair (here %(n)d).") % {"n": chairs})
    if not any(s.role == Membership.Role.SECRETARY for s in seats):
        problems.append(_("A council has at least one secretary, who keeps the minutes and does not vote."))
    presiding = [s for s in seats if s.authorised_to_preside]
    if any(s.role != Membership.Role.VICE_CHAIR for s in presiding):
        problems.append(_("Only a vice-chair can be authorised by the chair to preside."))
    elif len(presiding) > 1:
        problems.append(_("At most one vice-chair is authorised by the chair to preside."))
    seen, twice = set(), set()
    for s in seats:
        (twice if s.email in seen else seen).add(s.email)
    if twice:
        problems.append(
            _("Each member appears once: %(emails)s is given more than once.")
            % {"emails": ", ".join(sorted(twice))}
        )
    if problems:
        errors.setdefault("members", []).extend(problems)
    voting = sum(s.role in Membership.VOTING_ROLES for s in seats)
    low_key, high_key = f"council.{council_level}.min_members", f"council.{council_level}.max_members"
    if low_key in rules and high_key in rules:
        low, high = rules.value(low_key), rules.value(high_key)
        if not (low <= voting <= high) and not size_reason:
            errors.setdefault("size_reason", []).append(
                _(
                    "The council would have %(n)d voting members; the rules of the round ask for %(low)d to "
                    "%(high)d. Give the reason for this size, or change the members."
                )
                % {"n": voting, "low": low, "high": high}
            )


def _account_role(role: str) -> Role:
    return Role.COUNCIL_SECRETARY if role == Membership.Role.SECRETARY else Role.COUNCIL_MEMBER


def _appoint(council: Council, decision: CouncilDecision, members: list[MemberInput], by) -> list[dict]:
    added = []
    for m in members:
        user, created = member_account_for(
            full_name=m.full_name, email=m.email, role=_account_role(m.role), agency=None, by=by
        )
        Membership.objects.create(
            council=council,
            user=user,
            role=m.role,
            position=m.position,
            agency_name=m.agency_name,
            authorised_to_preside=m.authorised_to_preside,
            appointed_by=decision,
        )
        added.append(
            {
                "user_id": user.pk,
                "full_name": str(user),
                "email": m.email,
                "role": m.role,
                "new_account": created,
            }
        )
    return added


def _decision_data(decision: CouncilDecision) -> dict:
    return {
        "decision_id": decision.pk,
        "kind": decision.kind,
        "number": decision.number,
        "date": decision.date.isoformat(),
        "signer": decision.signer,
    }


@transaction.atomic
def council_record(
    *,
    round,
    level: str,
    province=None,
    name: str,
    decision_number: str,
    decision_date: date | None,
    decision_signer: str,
    members: list[MemberInput],
    by,
    size_reason: str = "",
    short_name: str = "",
) -> Council:
    """Record a council from its establishing decision, with its members (their accounts are found by
    e-mail or created). Everything is checked before anything is written."""
    if level not in Council.Level.values:
        raise ValidationError({"level": [_("Choose the council's level.")]})
    province_id = province.pk if province is not None and level == Council.Level.PROVINCIAL else None
    require(can_manage_council(by, level=level, province_id=province_id))
    name, decision_number = to_nfc(name or ""), to_nfc(decision_number or "")
    decision_signer, size_reason = to_nfc(decision_signer or ""), (size_reason or "").strip()
    members = [_clean_member(m) for m in members]
    errors: dict[str, list[str]] = {}
    if level == Council.Level.PROVINCIAL:
        if province is None or province.level != "province":
            errors.setdefault("province", []).append(_("Choose the council's province."))
    elif province is not None:
        errors.setdefault("province", []).append(_("Only a provincial council has a province."))
    if not name:
        errors.setdefault("name", []).append(_("Give the council's name."))
    _check_decision(
        errors, number=decision_number, when=decision_date, signer=decision_signer, not_before=None
    )
    if not members:
        errors.setdefault("members", []).append(_("Give the council's members."))
    _check_new_members(errors, members)
    seats = [_Seat(m.email, m.role, m.authorised_to_preside) for m in members]
    _check_composition(
        errors, council_level=level, rules=rules_for_round(round), seats=seats, size_reason=size_reason
    )
    existing = Council.objects.select_for_update().filter(
        round=round, level=level, province_id=province_id, dissolved_on__isnull=True
    )
    if existing.exists():
        errors.setdefault("name", []).append(
            _("This round already has a council at this level%(where)s: change its members instead.")
            % {"where": f" ({province.name})" if province_id else ""}
        )
    if errors:
        raise ValidationError(errors)

    council = Council.objects.create(
        round=round,
        level=level,
        province=province if province_id else None,
        name=name,
        short_name=to_nfc(short_name or ""),
        decision_number=decision_number,
        decision_date=decision_date,
        decision_signer=decision_signer,
    )
    decision = CouncilDecision.objects.create(
        council=council,
        kind=CouncilDecision.Kind.ESTABLISHING,
        number=decision_number,
        date=decision_date,
        signer=decision_signer,
        size_reason=size_reason,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    added = _appoint(council, decision, members, by)
    action_record(
        action="council_record",
        obj=council,
        summary=_("Council recorded from decision %(number)s with %(n)d members.")
        % {"number": decision_number, "n": len(added)},
        by=by,
        reason=size_reason,
        data={**_decision_data(decision), "added": added, "ended": []},
    )
    return council


@transaction.atomic
def council_membership_change(
    *,
    council: Council,
    decision_number: str,
    decision_date: date | None,
    decision_signer: str,
    add: list[MemberInput],
    end: list[Membership],
    by,
    size_reason: str = "",
) -> CouncilDecision:
    """A later decision on a council's members: some end (their rows are kept, ended by this decision),
    some are appointed. The composition after the decision must follow the same rules as at its
    establishment."""
    require(can_manage_council(by, level=council.level, province_id=council.province_id))
    locked = Council.objects.select_for_update().select_related("round").get(pk=council.pk)
    decision_number, decision_signer = to_nfc(decision_number or ""), to_nfc(decision_signer or "")
    size_reason = (size_reason or "").strip()
    add = [_clean_member(m) for m in add]
    errors: dict[str, list[str]] = {}
    if locked.dissolved_on is not None:
        errors.setdefault("decision_number", []).append(_("This council has been dissolved."))
    _check_decision(
        errors,
        number=decision_number,
        when=decision_date,
        signer=decision_signer,
        not_before=locked.decision_date,
    )
    current = list(Membership.objects.current().filter(council=locked).select_related("user"))
    current_ids = {m.pk for m in current}
    end_ids = {m.pk for m in end}
    if not end_ids <= current_ids:
        errors.setdefault("end", []).append(_("Only current members of this council can be ended."))
    if not add and not end_ids:
        errors.setdefault("members", []).append(_("The decision adds or ends at least one member."))
    _check_new_members(errors, add)
    kept = [m for m in current if m.pk not in end_ids]
    seats = [_Seat((m.user.email or f"#{m.user_id}").lower(), m.role, m.authorised_to_preside) for m in kept]
    seats += [_Seat(m.email, m.role, m.authorised_to_preside) for m in add]
    _check_composition(
        errors,
        council_level=locked.level,
        rules=rules_for_round(locked.round),
        seats=seats,
        size_reason=size_reason,
    )
    if errors:
        raise ValidationError(errors)

    decision = CouncilDecision.objects.create(
        council=locked,
        kind=CouncilDecision.Kind.MEMBERSHIP_CHANGE,
        number=decision_number,
        date=decision_date,
        signer=decision_signer,
        size_reason=size_reason,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    ended = []
    for m in current:
        if m.pk in end_ids:
            m.ended_by, m.ended_on = decision, decision_date
            m.save(update_fields=["ended_by", "ended_on"])
            ended.append(
                {"membership_id": m.pk, "user_id": m.user_id, "full_name": str(m.user), "role": m.role}
            )
    added = _appoint(locked, decision, add, by)
    action_record(
        action="council_membership_change",
        obj=locked,
        summary=_("Decision %(number)s: %(added)d members appointed, %(ended)d ended.")
        % {"number": decision_number, "added": len(added), "ended": len(ended)},
        by=by,
        reason=size_reason,
        data={**_decision_data(decision), "added": added, "ended": ended},
    )
    return decision
