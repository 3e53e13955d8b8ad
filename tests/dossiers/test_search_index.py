"""On PostgreSQL the searches of the dossier list and of the registry are served by trigram indexes:
without one, every search reads every row of the table."""

import pytest
from django.db import connection

from dossiers.models import Conferral, Dossier
from dossiers.registry_selectors import registry_filter
from dossiers.selectors import dossier_filter
from tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's"),
]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A table of a few rows: the planner would read them all, or walk the whole of the index that
        # gives the list's order. With both paths priced out, what is left is a scan driven by an index
        # that answers the condition itself, or, if none does, the penalised sequential scan.
        for path in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {path} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "model, condition, index",
    [
        (Dossier, dossier_filter(q="Phạm Hồng"), "dossiers_dossier_search_trgm"),
        (Conferral, registry_filter(q="Phạm Hồng"), "dossiers_conferral_search_trgm"),
    ],
)
def test_a_search_can_use_the_trigram_index(model, condition, index):
    f.dossier("01")
    plan = _plan(model.objects.filter(condition).values("pk"))
    assert index in plan, plan
