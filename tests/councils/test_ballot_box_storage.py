"""What a database administrator, a backup or a replica sees after a ballot closes: 30 members vote in a
known order with a known pattern, and no order or system column of the stored ballots (transaction ids,
physical order, key order) pairs them with the participations; the sealed box leaves nothing behind.

Transactional tests: the close must really commit (its clean-up runs after the commit)."""

import time
from pathlib import Path

import pytest
from django.db import connection

from councils.models import Ballot, BallotBoxKey, BallotParticipation, SealedBallot
from councils.services import ballot_cast, ballot_close, ballot_open
from councils.tasks import purge_sealed_box
from tests.councils.conftest import declare_no_conflict, make_council
from tests.councils.test_ballot import prepare

MEMBERS = 30
PG_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="xmin, ctid and VACUUM are PostgreSQL's"
)
SQLITE_ONLY = pytest.mark.skipif(connection.vendor != "sqlite", reason="the database file is SQLite's")
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pattern(i: int, n: int) -> str:
    """Member i's choice on the n-th dossier: a pattern no shuffle of 30 ballots reproduces by chance."""
    return "agree" if (i * (n + 2)) % 7 < 3 else "disagree"


def vote_in_a_known_order(dossiers: int = 2):
    council, voters, secretary = make_council(MEMBERS)
    session, items = prepare(council, voters, secretary, present=voters, dossiers=dossiers)
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, items, voters)  # no ballot without a declaration
    cast = []  # (dossier id, choice) in the order cast
    for i, member in enumerate(voters):
        for n, dossier in enumerate(items):
            ballot_cast(session=session, dossier=dossier, choice=pattern(i, n), by=member.user)
            cast.append((dossier.pk, pattern(i, n)))
    return session, secretary, cast


def participations_in_order(session, order_by: str) -> list:
    table = BallotParticipation._meta.db_table
    with connection.cursor() as cursor:
        sql = f"SELECT dossier_id FROM {table} WHERE session_id = %s ORDER BY {order_by}"  # noqa: S608
        cursor.execute(sql, [session.pk])
        return [row[0] for row in cursor.fetchall()]


def ballots_in_order(session, order_by: str) -> list:
    table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        sql = f"SELECT dossier_id, choice FROM {table} WHERE session_id = %s ORDER BY {order_by}"  # noqa: S608
        cursor.execute(sql, [session.pk])
        return [tuple(row) for row in cursor.fetchall()]


def physical() -> str:
    return "ctid" if connection.vendor == "postgresql" else "rowid"


@transactional
def test_no_order_of_the_stored_ballots_reproduces_the_order_they_were_cast_in():
    session, secretary, cast = vote_in_a_known_order()
    ballot_close(session=session, by=secretary.user)
    # the participations keep the order of casting (that is not secret: who voted is on the minutes)
    assert participations_in_order(session, "id") == [dossier for dossier, _ in cast]
    assert sorted(ballots_in_order(session, "id")) == sorted(cast)  # every ballot, once
    for order in (physical(), "id"):
        stored = ballots_in_order(session, order)
        assert stored != cast, order
        for dossier in {d for d, _ in cast}:  # nor on any one dossier, member after member
            assert [c for d, c in stored if d == dossier] != [c for d, c in cast if d == dossier], order


@PG_ONLY
@transactional
def test_no_ballot_shares_a_transaction_id_with_a_participation_and_the_box_leaves_no_dead_rows(caplog):
    session, secretary, cast = vote_in_a_known_order()
    ballot_close(session=session, by=secretary.user)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT xmin::text FROM {BallotParticipation._meta.db_table} WHERE session_id = %s",  # noqa: S608
            [session.pk],
        )
        participation_xids = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT xmin::text FROM {Ballot._meta.db_table} WHERE session_id = %s", [session.pk])  # noqa: S608
        ballot_xids = {row[0] for row in cursor.fetchall()}
        assert len(participation_xids) == len(cast)  # one transaction per ballot cast
        assert len(ballot_xids) == 1  # every ballot written by the close
        assert not participation_xids & ballot_xids
        # The join an administrator would try pairs nothing.
        cursor.execute(
            f"SELECT count(*) FROM {Ballot._meta.db_table} b JOIN {BallotParticipation._meta.db_table} p "  # noqa: S608
            "ON b.xmin = p.xmin"
        )
        assert cursor.fetchone()[0] == 0
    # The sealed box and its key were rewritten away after the commit (VACUUM FULL): not a page is left,
    # so no dead version of a sealed ballot or of the key remains in the tables' files. A transaction
    # older than the close, in any database of this shared server (another test run's), makes VACUUM
    # FULL keep them: then the close says so in the log and the periodic sweep removes them once that
    # transaction has ended.
    assert not SealedBallot.objects.exists() and not BallotBoxKey.objects.exists()
    if box_pages():
        assert "dead rows kept for an older transaction" in caplog.text
        deadline = time.monotonic() + 300
        while not purge_sealed_box() and time.monotonic() < deadline:
            time.sleep(2)
    assert box_pages() == 0


def box_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_relation_size(name)) FROM unnest(%s::text[]) AS name",
            [[SealedBallot._meta.db_table, BallotBoxKey._meta.db_table]],
        )
        return cursor.fetchone()[0]


@SQLITE_ONLY
@transactional
def test_the_database_file_keeps_no_trace_of_the_box_after_the_close():
    session, secretary, _cast = vote_in_a_known_order(dossiers=1)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1  # deleted rows are overwritten with zeros
    boxes = [bytes(b) for b in SealedBallot.objects.values_list("box", flat=True)]
    salt = bytes(BallotBoxKey.objects.get(session=session).salt)
    database = Path(connection.settings_dict["NAME"])
    files = [database, database.with_name(database.name + "-wal")]
    assert any(boxes[0] in f.read_bytes() for f in files if f.exists())  # the search does find them
    ballot_close(session=session, by=secretary.user)
    stored = b"".join(f.read_bytes() for f in files if f.exists())
    assert salt not in stored
    assert not [box for box in boxes if box in stored]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_purge_command_empties_the_box_after_a_close(capsys):
    """`manage.py purge_sealed_box` (the owner's cron job where ballots overlap) finishes the clean-up."""
    from django.core.management import call_command

    session, secretary, _cast = vote_in_a_known_order(dossiers=1)
    ballot_close(session=session, by=secretary.user)
    call_command("purge_sealed_box")
    assert "purged" in capsys.readouterr().out
    assert not SealedBallot.objects.exists() and not BallotBoxKey.objects.exists()
