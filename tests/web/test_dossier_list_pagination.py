"""The dossier list is paginated (50 a page), so that the ministry's list costs the same at any size."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_list_shows_fifty_a_page(client, settings):
    clerk = f.user("ministry_clerk", f.ministry())
    client.force_login(clerk)
    for _ in range(51):
        f.dossier("01")
    first = client.get("/ho-so/")
    assert len(first.context["dossiers"]) == 50
    assert "?trang=2" in first.content.decode()
    second = client.get("/ho-so/?trang=2")
    assert len(second.context["dossiers"]) == 1
    assert set(first.context["dossiers"]).isdisjoint(second.context["dossiers"])
