"""What one step costs the request that takes it: its statements, all in one transaction. The step's
consequences (the dossier, the inbox task, the audit entry, the notices) are written with a handful of
statements; the rest are the step's own guard reads (admission checks the dossier's evidence)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import EventRecord
from workflows import services as wf


def _statements(queries) -> list[str]:
    # the test's own transaction wraps the step in a savepoint; a request's step is BEGIN … COMMIT
    return [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.django_db
def test_a_step_is_seventeen_statements_with_its_notices_in_one_insert(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    with CaptureQueriesContext(connection) as queries:
        wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    statements = _statements(queries.captured_queries)
    # 16, and the admission's look for the declaration (built here when the receipt had no evidence)
    assert len(statements) <= 17, statements
    assert sum("documents_generateddocument" in s for s in statements) == 1
    # one statement for every notice of the step: the state change and the new task's assignment
    inserts = [s for s in statements if s.startswith('INSERT INTO "notifications_eventrecord"')]
    assert len(inserts) == 1
    assert set(EventRecord.objects.filter(dossier=dossier).values_list("type", flat=True)) >= {
        "dossier_state_changed",
        "task_assigned",
    }
    # the round's rules (the new task's deadline, the guards) are read once for the whole step
    assert sum("dossiers_roundruleoverride" in s for s in statements) == 1  # the rules' cache key
    # no savepoint inside the step: nothing in it is tried and undone
    assert not [q for q in queries.captured_queries[1:-1] if "SAVEPOINT" in q["sql"]]


@pytest.mark.django_db
def test_the_step_notices_name_the_artisan_without_reading_it_again(ready):
    dossier, officer = ready
    with CaptureQueriesContext(connection) as queries:
        wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    assert not [
        q
        for q in queries.captured_queries
        if 'FROM "dossiers_artisan"' in q["sql"].split("WHERE")[0]
        and "full_name" in q["sql"]
        and "dossiers_dossier" not in q["sql"]
    ]
    names = set(EventRecord.objects.filter(dossier=dossier).values_list("data__artisan_name", flat=True))
    assert names == {dossier.artisan.full_name}


@pytest.mark.django_db
def test_a_step_with_a_document_reads_the_evidence_once_and_writes_each_table_once(ready):
    """Submitting requests the declaration: the dossier's joined rows come with the lock, each kind of
    evidence in one query (an award with its work), the sensitive reads and the document's links in one
    insert each; 16 statements in all, the new process and its first task included."""
    dossier, officer = ready
    with CaptureQueriesContext(connection) as queries:
        wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    statements = [s for s in _statements(queries.captured_queries) if "django_content_type" not in s]
    assert len(statements) <= 16, statements
    heads = [s.split("WHERE")[0] for s in statements]
    for table in ("dossiers_dossier", "dossiers_work", "dossiers_award", "accounts_administrativeunit"):
        assert sum(f'FROM "{table}"' in h for h in heads) <= 1, table
    assert not [h for h in heads if 'FROM "dossiers_attachment"' in h]  # not part of the declaration
    for table in ("dossiers_sensitivedataaccess", "documents_generateddocument_dossiers"):
        assert sum(s.startswith(f'INSERT INTO "{table}"') for s in statements) == 1, table
    assert not [s for s in statements if s.startswith("SAVEPOINT")]
