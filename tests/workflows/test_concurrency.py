"""20 clients attempting the same transition at once: exactly one succeeds, one audit entry, the others
get a clean "already changed" refusal. Runs on SQLite in `make test` and on PostgreSQL in CI."""

import threading

import pytest
from django.db import connection, connections

from dossiers.models import Dossier, DossierState
from tests import factories as f
from workflows.models import AuditEntry
from workflows.services import StaleTransition, dossier_transition
from workflows.transitions import DossierFlow

THREADS = 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_parallel_attempts_make_one_transition():
    dossier = f.dossier("01")
    officer = f.officer("01")
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt():
        seen = DossierFlow.objects.get(pk=dossier.pk)  # every client saw the dossier as a draft
        barrier.wait()
        try:
            dossier_transition(name="submit", dossier=seen, by=officer)
            result = "ok"
        except StaleTransition:
            result = "stale"
        except Exception as exc:  # anything else is a failure of the test
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == ["ok"] + ["stale"] * (THREADS - 1), (connection.vendor, outcomes)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED
    assert AuditEntry.objects.filter(dossier_id=dossier.pk).count() == 1
