"""`__any_of` finds what `__in` finds, with the list sent as one parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds():
    dossiers = [f.dossier("01") for _ in range(3)]
    wanted = [dossiers[0].pk, dossiers[2].pk, 10**9]
    assert set(Dossier.objects.filter(pk__any_of=wanted)) == set(Dossier.objects.filter(pk__in=wanted))
    assert set(Dossier.objects.filter(pk__any_of=wanted)) == {dossiers[0], dossiers[2]}
    assert not Dossier.objects.filter(pk__any_of=[]).exists()
    assert Dossier.objects.exclude(pk__any_of=[]).count() == 3
    assert list(Dossier.objects.filter(state__any_of=["submitted", dossiers[1].state])) != []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array parameter is PostgreSQL's")
def test_a_long_list_is_one_parameter_on_postgresql():
    f.dossier("01")
    with CaptureQueriesContext(connection) as ctx:
        assert Dossier.objects.filter(pk__any_of=list(range(1, 5001))).count() == 1
    sql = ctx.captured_queries[-1]["sql"]
    assert "= ANY(" in sql and " IN (" not in sql  # one array, no placeholder per value
