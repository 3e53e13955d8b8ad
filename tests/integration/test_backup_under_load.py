"""A backup taken while officers work restores and verifies: the manifest's counts, the dump and the files
archived come from one snapshot. Steps are taken in parallel threads (each with its own database
connection) for the whole time the backup runs, on SQLite in `make test` and on PostgreSQL in CI."""

import json
import threading
import time
from datetime import date

import pytest
from django.core.management import call_command
from django.db import OperationalError, connections

from core import backup as backup_module
from tests.integration.test_backup_restore import EmptyDatabase, manage
from tests.workflows.conftest import complete_eligible_dossier
from workflows.models import AuditEntry

NAMES_SCRIPT = """
import json
from django.db import connection
from core.backup import referenced_media

def query(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()

print(json.dumps(sorted(referenced_media(query))))
"""


def _take_steps(dossier_ids, officer_id, stop, done, errors):
    """Submit each dossier, then return it for supplement and record the supplement, again and again
    until told to stop: every step writes its audit entry and events, and the supplement letter's file."""
    from accounts.models import User
    from dossiers.models import Dossier
    from workflows import services as wf

    def step(pk, name, **data):
        try:
            wf.dossier_transition(name=name, dossier=Dossier.objects.get(pk=pk), by=officer, **data)
            done.append((pk, name))
        except OperationalError as exc:  # SQLite's writer lock under contention: not a backup fault
            errors.append(str(exc))

    try:
        officer = User.objects.get(pk=officer_id)
        for pk in dossier_ids:
            step(pk, "submit")
        while not stop.is_set():
            for pk in dossier_ids:
                state = Dossier.objects.values_list("state", flat=True).get(pk=pk)
                if state == "submitted":
                    step(pk, "return_for_supplement", reason="Thiếu bản khai", on=date(2025, 9, 25))
                else:
                    step(pk, "resubmit", on=date(2025, 10, 5))
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_taken_while_steps_commit_restores_and_verifies(tmp_path, monkeypatch):
    dossiers, officer = [], None
    for _ in range(6):
        dossier, officer = complete_eligible_dossier("01")
        dossiers.append(dossier.pk)
    stop, done, errors = threading.Event(), [], []
    threads = [
        threading.Thread(target=_take_steps, args=(dossiers[i::3], officer.pk, stop, done, errors))
        for i in range(3)
    ]
    # The backup reads the files its rows point to after it has copied the database: hold it there
    # until more steps have committed, so that rows, documents and files certainly change in between.
    read_names = backup_module.referenced_media

    def read_names_after_more_steps(query):
        target = len(done) + 6
        deadline = time.monotonic() + 60
        while len(done) < target and time.monotonic() < deadline and not errors:
            time.sleep(0.05)
        return read_names(query)

    monkeypatch.setattr(backup_module, "referenced_media", read_names_after_more_steps)
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while len(done) < 12 and time.monotonic() < deadline and not errors:
            time.sleep(0.05)
        before = len(done)
        call_command("backup", str(tmp_path / "backup"))
        during = len(done) - before
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert not [e for e in errors if "locked" not in e], errors
    assert during > 0, "no step committed while the backup ran: this run proves nothing"
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["workflows_auditentry"] < AuditEntry.objects.count()
    assert any(name.startswith("documents/") for name in manifest["files"])

    with EmptyDatabase(tmp_path) as empty:
        restored = manage(empty.urls, tmp_path / "restored-media", "restore", str(tmp_path / "backup"))
        assert restored.returncode == 0, restored.stderr
        assert "Restored and verified" in restored.stdout
        # exactly the files the restored rows point to: none missing, none extra (written after the snapshot)
        listed = manage(empty.urls, tmp_path / "restored-media", "shell", "-c", NAMES_SCRIPT)
        assert listed.returncode == 0, listed.stderr
        referenced = set(json.loads(listed.stdout.strip().splitlines()[-1]))
    assert referenced == set(manifest["files"]) | set(manifest["missing_files"])
    assert not any(name.startswith("documents/") for name in manifest["missing_files"])
