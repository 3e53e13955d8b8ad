"""A member's whole ballot paper, and "no conflict with any of the others": the national councils vote
on thousands of dossiers, so a member declares and votes for the agenda at once. The paper is cast whole
or not at all, in the same three statements whatever its length, and keeps the box's secrecy."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils.conflicts import conflict_declare, conflicts_declare_none
from councils.models import Ballot, BallotParticipation, ConflictDeclaration, SealedBallot
from councils.services import ballot_close, ballot_open, ballot_paper_cast
from tests.councils.conftest import make_council
from tests.councils.test_ballot import prepare

pytestmark = pytest.mark.django_db


def opened(dossiers=3, members=9):
    council, voters, secretary = make_council(members)
    session, items = prepare(council, voters, secretary, present=voters, dossiers=dossiers)
    ballot_open(session=session, by=secretary.user)
    return session, items, voters, secretary


def nothing_cast(session):
    return not BallotParticipation.objects.filter(session=session) and not SealedBallot.objects.filter(
        session=session
    )


def test_a_paper_is_cast_whole_and_counted_as_chosen():
    session, items, voters, secretary = opened()
    for member in voters:
        assert conflicts_declare_none(session=session, dossiers=items, by=member.user) == len(items)
        choices = {d.pk: "disagree" if member is voters[0] and d is items[0] else "agree" for d in items}
        assert ballot_paper_cast(session=session, choices=choices, by=member.user) == len(items)
    assert BallotParticipation.objects.filter(session=session).count() == len(voters) * len(items)
    assert not Ballot.objects.filter(session=session).exists()  # sealed while open
    ballot_close(session=session, by=secretary.user)
    agree = {d.pk: Ballot.objects.filter(session=session, dossier=d, choice="agree").count() for d in items}
    assert agree == {items[0].pk: len(voters) - 1, items[1].pk: len(voters), items[2].pk: len(voters)}


@pytest.mark.parametrize("size", [2, 12])
def test_a_paper_costs_the_same_statements_whatever_its_length(size):
    session, items, voters, _secretary = opened(dossiers=size, members=9)
    member = voters[1]
    with CaptureQueriesContext(connection) as declared:
        conflicts_declare_none(session=session, dossiers=items, by=member.user)
    with CaptureQueriesContext(connection) as cast:
        ballot_paper_cast(session=session, choices={d.pk: "agree" for d in items}, by=member.user)
    writes = [q["sql"] for q in cast.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(writes) == 3, writes  # the check, the participations, the sealed ballots
    assert len([q for q in declared.captured_queries if "SAVEPOINT" not in q["sql"]]) <= 5


def test_one_dossier_the_member_may_not_vote_on_refuses_the_whole_paper():
    session, items, voters, _secretary = opened()
    member = voters[2]
    conflict_declare(
        session=session, dossier=items[1], by=member.user, status="declared", relation="relative"
    )
    assert conflicts_declare_none(session=session, dossiers=items, by=member.user) == 2  # the conflict stays
    assert ConflictDeclaration.objects.filter(membership=member, dossier=items[1]).count() == 1
    with pytest.raises(PermissionDenied):
        ballot_paper_cast(session=session, choices={d.pk: "agree" for d in items}, by=member.user)
    assert nothing_cast(session)
    # without the recused dossier the paper goes
    assert ballot_paper_cast(
        session=session, choices={items[0].pk: "agree", items[2].pk: "agree"}, by=member.user
    )


def test_a_paper_repeating_a_ballot_or_off_the_agenda_keeps_nothing():
    session, items, voters, _secretary = opened()
    _other_session, others, _v, _s = opened(dossiers=1)
    member = voters[0]
    conflicts_declare_none(session=session, dossiers=items, by=member.user)
    ballot_paper_cast(session=session, choices={items[0].pk: "agree"}, by=member.user)
    with pytest.raises(ValidationError) as again:
        ballot_paper_cast(session=session, choices={d.pk: "agree" for d in items}, by=member.user)
    assert again.value.code == "already_voted"
    with pytest.raises(ValidationError) as off:
        ballot_paper_cast(
            session=session, choices={items[1].pk: "agree", others[0].pk: "agree"}, by=member.user
        )
    assert off.value.code == "agenda"
    assert BallotParticipation.objects.filter(session=session).count() == 1
    assert SealedBallot.objects.filter(session=session).count() == 1
    with pytest.raises(ValidationError):
        ballot_paper_cast(session=session, choices={items[1].pk: "maybe"}, by=member.user)
    # a declaration already on record, and a dossier voted on, are not declared again
    assert conflicts_declare_none(session=session, dossiers=items, by=member.user) == 0


def test_no_paper_after_the_close_nor_from_someone_not_present():
    council, voters, secretary = make_council(10)
    session, items = prepare(council, voters, secretary, present=voters[:9], dossiers=2)
    ballot_open(session=session, by=secretary.user)
    absent = voters[9]
    with pytest.raises(PermissionDenied):
        conflicts_declare_none(session=session, dossiers=items, by=secretary.user)  # not a voting member
    conflicts_declare_none(session=session, dossiers=items, by=absent.user)
    with pytest.raises(PermissionDenied):
        ballot_paper_cast(session=session, choices={d.pk: "agree" for d in items}, by=absent.user)
    ballot_close(session=session, by=secretary.user)
    with pytest.raises(ValidationError) as closed:
        ballot_paper_cast(session=session, choices={d.pk: "agree" for d in items}, by=voters[0].user)
    assert closed.value.code == "stale"
