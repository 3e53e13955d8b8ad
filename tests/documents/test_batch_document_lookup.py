"""A step that declares no batch document looks nothing up for it; one that does loads its dossiers
once, with what the documents read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from workflows.document_requests import batch_documents
from workflows.transitions import step_of

pytestmark = pytest.mark.django_db


def test_a_step_without_batch_documents_runs_no_query_for_them():
    dossier = f.dossier("01")
    assert step_of("record_provincial_pass").batch_documents == ()  # most steps declare none
    with CaptureQueriesContext(connection) as queries:
        assert batch_documents(step_of("record_provincial_pass").batch_documents, [dossier.pk], by=None) == []
    assert len(queries) == 0


def test_the_batch_documents_read_the_dossiers_loaded_once():
    dossiers = [f.dossier("01") for _ in range(3)]
    seen = []

    def request(loaded, *, by):
        with CaptureQueriesContext(connection) as inside:
            seen.extend(
                (x.artisan.craft.name, x.province.name, x.round.number, x.receiving_agency.name)
                for x in loaded
            )
        assert len(inside) == 0  # nothing the documents read is fetched again, dossier by dossier
        return []

    with CaptureQueriesContext(connection) as queries:
        batch_documents((request,), [x.pk for x in dossiers], by=None)
    assert len(queries) == 1 and len(seen) == 3
