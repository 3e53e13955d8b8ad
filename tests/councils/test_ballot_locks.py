"""The ballot's locks on PostgreSQL: members casting at once do not wait for each other; the close waits
for a ballot in flight and counts it; a ballot after the close is refused as stale."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from councils import services
from councils.models import Tally
from councils.services import (
    ballot_cast,
    ballot_close,
    ballot_open,
    session_agenda_add,
    session_attendance_record,
)
from tests.councils.conftest import declare_no_conflict, make_council, make_session

WAIT = 20  # seconds: far more than any of these steps takes when it does not wait


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_casts_share_the_session_and_the_close_waits_for_a_ballot_in_flight(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite serialises every write)")
    council, voters, secretary = make_council(11)
    session, (dossier,) = make_session(council)
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, [dossier], voters)

    in_flight, release = threading.Event(), threading.Event()
    sealed = services._sealed

    def slow_sealed(*args):  # the first member's ballot stops after its check, holding its locks
        if threading.current_thread().name == "slow":
            in_flight.set()
            assert release.wait(WAIT)
        return sealed(*args)

    monkeypatch.setattr(services, "_sealed", slow_sealed)
    outcomes = {}

    def run(name, action):
        try:
            outcomes[name] = action()
        except Exception as exc:  # the test reads it
            outcomes[name] = exc
        finally:
            connections.close_all()

    slow = threading.Thread(
        name="slow",
        target=run,
        args=(
            "slow",
            lambda: ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[0].user),
        ),
    )
    slow.start()
    assert in_flight.wait(WAIT)
    # another member is not held up by the ballot in flight
    other = threading.Thread(
        target=run,
        args=(
            "other",
            lambda: ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[1].user),
        ),
    )
    other.start()
    other.join(WAIT)
    assert not other.is_alive() and outcomes["other"] is None
    # the close waits for the ballot in flight ...
    close = threading.Thread(
        target=run, args=("close", lambda: ballot_close(session=session, by=secretary.user))
    )
    close.start()
    close.join(1.0)
    assert close.is_alive(), "the close did not wait for the ballot in flight"
    release.set()
    slow.join(WAIT)
    close.join(WAIT)
    assert outcomes["slow"] is None and not close.is_alive()
    # ... and counts it
    tally = Tally.objects.get(session=session, dossier=dossier)
    assert (tally.agree, tally.disagree) == (2, 0)
    # a ballot after the close sees it closed
    with pytest.raises(ValidationError) as refused:
        ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[2].user)
    assert refused.value.code == "stale"
