"""`manage.py backup` and `manage.py restore`: a restore into an empty database finds every dossier,
ballot, audit entry and document (with its file), on SQLite in `make test` and on PostgreSQL in CI."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from councils.models import Ballot
from documents.models import GeneratedDocument
from documents.services import document_generate
from dossiers.models import Dossier
from tests import database_roles
from workflows.models import AuditEntry

ROOT = Path(__file__).resolve().parent.parent.parent

COUNT_SCRIPT = """
import json
from councils.models import Ballot
from documents.models import GeneratedDocument
from documents import storage
from dossiers.models import Dossier
from workflows.models import AuditEntry
documents = list(GeneratedDocument.objects.filter(status="done"))
print(json.dumps({
    "dossiers": sorted(Dossier.objects.values_list("pk", "state")),
    "ballots": Ballot.objects.count(),
    "audit": AuditEntry.objects.count(),
    "documents": len(documents),
    "files_intact": all(storage.sha256_of(d.file_name) == d.sha256 for d in documents),
}))
"""


def a_round_with_everything():
    """A dossier submitted (its declaration built), and a council session that voted (ballots, tally,
    minutes and count, built)."""
    from councils.services import ballot_cast, session_agenda_add, session_attendance_record
    from tests.councils.conftest import declare_no_conflict, make_council, make_session
    from tests.workflows.conftest import complete_eligible_dossier
    from workflows import services as wf

    dossier, officer = complete_eligible_dossier("01")
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    council, voters, secretary = make_council(9)
    session, agenda = make_session(council, dossiers=2)
    session_agenda_add(session=session, dossiers=agenda, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    wf.council_ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, agenda, voters)
    for item in agenda:
        for member in voters:
            ballot_cast(session=session, dossier=item, choice="agree", by=member.user)
    wf.council_ballot_close(session=session, by=secretary.user)
    for pk in GeneratedDocument.objects.values_list("pk", flat=True):
        document_generate(document_id=pk)


def expected_counts():
    from documents import storage

    documents = list(GeneratedDocument.objects.filter(status="done"))
    return {
        "dossiers": sorted([list(x) for x in Dossier.objects.values_list("pk", "state")]),
        "ballots": Ballot.objects.count(),
        "audit": AuditEntry.objects.count(),
        "documents": len(documents),
        "files_intact": all(storage.sha256_of(d.file_name) == d.sha256 for d in documents),
    }


class EmptyDatabase:
    """A new, empty database of the same engine as the test database, created and dropped by the owner;
    `urls` are its DATABASE_URL (the application role) and DATABASE_MIGRATE_URL (the owner)."""

    def __init__(self, tmp_path: Path):
        self.name = f"nghenhan_restore_{uuid.uuid4().hex[:10]}"
        if connection.vendor == "postgresql":
            self.urls = database_roles.urls({**connection.settings_dict, "NAME": self.name})
        else:
            self.urls = database_roles.urls(
                {**connection.settings_dict, "NAME": str(tmp_path / (self.name + ".sqlite3"))}
            )

    def __enter__(self):
        if connection.vendor == "postgresql":
            with database_roles.as_owner(connection), connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            with database_roles.as_owner(connection), connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def manage(database_urls: dict[str, str], media_root: Path, *args: str) -> subprocess.CompletedProcess:
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "localhost",
        **database_urls,
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_an_empty_database_has_every_dossier_ballot_audit_entry_and_document(tmp_path):
    a_round_with_everything()
    expected = expected_counts()
    assert expected["ballots"] == 18 and expected["documents"] >= 4 and expected["files_intact"]
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["councils_ballot"] == 18 and manifest["files"]
    # the ballot is closed: the backup holds the ballots, not the sealed box nor its key
    assert manifest["tables"]["councils_sealedballot"] == manifest["tables"]["councils_ballotboxkey"] == 0

    with EmptyDatabase(tmp_path) as empty:
        media = tmp_path / "restored-media"
        restored = manage(empty.urls, media, "restore", str(tmp_path / "backup"))
        assert restored.returncode == 0, restored.stderr
        assert "Restored and verified" in restored.stdout
        counted = manage(empty.urls, media, "shell", "-c", COUNT_SCRIPT)
        assert counted.returncode == 0, counted.stderr
        assert json.loads(counted.stdout.strip().splitlines()[-1]) == expected

        again = manage(empty.urls, media, "restore", str(tmp_path / "backup"))  # not empty any more
        assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # a backup runs outside a transaction
def test_a_backup_refuses_a_folder_that_is_not_empty_and_a_restore_a_database_that_is_not(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "full"))
    call_command("backup", str(tmp_path / "ok"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "ok"))
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path / "full"))
