"""The sealed ballot box: while the ballot is open a ballot is stored only encrypted, with the participation
in the same transaction (never one without the other); at the close the box is opened into `Ballot` rows
and destroyed with its key, and the tally counts exactly the choices cast."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from core.crypto import DecryptionError, unseal
from councils.models import Ballot, BallotBoxKey, BallotParticipation, SealedBallot, Tally
from councils.services import (
    ballot_cast,
    ballot_close,
    ballot_open,
    session_agenda_add,
    session_attendance_record,
)
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from tests.councils.test_ballot import prepare

pytestmark = pytest.mark.django_db


def opened_session(members=11, dossiers=2):
    council, voters, secretary = make_council(members)
    session, items = prepare(council, voters, secretary, present=voters, dossiers=dossiers)
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, items, voters)  # no ballot without a declaration
    return session, items, voters, secretary


def test_while_open_the_choice_is_stored_only_sealed():
    session, (first, second), voters, _secretary = opened_session()
    ballot_cast(session=session, dossier=first, choice="agree", by=voters[0].user)
    ballot_cast(session=session, dossier=second, choice="disagree", by=voters[0].user)
    ballot_cast(session=session, dossier=first, choice="disagree", by=voters[1].user)
    assert BallotParticipation.objects.filter(session=session).count() == 3
    assert not Ballot.objects.filter(session=session).exists()  # nothing in clear while open
    boxes = [bytes(b) for b in SealedBallot.objects.filter(session=session).values_list("box", flat=True)]
    assert len(boxes) == 3 and len(set(boxes)) == 3
    assert len({len(b) for b in boxes}) == 1  # agree and disagree sealed to the same length
    for box in boxes:
        assert b"agree" not in box and b"disagree" not in box
    # The box opens only with the session's key: another session's salt, or none, opens nothing.
    with pytest.raises(DecryptionError):
        unseal(boxes[0], salt=b"\0" * 32, context=f"councils.session:{session.pk}".encode())


def test_the_tally_after_close_equals_the_choices_cast():
    session, (first, second), voters, secretary = opened_session(members=11)
    cast = Counter()
    for i, member in enumerate(voters):
        for dossier, agree in ((first, i % 3 != 0), (second, i % 4 == 0)):
            choice = "agree" if agree else "disagree"
            ballot_cast(session=session, dossier=dossier, choice=choice, by=member.user)
            cast[(dossier.pk, choice)] += 1
    assert not Ballot.objects.filter(session=session).exists()  # sealed until the close
    tallies = {t.dossier_id: t for t in ballot_close(session=session, by=secretary.user)}
    for dossier in (first, second):
        assert (tallies[dossier.pk].agree, tallies[dossier.pk].disagree) == (
            cast[(dossier.pk, "agree")],
            cast[(dossier.pk, "disagree")],
        )
    stored = Counter(Ballot.objects.filter(session=session).values_list("dossier_id", "choice"))
    assert stored == cast
    assert Tally.objects.filter(session=session).count() == 2
    # The box and its key are gone: a copy of the box taken before the close no longer opens.
    assert not SealedBallot.objects.filter(session=session).exists()
    assert not BallotBoxKey.objects.filter(session=session).exists()


def test_a_copy_of_the_box_taken_while_open_does_not_open_after_the_close():
    session, (first, _second), voters, secretary = opened_session()
    ballot_cast(session=session, dossier=first, choice="agree", by=voters[0].user)
    (copied,) = SealedBallot.objects.filter(session=session).values_list("box", flat=True)
    salt = BallotBoxKey.objects.get(session=session).salt
    context = f"councils.session:{session.pk}".encode()
    assert unseal(copied, salt=salt, context=context)  # opens with the key while open
    ballot_close(session=session, by=secretary.user)
    assert not BallotBoxKey.objects.filter(session=session).exists()
    assert not SealedBallot.objects.filter(session=session).exists()


def test_the_process_dying_between_the_participation_and_the_box_stores_nothing(monkeypatch):
    session, (first, _second), voters, secretary = opened_session()
    member = voters[0].user

    def dies(*args, **kwargs):
        raise RuntimeError("the process died")

    with monkeypatch.context() as patched:
        patched.setattr(SealedBallot.objects, "create", dies)
        with pytest.raises(RuntimeError):
            ballot_cast(session=session, dossier=first, choice="agree", by=member)
    assert not BallotParticipation.objects.filter(session=session).exists()  # no "voted" without a ballot
    assert not SealedBallot.objects.filter(session=session).exists()
    ballot_cast(session=session, dossier=first, choice="disagree", by=member)  # may vote again
    with pytest.raises(ValidationError) as refused:
        ballot_cast(session=session, dossier=first, choice="agree", by=member)
    assert refused.value.code == "already_voted"
    assert BallotParticipation.objects.filter(session=session).count() == 1
    assert SealedBallot.objects.filter(session=session).count() == 1
    tally = next(t for t in ballot_close(session=session, by=secretary.user) if t.dossier_id == first.pk)
    assert (tally.agree, tally.disagree) == (0, 1)


def test_ballots_cast_before_the_box_existed_are_counted_with_the_sealed_ones():
    """A session already open when the sealed box came in keeps the ballots it had in clear; the close
    counts them with those sealed since."""
    session, (first, _second), voters, secretary = opened_session()
    Ballot.objects.create(session=session, dossier=first, choice="disagree")  # cast before the migration
    ballot_cast(session=session, dossier=first, choice="agree", by=voters[1].user)
    tally = next(t for t in ballot_close(session=session, by=secretary.user) if t.dossier_id == first.pk)
    assert (tally.agree, tally.disagree) == (1, 1)


def test_each_session_has_its_own_box():
    one, (first, _), voters, secretary = opened_session()
    council2, voters2, secretary2 = make_council(9, code="31")
    two, (other,) = make_session(council2, code="31")
    session_agenda_add(session=two, dossiers=[other], by=secretary2.user)
    session_attendance_record(session=two, present=voters2, by=secretary2.user)
    ballot_open(session=two, by=secretary2.user)
    declare_no_conflict(two, [other], voters2)
    ballot_cast(session=one, dossier=first, choice="agree", by=voters[0].user)
    ballot_cast(session=two, dossier=other, choice="disagree", by=voters2[0].user)
    salts = set(BallotBoxKey.objects.values_list("salt", flat=True))
    assert len({bytes(s) for s in salts}) == 2
    ballot_close(session=one, by=secretary.user)
    assert SealedBallot.objects.filter(session=two).count() == 1  # the other box stays sealed
    assert BallotBoxKey.objects.filter(session=two).exists()
    (tally,) = ballot_close(session=two, by=secretary2.user)
    assert (tally.agree, tally.disagree) == (0, 1)
