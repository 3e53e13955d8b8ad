"""30 parallel submissions of the same member's ballot store exactly one participation and one sealed
ballot, which the close counts once (SQLite here, PostgreSQL in CI)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from councils.models import Ballot, BallotParticipation, SealedBallot, Tally
from councils.services import (
    ballot_cast,
    ballot_close,
    ballot_open,
    session_agenda_add,
    session_attendance_record,
)
from tests.councils.conftest import declare_no_conflict, make_council, make_session

THREADS = 30


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thirty_parallel_submissions_store_one_ballot():
    council, voters, secretary = make_council(11)
    session, (dossier,) = make_session(council)
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, [dossier], voters[:1])
    member = voters[0].user
    barrier = threading.Barrier(THREADS)
    outcomes, lock = [], threading.Lock()

    def submit(i):
        barrier.wait()
        try:
            ballot_cast(session=session, dossier=dossier, choice="agree" if i % 2 else "disagree", by=member)
            result = "ok"
        except ValidationError as exc:
            result = exc.code
        except Exception as exc:
            result = f"error {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == ["already_voted"] * (THREADS - 1) + ["ok"], outcomes
    assert BallotParticipation.objects.count() == 1
    assert SealedBallot.objects.count() == 1 and not Ballot.objects.exists()  # sealed while open
    ballot_close(session=session, by=secretary.user)
    assert Ballot.objects.count() == 1 and not SealedBallot.objects.exists()
    tally = Tally.objects.get()
    assert (tally.agree, tally.disagree) in ((1, 0), (0, 1))
