"""The dossier list is paginated (LIST_PAGE_SIZE, 25 a page): the ministry's list costs the same always."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_list_shows_a_page_at_a_time(client, settings):
    assert settings.LIST_PAGE_SIZE == 25
    clerk = f.user("ministry_clerk", f.ministry())
    client.force_login(clerk)
    for _ in range(26):
        f.dossier("01")
    first = client.get("/ho-so/")
    assert len(first.context["dossiers"]) == 25
    assert "?trang=2" in first.content.decode()
    second = client.get("/ho-so/?trang=2")
    assert len(second.context["dossiers"]) == 1
    assert {row.pk for row in first.context["dossiers"]}.isdisjoint(
        row.pk for row in second.context["dossiers"]
    )
