"""Quorum, the pass ratio at its edges, recusal, one ballot per member, and results fed to the procedure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils.models import (
    Ballot,
    BallotBoxKey,
    BallotParticipation,
    ConflictDeclaration,
    Membership,
    SealedBallot,
    Session,
    Tally,
)
from councils.services import (
    ballot_cast,
    ballot_close,
    ballot_open,
    conflict_declare,
    quorum,
    session_agenda_add,
    session_attendance_record,
)
from dossiers.models import DossierState
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from workflows.models import AuditEntry
from workflows.services import council_ballot_close

pytestmark = pytest.mark.django_db


def prepare(council, voters, secretary, *, present, dossiers=1):
    session, items = make_session(council, dossiers=dossiers)
    session_agenda_add(session=session, dossiers=items, by=secretary.user)
    session_attendance_record(session=session, present=present, by=secretary.user)
    return session, items


@pytest.mark.parametrize(
    ("present_count", "with_chair", "ok"),
    [(8, True, False), (9, True, True), (9, False, False), (11, True, True)],
)
def test_quorum_at_its_edges(council11, present_count, with_chair, ok):
    council, voters, secretary = council11
    present = voters[:present_count] if with_chair else voters[1 : present_count + 1]
    session, _items = prepare(council, voters, secretary, present=present)
    decision = quorum(session)
    assert bool(decision) is ok
    if not ok:
        assert "quorum" in decision.reason.lower() or "đủ" in decision.reason
        with pytest.raises(ValidationError):
            ballot_open(session=session, by=secretary.user)


def test_a_vice_chair_counts_for_the_chair_only_when_authorised(council11):
    council, voters, secretary = council11
    vice = voters[1]
    Membership.objects.filter(pk=vice.pk).update(role=Membership.Role.VICE_CHAIR)
    session, _items = prepare(council, voters, secretary, present=voters[1:10])
    assert not quorum(session)
    Membership.objects.filter(pk=vice.pk).update(authorised_to_preside=True)
    assert quorum(session)


def vote(session, dossier, voters, agree):
    declare_no_conflict(session, [dossier], voters)
    for i, m in enumerate(voters):
        ballot_cast(session=session, dossier=dossier, choice="agree" if i < agree else "disagree", by=m.user)


@pytest.mark.parametrize(
    ("members", "present", "agree", "passed"),
    [(11, 11, 10, True), (11, 9, 9, False), (10, 10, 9, True), (10, 10, 8, False)],
)
def test_pass_ratio_is_over_all_members_on_the_list(members, present, agree, passed):
    council, voters, secretary = make_council(members)
    session, (dossier,) = prepare(council, voters, secretary, present=voters[:present])
    ballot_open(session=session, by=secretary.user)
    vote(session, dossier, voters[:present], agree)
    (tally,) = council_ballot_close(session=session, by=secretary.user)
    assert (tally.agree, tally.base, tally.passed) == (agree, members, passed)
    dossier.refresh_from_db()
    assert dossier.state == (DossierState.PROVINCIAL_PASSED if passed else DossierState.PROVINCIAL_FAILED)
    entry = AuditEntry.objects.get(dossier=dossier)
    assert f"{agree}" in entry.reason and entry.actor == secretary.user


def test_one_ballot_per_member_and_none_after_closing(council11):
    council, voters, secretary = council11
    session, (dossier,) = prepare(council, voters, secretary, present=voters)
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, [dossier], voters)
    ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[0].user)
    with pytest.raises(ValidationError) as exc:
        ballot_cast(session=session, dossier=dossier, choice="disagree", by=voters[0].user)
    assert exc.value.code == "already_voted"
    council_ballot_close(session=session, by=secretary.user)
    with pytest.raises(ValidationError):
        ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[1].user)
    assert Ballot.objects.count() == BallotParticipation.objects.count() == 1


def test_a_recused_member_cannot_vote_and_still_counts_in_the_base(council11):
    council, voters, secretary = council11
    session, (dossier,) = prepare(council, voters, secretary, present=voters)
    conflict_declare(
        session=session, dossier=dossier, by=voters[3].user, status="declared", relation="teacher"
    )
    ballot_open(session=session, by=secretary.user)
    with pytest.raises(PermissionDenied):
        ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[3].user)
    others = [m for m in voters if m != voters[3]]
    vote(session, dossier, others, 10)
    (tally,) = council_ballot_close(session=session, by=secretary.user)
    assert (tally.agree, tally.recused, tally.base, tally.passed) == (10, 1, 11, True)


def test_absent_members_and_outsiders_cannot_vote(council11):
    council, voters, secretary = council11
    _outsider_council, outsiders, _s = make_council(9, code="31")
    session, (dossier,) = prepare(council, voters, secretary, present=voters[:10])
    ballot_open(session=session, by=secretary.user)
    with pytest.raises(PermissionDenied):
        ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[10].user)  # absent
    with pytest.raises(PermissionDenied):
        ballot_cast(session=session, dossier=dossier, choice="agree", by=outsiders[0].user)
    with pytest.raises(PermissionDenied):
        ballot_cast(session=session, dossier=dossier, choice="agree", by=secretary.user)  # does not vote


def test_only_the_secretary_opens_and_closes_and_the_tally_is_written_once(council11):
    council, voters, secretary = council11
    session, _items = prepare(council, voters, secretary, present=voters)
    with pytest.raises(PermissionDenied):
        ballot_open(session=session, by=voters[0].user)
    ballot_open(session=session, by=secretary.user)
    with pytest.raises(PermissionDenied):
        council_ballot_close(session=session, by=voters[0].user)
    council_ballot_close(session=session, by=secretary.user)
    with pytest.raises(ValidationError):
        council_ballot_close(session=session, by=secretary.user)
    assert Tally.objects.count() == 1
    assert Session.objects.get().status == Session.Status.BALLOT_CLOSED


def test_a_provincial_council_takes_only_its_provinces_dossiers_in_review(council11):
    from tests import factories as f

    council, _voters, secretary = council11
    session, _items = make_session(council)
    other_province = make_session(council, code="31")[1][0]
    not_in_review = f.dossier("01")
    for dossier in (other_province, not_in_review):
        with pytest.raises(ValidationError):
            session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)


def test_the_schema_cannot_join_a_member_to_a_choice():
    """Ballot has no link to a user, a membership or a participation, and no time; the participation
    has no choice. Its key is random, so the order of rows says nothing either."""
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert ballot_fields == {"id", "session", "dossier", "choice"}
    assert Ballot._meta.pk.get_default().version == 4  # random UUID
    # While the ballot is open: the sealed box says nothing in clear but the session, and has no time.
    assert {f.name for f in SealedBallot._meta.get_fields()} == {"id", "session", "box"}
    assert SealedBallot._meta.pk.get_default().version == 4
    participation_fields = {f.name for f in BallotParticipation._meta.get_fields()}
    assert participation_fields == {"id", "session", "dossier", "membership"}
    assert {f.name for f in ConflictDeclaration._meta.get_fields()} >= {"membership", "dossier"}
    assert "choice" not in {f.name for f in ConflictDeclaration._meta.get_fields()}


def test_ballots_are_not_in_the_admin():
    from django.contrib import admin

    for model in (Ballot, BallotParticipation, SealedBallot, BallotBoxKey):
        assert model not in admin.site._registry


def test_ballots_to_cast_appear_in_the_members_inbox_until_cast():
    from workflows.selectors import inbox_of

    council, voters, secretary = make_council(9)
    session, (first, second) = prepare(council, voters, secretary, present=voters[:8], dossiers=2)
    assert [i.ballot_session for i in inbox_of(voters[0].user)] == []  # not open yet
    conflict_declare(
        session=session, dossier=second, by=voters[1].user, status="declared", relation="relative"
    )
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, [first, second], voters[:1])
    assert {i.dossier for i in inbox_of(voters[0].user)} == {first, second}
    assert {i.dossier for i in inbox_of(voters[1].user)} == {first}  # recused from the second
    assert len(inbox_of(voters[8].user)) == 0  # absent
    ballot_cast(session=session, dossier=first, choice="agree", by=voters[0].user)
    assert [i.dossier for i in inbox_of(voters[0].user)] == [second]


def _closed_with_queries(dossiers: int):
    council, voters, secretary = make_council(11)
    session, items = prepare(council, voters, secretary, present=voters, dossiers=dossiers)
    conflict_declare(
        session=session, dossier=items[0], by=voters[3].user, status="declared", relation="teacher"
    )
    ballot_open(session=session, by=secretary.user)
    others = [m for m in voters if m != voters[3]]
    for n, dossier in enumerate(items):
        vote(session, dossier, others if n == 0 else voters, 10 - n % 3)
    with CaptureQueriesContext(connection) as queries:
        tallies = ballot_close(session=session, by=secretary.user)
    return len(queries), tallies, items


def test_the_count_runs_the_same_queries_whatever_the_agenda_and_counts_each_dossier():
    few, _, _ = _closed_with_queries(2)
    many, tallies, items = _closed_with_queries(8)
    assert few == many
    assert [t.dossier_id for t in tallies] == sorted(d.pk for d in items)
    stored = {t.dossier_id: t for t in Tally.objects.filter(dossier__in=items)}
    for n, dossier in enumerate(sorted(items, key=lambda d: d.pk)):
        t = stored[dossier.pk]
        voted = 10 if n == 0 else 11
        assert (t.agree, t.disagree, t.recused) == (10 - n % 3, voted - (10 - n % 3), 1 if n == 0 else 0)
        assert t.base == 11 and t.passed == (t.agree == 10)  # the pass ratio is 90 %: 10 of 11, not 9


def _statements(queries) -> list[str]:
    """The statements a service ran, without the savepoints of the test's own transaction."""
    return [q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_a_ballot_is_three_statements_and_is_stored(council11):
    council, voters, secretary = council11
    session, (dossier,) = prepare(council, voters, secretary, present=voters)
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, [dossier], voters[:2])
    ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[0].user)  # a warm connection
    with CaptureQueriesContext(connection) as queries:
        ballot_cast(session=session, dossier=dossier, choice="disagree", by=voters[1].user)
    statements = _statements(queries)
    # one that locks the session and the member's membership (shared) and checks the ballot is open and
    # the member votes, is present and the dossier on the agenda; the participation, written only over a
    # current declaration of no conflict; the sealed ballot
    assert len(statements) == 3
    assert BallotParticipation.objects.filter(session=session, dossier=dossier).count() == 2
    assert SealedBallot.objects.filter(session=session).count() == 2
