"""The inbox is paginated (LIST_PAGE_SIZE a page) like the other lists; choice labels come from a table
translated once per language and show what get_FOO_display shows."""

import pytest
from django.utils import translation

from dossiers.models import DossierState
from tests import factories as f
from tests.workflows.conftest import set_state
from web.templatetags.labels import label
from workflows.services import dossier_submit

pytestmark = pytest.mark.django_db


def test_the_inbox_shows_a_page_at_a_time(client, settings):
    settings.LIST_PAGE_SIZE = 10
    officer = f.officer("01")
    client.force_login(officer)
    for _ in range(11):
        dossier_submit(dossier=f.dossier("01"), by=officer)
    first = client.get("/ho-so/viec-can-lam/")
    assert len(first.context["items"]) == 10
    assert "?trang=2" in first.content.decode()
    second = client.get("/ho-so/viec-can-lam/?trang=2")
    assert len(second.context["items"]) == 1
    seen = {i.dossier.pk for i in first.context["items"]}
    assert second.context["items"][0].dossier.pk not in seen


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_label_filter_shows_what_get_display_shows(language):
    dossier = set_state(f.dossier("01"), DossierState.SUBMITTED)
    with translation.override(language):
        assert label(dossier, "state") == dossier.get_state_display()
        assert label(dossier, "title") == dossier.get_title_display()
        dossier.title = "no-such-title"
        assert label(dossier, "title") == dossier.get_title_display() == "no-such-title"
