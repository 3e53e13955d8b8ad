"""Recording a council from its establishing decision, and later decisions on its members."""

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.models import User
from core.services import action_records_of
from councils.models import BallotParticipation, Council, CouncilDecision, Membership, SealedBallot, Session
from councils.services import (
    ballot_cast,
    ballot_close,
    ballot_open,
    quorum,
    session_agenda_add,
    session_attendance_record,
)
from councils.setup import MemberInput, council_membership_change, council_record
from dossiers.models import DossierState
from dossiers.rulebook.selectors import rules_for_round
from tests import factories as f
from tests.councils.conftest import declare_no_conflict
from tests.workflows.conftest import set_state

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)
DECIDED = date(2025, 8, 1)


def person(role=Membership.Role.MEMBER, **extra) -> MemberInput:
    n = next(_seq)
    fields = {
        "full_name": f"Nguyễn Văn Thành {n}",
        "email": f"thanhvien{n}@demo.invalid",
        "position": "Phó Giám đốc",
        "agency_name": "Hội Mỹ nghệ Hà Nội",
        "role": role,
    }
    return MemberInput(**{**fields, **extra})


def composition(voting: int, *, secretary: bool = True) -> list[MemberInput]:
    """A chair and `voting - 1` members, and a secretary."""
    people = [person(Membership.Role.CHAIR)] + [person() for _ in range(voting - 1)]
    return people + ([person(Membership.Role.SECRETARY)] if secretary else [])


def clerk() -> User:
    return f.user("ministry_clerk", f.ministry())


def record(by, *, members, level="provincial", code="01", round_=None, **extra) -> Council:
    fields = {
        "round": round_ or f.round_(),
        "level": level,
        "province": f.province(code) if level == "provincial" else None,
        "name": f"Hội đồng xét tặng {level} {code}",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": DECIDED,
        "decision_signer": "Trần Quốc Việt",
    }
    return council_record(**{**fields, **extra}, members=members, by=by)


def provincial_range():
    rules = rules_for_round(f.round_())
    return rules.value("council.provincial.min_members"), rules.value("council.provincial.max_members")


# Who records -------------------------------------------------------------------------------------


def test_an_officer_records_their_provinces_council_with_its_members_and_decision():
    officer = f.officer("01")
    low, _high = provincial_range()
    council = record(officer, members=composition(low))
    assert council.level == "provincial" and council.province == f.province("01")
    assert council.decision_number == "1234/QĐ-UBND" and council.decision_date == DECIDED
    decision = council.decisions.get()
    assert decision.kind == CouncilDecision.Kind.ESTABLISHING and decision.recorded_by == officer
    current = list(Membership.objects.current().filter(council=council))
    assert len(current) == low + 1
    assert all(m.appointed_by == decision for m in current)
    chair = next(m for m in current if m.role == Membership.Role.CHAIR)
    assert chair.agency_name == "Hội Mỹ nghệ Hà Nội" and chair.position == "Phó Giám đốc"
    assert chair.user.full_name.startswith("Nguyễn Văn Thành")
    secretary = next(m for m in current if m.role == Membership.Role.SECRETARY)
    assert secretary.user.groups.filter(name="council_secretary").exists()
    assert chair.user.groups.filter(name="council_member").exists()
    (history,) = action_records_of(council)
    assert history.action == "council_record" and history.actor == officer
    assert len(history.data["added"]) == low + 1


def test_an_officer_of_another_province_is_refused_and_nothing_is_written():
    low, _high = provincial_range()
    with pytest.raises(PermissionDenied):
        record(f.officer("31"), members=composition(low), code="01")
    assert not Council.objects.exists() and not User.objects.filter(email__endswith="@demo.invalid").exists()


@pytest.mark.parametrize("role", ["council_member", "council_secretary", "ministry_leader", "ministry_clerk"])
def test_other_roles_cannot_record_a_provincial_council(role):
    low, _high = provincial_range()
    with pytest.raises(PermissionDenied):
        record(f.user(role, f.department("01")), members=composition(low))


@pytest.mark.parametrize("level", ["ministerial", "state"])
def test_a_ministry_clerk_records_the_ministerial_and_state_councils(level):
    low, _high = provincial_range()  # the State range is checked below; here a size any level accepts
    rules = rules_for_round(f.round_())
    size = rules.value("council.state.min_members") if level == "state" else low
    council = record(clerk(), level=level, members=composition(size))
    assert council.level == level and council.province is None
    assert council.decisions.get().kind == CouncilDecision.Kind.ESTABLISHING


@pytest.mark.parametrize("level", ["ministerial", "state"])
def test_an_officer_cannot_record_a_ministry_council(level):
    with pytest.raises(PermissionDenied):
        record(f.officer("01"), level=level, members=composition(9))


# The size of the council -----------------------------------------------------------------------


def test_size_exactly_at_the_minimum_and_at_the_maximum_is_accepted_without_reason():
    low, high = provincial_range()
    assert record(f.officer("01"), members=composition(low), code="01")
    assert record(f.officer("31"), members=composition(high), code="31")


@pytest.mark.parametrize("delta", [-1, +1])
def test_one_below_the_minimum_or_above_the_maximum_needs_a_reason_recorded_with_the_act(delta):
    low, high = provincial_range()
    size = low - 1 if delta < 0 else high + 1
    officer = f.officer("01")
    with pytest.raises(ValidationError) as refused:
        record(officer, members=composition(size))
    assert "size_reason" in refused.value.message_dict
    assert not Council.objects.exists()
    council = record(officer, members=composition(size), size_reason="Hội đồng được UBND cho phép")
    assert council.decisions.get().size_reason == "Hội đồng được UBND cho phép"
    assert action_records_of(council).get().reason == "Hội đồng được UBND cho phép"


def test_the_secretary_is_not_counted_in_the_size():
    low, _high = provincial_range()
    members = [*composition(low - 1), person(Membership.Role.SECRETARY)]
    with pytest.raises(ValidationError) as refused:
        record(f.officer("01"), members=members)
    assert "size_reason" in refused.value.message_dict


def test_state_council_size_comes_from_the_rulebook():
    rules = rules_for_round(f.round_())
    high = rules.value("council.state.max_members")
    with pytest.raises(ValidationError) as refused:
        record(clerk(), level="state", members=composition(high + 1))
    assert "size_reason" in refused.value.message_dict


# The composition -----------------------------------------------------------------------------------


def test_exactly_one_chair():
    low, _high = provincial_range()
    two_chairs = composition(low)
    two_chairs[1] = person(Membership.Role.CHAIR)
    no_chair = composition(low)
    no_chair[0] = person()
    for members, chairs in ((two_chairs, 2), (no_chair, 0)):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            record(f.officer("01"), members=members)
        assert f"exactly one chair (here {chairs})" in " ".join(refused.value.message_dict["members"])
    assert not Council.objects.exists()


def test_a_secretary_is_required():
    low, _high = provincial_range()
    with pytest.raises(ValidationError) as refused:
        record(f.officer("01"), members=composition(low, secretary=False))
    assert "members" in refused.value.message_dict


def test_only_one_vice_chair_may_be_authorised_to_preside():
    low, _high = provincial_range()
    members = composition(low)
    members[1] = person(Membership.Role.VICE_CHAIR, authorised_to_preside=True)
    members[2] = person(Membership.Role.VICE_CHAIR, authorised_to_preside=True)
    with pytest.raises(ValidationError):
        record(f.officer("01"), members=members)
    members[2] = person(authorised_to_preside=True)  # a plain member
    with pytest.raises(ValidationError):
        record(f.officer("01"), members=members)
    members[2] = person(Membership.Role.VICE_CHAIR)
    council = record(f.officer("01"), members=members)
    assert council.memberships.filter(authorised_to_preside=True).count() == 1


def test_decision_date_not_in_the_future_and_emails_valid_and_unique():
    low, _high = provincial_range()
    officer = f.officer("01")
    with pytest.raises(ValidationError) as refused:
        record(officer, members=composition(low), decision_date=timezone.localdate() + timedelta(days=1))
    assert "decision_date" in refused.value.message_dict
    bad = composition(low)
    bad[3] = person(email="khong-phai-email")
    with pytest.raises(ValidationError) as refused:
        record(officer, members=bad)
    assert "members" in refused.value.message_dict
    twice = composition(low)
    twice[3] = person(email=twice[2].email.upper())
    with pytest.raises(ValidationError) as refused:
        record(officer, members=twice)
    assert twice[2].email in " ".join(refused.value.message_dict["members"])
    assert not Council.objects.exists()


def test_an_existing_account_is_linked_not_duplicated():
    low, _high = provincial_range()
    existing = f.user(
        "council_member", f.department("01"), email="le.thi.hoa@hanoi.gov.vn", full_name="Lê Thị Hoa"
    )
    members = composition(low)
    members[1] = person(full_name="Lê Thị Hoa", email="Le.Thi.Hoa@hanoi.gov.vn")
    council = record(f.officer("01"), members=members)
    assert council.memberships.filter(user=existing).exists()
    assert User.objects.filter(email__iexact="le.thi.hoa@hanoi.gov.vn").count() == 1


def test_a_second_council_of_the_same_round_level_and_province_is_refused():
    low, _high = provincial_range()
    record(f.officer("01"), members=composition(low))
    with pytest.raises(ValidationError):
        record(f.officer("01"), members=composition(low))
    assert Council.objects.count() == 1


# The secretary does not vote ---------------------------------------------------------------------


def test_the_secretary_does_not_count_in_the_quorum():
    low, _high = provincial_range()
    council = record(f.officer("01"), members=composition(low))
    session = Session.objects.create(council=council, held_on=date(2025, 11, 20), place="Sở Công Thương")
    secretary = council.memberships.get(role=Membership.Role.SECRETARY)
    voters = list(council.memberships.filter(role__in=Membership.VOTING_ROLES))
    ratio = rules_for_round(council.round).value("council.quorum_ratio")
    needed = next(n for n in range(len(voters) + 1) if n / len(voters) >= ratio)
    chair_first = sorted(voters, key=lambda m: m.role != Membership.Role.CHAIR)
    session_attendance_record(
        session=session, present=[*chair_first[: needed - 1], secretary], by=secretary.user
    )
    assert not quorum(session)
    session_attendance_record(session=session, present=chair_first[:needed], by=secretary.user)
    assert quorum(session)


# A later decision ------------------------------------------------------------------------------------


def _council_with_a_ballot_cast():
    low, _high = provincial_range()
    officer = f.officer("01")
    council = record(officer, members=composition(low + 1))
    secretary = council.memberships.get(role=Membership.Role.SECRETARY)
    voters = list(council.memberships.filter(role__in=Membership.VOTING_ROLES))
    session = Session.objects.create(council=council, held_on=date(2025, 11, 20), place="Sở Công Thương")
    dossier = set_state(f.dossier("01"), DossierState.PROVINCIAL_REVIEW)
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    ballot_open(session=session, by=secretary.user)
    leaving = next(m for m in voters if m.role == Membership.Role.MEMBER)
    declare_no_conflict(session, [dossier], [leaving])
    ballot_cast(session=session, dossier=dossier, choice="agree", by=leaving.user)
    return officer, council, leaving, session


def test_a_change_of_membership_keeps_history_and_leaves_cast_ballots_untouched():
    officer, council, leaving, session = _council_with_a_ballot_cast()
    before = (
        SealedBallot.objects.filter(session=session).count(),
        BallotParticipation.objects.filter(session=session).count(),
    )
    assert before == (1, 1)
    newcomer = person(full_name="Phạm Thị Lan", email="pham.lan@demo.invalid")
    decision = council_membership_change(
        council=council,
        decision_number="2345/QĐ-UBND",
        decision_date=date(2025, 12, 1),
        decision_signer="Trần Quốc Việt",
        add=[newcomer],
        end=[leaving],
        by=officer,
    )
    leaving.refresh_from_db()
    assert leaving.ended_by == decision and leaving.ended_on == date(2025, 12, 1)
    assert not Membership.objects.current().filter(pk=leaving.pk).exists()
    assert BallotParticipation.objects.filter(membership=leaving).count() == 1
    after = (
        SealedBallot.objects.filter(session=session).count(),
        BallotParticipation.objects.filter(session=session).count(),
    )
    assert after == before
    added = council.memberships.current().get(user__email="pham.lan@demo.invalid")
    assert added.appointed_by == decision
    assert list(council.decisions.values_list("kind", flat=True)) == ["establishing", "membership_change"]
    history = list(action_records_of(council))
    assert [r.action for r in history] == ["council_record", "council_membership_change"]
    assert history[1].data["ended"][0]["membership_id"] == leaving.pk
    assert history[1].data["added"][0]["email"] == "pham.lan@demo.invalid"
    # the ended member's sealed ballot is counted at the close
    secretary = council.memberships.current().get(role=Membership.Role.SECRETARY)
    (tally,) = ballot_close(session=session, by=secretary.user)
    assert (tally.agree, tally.disagree) == (1, 0)


def test_an_ended_member_no_longer_counts_nor_votes():
    officer, council, leaving, session = _council_with_a_ballot_cast()
    on_list = len(council.memberships.current().filter(role__in=Membership.VOTING_ROLES))
    council_membership_change(
        council=council,
        decision_number="2345/QĐ-UBND",
        decision_date=date(2025, 12, 1),
        decision_signer="Trần Quốc Việt",
        add=[],
        end=[leaving],
        by=officer,
    )
    from councils.services import voting_members

    assert len(voting_members(session)) == on_list - 1
    assert leaving not in voting_members(session)


def test_the_same_person_can_be_appointed_again_after_being_ended():
    officer, council, leaving, _session = _council_with_a_ballot_cast()
    again = person(Membership.Role.VICE_CHAIR, full_name=str(leaving.user), email=leaving.user.email)
    council_membership_change(
        council=council,
        decision_number="2345/QĐ-UBND",
        decision_date=date(2025, 12, 1),
        decision_signer="Trần Quốc Việt",
        add=[again],
        end=[leaving],
        by=officer,
    )
    assert council.memberships.filter(user=leaving.user).count() == 2
    assert council.memberships.current().get(user=leaving.user).role == Membership.Role.VICE_CHAIR


def test_a_change_is_checked_like_the_establishment_and_by_the_same_people():
    officer, council, _leaving, _session = _council_with_a_ballot_cast()
    chair = council.memberships.get(role=Membership.Role.CHAIR)
    change = {
        "council": council,
        "decision_number": "2345/QĐ-UBND",
        "decision_date": date(2025, 12, 1),
        "decision_signer": "Trần Quốc Việt",
    }
    with pytest.raises(ValidationError) as refused:  # no chair left
        council_membership_change(**change, add=[], end=[chair], by=officer)
    assert "members" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        council_membership_change(**change, add=[person()], end=[], by=f.officer("31"))
    other = record(f.officer("31"), code="31", members=composition(provincial_range()[0]))
    stranger = other.memberships.filter(role=Membership.Role.MEMBER).first()
    with pytest.raises(ValidationError) as refused:
        council_membership_change(**change, add=[], end=[stranger], by=officer)
    assert "end" in refused.value.message_dict
    assert council.decisions.count() == 1 and chair.__class__.objects.get(pk=chair.pk).ended_by is None
