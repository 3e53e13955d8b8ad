"""The inbox is paginated (LIST_PAGE_SIZE a page) like the other lists; choice labels come from a table
translated once per language and show what get_FOO_display shows."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from dossiers.models import DossierState
from tests import factories as f
from tests.workflows.conftest import set_state
from web.templatetags.labels import label
from workflows.selectors import inbox_of
from workflows.services import dossier_transition

pytestmark = pytest.mark.django_db


def test_the_inbox_shows_a_page_at_a_time(client, settings):
    settings.LIST_PAGE_SIZE = 10
    officer = f.officer("01")
    client.force_login(officer)
    for _ in range(11):
        dossier_transition(name="submit", dossier=f.dossier("01"), by=officer)
    first = client.get("/ho-so/viec-can-lam/")
    assert len(first.context["items"]) == 10
    assert "?trang=2" in first.content.decode()
    second = client.get("/ho-so/viec-can-lam/?trang=2")
    assert len(second.context["items"]) == 1
    seen = {i.dossier.pk for i in first.context["items"]}
    assert second.context["items"][0].dossier.pk not in seen


def test_an_overdue_task_comes_first_whatever_page_its_dossier_would_fall_on(client, settings):
    settings.LIST_PAGE_SIZE = 10
    officer = f.officer("01")
    client.force_login(officer)
    today = timezone.localdate()
    for _ in range(11):
        dossier_transition(name="submit", dossier=f.dossier("01", received_on=today), by=officer)
    late = f.dossier("01", received_on=today - timedelta(days=400))  # its step is long overdue
    dossier_transition(name="submit", dossier=late, by=officer)
    first = client.get("/ho-so/viec-can-lam/").context["items"]
    assert first[0].dossier == late and first[0].overdue
    assert not any(item.overdue for item in first[1:])
    second = client.get("/ho-so/viec-can-lam/?trang=2").context["items"]
    assert len(second) == 2 and late not in [i.dossier for i in second]


def test_a_part_of_the_inbox_loads_only_its_own_tasks(django_assert_num_queries):
    officer = f.officer("01")
    for _ in range(30):
        dossier_transition(name="submit", dossier=f.dossier("01"), by=officer)
    inbox = inbox_of(officer)
    assert len(inbox) == 30
    whole = [item.dossier.pk for item in inbox]
    with django_assert_num_queries(2):  # the part's tasks, then its dossiers: not one per item
        part = inbox[5:15]
    assert [item.dossier.pk for item in part] == whole[5:15]
    assert inbox[-1].dossier.pk == whole[-1]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_label_filter_shows_what_get_display_shows(language):
    dossier = set_state(f.dossier("01"), DossierState.SUBMITTED)
    with translation.override(language):
        assert label(dossier, "state") == dossier.get_state_display()
        assert label(dossier, "title") == dossier.get_title_display()
        dossier.title = "no-such-title"
        assert label(dossier, "title") == dossier.get_title_display() == "no-such-title"


def test_the_inbox_is_searched_like_the_dossier_list_and_its_pages_keep_the_search(client, settings):
    from dossiers.models import Artisan

    settings.LIST_PAGE_SIZE = 2
    officer = f.officer("01")
    client.force_login(officer)
    wanted = []
    for i in range(5):
        dossier = f.dossier("01")
        name = f"Phạm Thị Hồng {i}" if i < 3 else f"Lê Văn Bình {i}"
        artisan = Artisan.objects.get(pk=dossier.artisan_id)
        artisan.full_name = name
        artisan.save()  # the dossier's folded search column follows the name
        dossier_transition(name="submit", dossier=dossier, by=officer)
        if i < 3:
            wanted.append(dossier.pk)
    first = client.get("/ho-so/viec-can-lam/", {"q": "pham hong"})
    assert {i.dossier.pk for i in first.context["items"]} <= set(wanted)
    assert "q=pham+hong&amp;trang=2" in first.content.decode()  # the next page keeps the search
    second = client.get("/ho-so/viec-can-lam/", {"q": "pham hong", "trang": 2})
    found = {i.dossier.pk for i in first.context["items"]} | {i.dossier.pk for i in second.context["items"]}
    assert found == set(wanted)
    assert 'value="pham hong"' in first.content.decode()
