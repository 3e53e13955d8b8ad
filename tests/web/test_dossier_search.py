"""The dossier list's search (tone-insensitive, by name, code or craft) and filters: bookmarkable GET
parameters that only ever narrow the user's read scope, at a constant number of queries."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier, DossierState
from dossiers.selectors import dossier_filter, dossiers_visible_to
from tests import factories as f
from tests.workflows.conftest import set_state

pytestmark = pytest.mark.django_db


def listed(client, **params) -> set[int]:
    response = client.get("/ho-so/", params)
    assert response.status_code == 200
    return {d.pk for d in response.context["dossiers"]}


def named(name: str, code: str = "01", **fields) -> Dossier:
    return f.dossier(code, artisan=f.artisan(code, full_name=name), **fields)


@pytest.fixture
def clerk_client(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))
    return client


@pytest.mark.parametrize(
    "q", ["pham thi hong", "Phạm Thị Hồng", "PHAM THI HONG", "hồng", "pham hong", "  Pham   Thi  "]
)
def test_search_ignores_tones_case_and_word_order(officer_client, q):
    hong = named("Phạm Thị Hồng")
    named("Nguyễn Văn An")
    assert listed(officer_client, q=q) == {hong.pk}


def test_dang_finds_the_letter_d_with_a_stroke(officer_client):
    dang = named("Đặng Văn Minh")
    named("Lê Thị Dung")
    assert listed(officer_client, q="dang") == {dang.pk}
    assert listed(officer_client, q="ĐẶNG") == {dang.pk}


def test_search_by_the_dossier_code(officer_client):
    first, second = named("Phạm Thị Hồng"), named("Phạm Thị Hồng")
    assert listed(officer_client, q=second.code) == {second.pk}
    assert listed(officer_client, q=first.code.lower()) == {first.pk}


def test_search_by_craft(officer_client):
    dossier = named("Phạm Thị Hồng")
    craft = dossier.artisan.craft.name
    assert listed(officer_client, q=craft.upper()) == {dossier.pk}


def test_no_match_says_so(officer_client):
    named("Phạm Thị Hồng")
    response = officer_client.get("/ho-so/", {"q": "khong ai ca"})
    assert list(response.context["dossiers"]) == []
    assert "Không có hồ sơ nào khớp với tìm kiếm." in response.content.decode()


class TableRows(HTMLParser):
    """The text of each cell of each row of the page's tables, by the column's header."""

    def __init__(self):
        super().__init__()
        self.headers, self.rows, self.cell, self.row = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append((tag, " ".join("".join(self.cell).split())))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if all(kind == "th" for kind, _text in self.row):
                self.headers = [text for _kind, text in self.row]
            else:
                self.rows.append(dict(zip(self.headers, (text for _kind, text in self.row), strict=False)))
            self.row = None


def test_code_and_state_are_shown_in_the_list_and_the_code_on_the_detail_page(officer_client):
    submitted = set_state(named("Phạm Thị Hồng"), DossierState.SUBMITTED)
    admitted = set_state(named("Nguyễn Văn An"), DossierState.ADMITTED)
    table = TableRows()
    table.feed(officer_client.get("/ho-so/").content.decode())
    by_code = {row["Mã hồ sơ"]: row for row in table.rows}
    # each dossier's own row says its state, in the column headed so
    assert by_code[submitted.code]["Trạng thái"] == "đã nộp Sở Công Thương"
    assert by_code[admitted.code]["Trạng thái"] == "đã tiếp nhận hợp lệ"
    assert submitted.code in officer_client.get(f"/ho-so/{submitted.pk}/").content.decode()


def test_filters_combine(clerk_client):
    round7 = f.round_(7)
    match = set_state(named("Phạm Thị Hồng", "31", title="peoples", round=round7), DossierState.SUBMITTED)
    set_state(named("Phạm Thị Hồng", "31", title="excellent", round=round7), DossierState.SUBMITTED)
    set_state(named("Phạm Thị Hồng", "01", title="peoples", round=round7), DossierState.SUBMITTED)
    set_state(named("Phạm Thị Hồng", "31", title="peoples"), DossierState.SUBMITTED)  # round 6
    named("Phạm Thị Hồng", "31", title="peoples", round=round7)  # draft
    params = {
        "q": "hong",
        "round": round7.pk,
        "title": "peoples",
        "state": DossierState.SUBMITTED,
        "province": f.province("31").pk,
        "posthumous": "0",
    }
    assert listed(clerk_client, **params) == {match.pk}
    assert listed(clerk_client, **{**params, "posthumous": "1"}) == set()
    assert len(listed(clerk_client, q="hong")) == 5


def test_posthumous_filter(clerk_client):
    alive = named("Phạm Thị Hồng")
    dead_artisan = f.artisan("01", is_deceased=True, date_of_death=date(2024, 1, 1))
    dead = f.dossier("01", artisan=dead_artisan, posthumous=True)
    assert listed(clerk_client, posthumous="1") == {dead.pk}
    assert listed(clerk_client, posthumous="0") == {alive.pk}


def test_filtered_list_is_bookmarkable_and_pages_keep_the_filters(clerk_client, settings):
    for _ in range(3):
        named("Phạm Thị Hồng")
    named("Nguyễn Văn An")
    settings.LIST_PAGE_SIZE = 2
    response = clerk_client.get("/ho-so/", {"q": "hong"})
    assert response.context["page"].paginator.count == 3
    assert "q=hong&amp;trang=2" in response.content.decode()
    assert len(listed(clerk_client, q="hong", trang=2)) == 1


def test_invalid_filter_values_are_ignored(clerk_client):
    dossier = named("Phạm Thị Hồng")
    assert listed(clerk_client, round="abc", state="nope", title="x") == {dossier.pk}


def test_officer_never_finds_another_provinces_dossier(officer_client):
    mine = named("Phạm Thị Hồng", "01")
    theirs = named("Phạm Thị Hồng", "31")
    assert listed(officer_client, q="pham thi hong") == {mine.pk}
    assert listed(officer_client, q=theirs.code) == set()
    # a province in the URL only narrows: it never opens another province
    assert listed(officer_client, province=f.province("31").pk) == set()
    assert listed(officer_client, q="hong", province=f.province("31").pk) == set()
    # and the selector itself stays within the scope
    scope = dossiers_visible_to(officer_client.officer).filter(dossier_filter(q=theirs.code))
    assert not scope.exists()


def test_province_filter_is_offered_only_to_who_sees_several_provinces(client):
    named("Phạm Thị Hồng", "01")
    named("Phạm Thị Hồng", "31")
    client.force_login(f.officer("01"))
    assert "province" not in client.get("/ho-so/").context["form"].fields
    client.force_login(f.user("ministry_clerk", f.ministry()))
    form = client.get("/ho-so/").context["form"]
    choices = form.fields["province"].widget.choices
    assert {pk for pk, _label in choices[1:]} == {f.province("01").pk, f.province("31").pk}


def count_queries(client, params) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/ho-so/", params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params", [{}, {"q": "hong", "title": "excellent", "state": "draft", "posthumous": "0", "round": 1}]
)
def test_queries_are_the_same_for_one_row_and_many(clerk_client, params):
    named("Phạm Thị Hồng", "01")
    clerk_client.get("/ho-so/", params)  # warm-up of one-time caches
    one = count_queries(clerk_client, params)
    for code in ("01", "31", "48", "79", "31", "01", "48"):
        named("Phạm Thị Hồng", code, round=f.round_(7))
        named("Phạm Thị Hồng", code)
    assert count_queries(clerk_client, params) == one


def test_a_cccd_finds_its_dossier_exactly_and_only_for_those_who_may_see_the_number(client, caplog):
    import logging

    from dossiers.models import Artisan

    mine = f.dossier("01")
    other = f.dossier("01")
    number = mine.artisan.cccd
    assert Artisan.objects.with_cccd(number).get() == mine.artisan  # the blind index is set
    spaced = f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}"
    officer = f.officer("01")
    client.force_login(officer)
    with caplog.at_level(logging.INFO):
        page = client.get("/ho-so/", {"q": spaced}).content.decode()
    assert f"/ho-so/{mine.pk}/" in page and f"/ho-so/{other.pk}/" not in page
    assert number not in page  # found by the number, which the list never shows
    assert number not in caplog.text and "dossier_search_by_cccd" in caplog.text
    # one digit off: nothing (an exact match, never a partial one)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert f"/ho-so/{mine.pk}/" not in client.get("/ho-so/", {"q": wrong}).content.decode()
    # another province's officer: out of scope, found nowhere
    client.force_login(f.officer("31"))
    assert f"/ho-so/{mine.pk}/" not in client.get("/ho-so/", {"q": number}).content.decode()
    # a council member who sees the dossier on an agenda may not look a person up by their number
    client.force_login(f.user("ministry_leader", f.ministry()))
    page = client.get("/ho-so/", {"q": number}).content.decode()
    assert f"/ho-so/{mine.pk}/" not in page
    assert f"/ho-so/{mine.pk}/" in client.get("/ho-so/").content.decode()  # the leader sees it otherwise
    # the ministry's clerk may
    client.force_login(f.user("ministry_clerk", f.ministry()))
    assert f"/ho-so/{mine.pk}/" in client.get("/ho-so/", {"q": number}).content.decode()


def test_a_user_saves_a_search_by_name_and_comes_back_to_it(client):
    from accounts.models import SavedFilter

    officer = f.officer("01")
    hong = f.dossier("01")
    client.force_login(officer)
    page = client.get("/ho-so/", {"q": "nguyen", "state": "draft"}).content.decode()
    assert 'action="/ho-so/bo-loc/"' in page and 'name="q" value="nguyen"' in page
    response = client.post(
        "/ho-so/bo-loc/", {"q": "nguyen", "state": "draft", "trang": "3", "name": "  Hồ sơ nháp  "}
    )
    saved = SavedFilter.objects.get(user=officer)
    assert saved.name == "Hồ sơ nháp" and saved.query == "q=nguyen&state=draft"  # no page number kept
    assert response["Location"] == "/ho-so/?q=nguyen&state=draft"
    listing = client.get("/ho-so/").content.decode()
    assert 'href="/ho-so/?q=nguyen&amp;state=draft">Hồ sơ nháp</a>' in listing
    # the same name replaces; an empty name or nothing to save is refused with a message
    client.post("/ho-so/bo-loc/", {"q": "hong", "name": "Hồ sơ nháp"})
    assert SavedFilter.objects.get(user=officer).query == "q=hong"
    refused = client.post("/ho-so/bo-loc/", {"q": "hong", "name": " "}, follow=True).content.decode()
    assert "Vui lòng đặt tên cho bộ lọc." in refused
    refused = client.post("/ho-so/bo-loc/", {"name": "Trống"}, follow=True).content.decode()
    assert "chưa có gì để lưu" in refused and SavedFilter.objects.count() == 1
    # another user neither sees nor deletes it
    other = f.officer("01")
    client.force_login(other)
    assert "Hồ sơ nháp" not in client.get("/ho-so/").content.decode()
    assert client.post(f"/ho-so/bo-loc/{saved.pk}/xoa/").status_code == 404
    client.force_login(officer)
    client.post(f"/ho-so/bo-loc/{saved.pk}/xoa/")
    assert not SavedFilter.objects.exists()
    assert hong  # the dossier is untouched by all this


def test_a_cccd_is_never_stored_in_a_saved_filter(client):
    from accounts.models import SavedFilter

    dossier = f.dossier("01")
    officer = f.officer("01")
    client.force_login(officer)
    page = client.get("/ho-so/", {"q": dossier.artisan.cccd}).content.decode()
    assert 'action="/ho-so/bo-loc/"' not in page  # nothing else to save: no offer
    client.post("/ho-so/bo-loc/", {"q": dossier.artisan.cccd, "state": "draft", "name": "Tra cứu"})
    assert SavedFilter.objects.get().query == "state=draft"
    assert dossier.artisan.cccd not in str(list(SavedFilter.objects.values_list("query", "name")))


def test_the_craft_filter_offers_the_crafts_in_scope_and_narrows_to_one(client):
    from dossiers.models import Artisan, Craft

    pottery, lacquer = Craft.objects.order_by("pk")[:2]
    one = f.dossier("01")
    two = f.dossier("01")
    Artisan.objects.filter(pk=one.artisan_id).update(craft=pottery)
    Artisan.objects.filter(pk=two.artisan_id).update(craft=lacquer)
    elsewhere = f.dossier("31")
    third = Craft.objects.exclude(pk__in=[pottery.pk, lacquer.pk]).first()
    Artisan.objects.filter(pk=elsewhere.artisan_id).update(craft=third)
    client.force_login(f.officer("01"))
    page = client.get("/ho-so/", {"craft": pottery.pk}).content.decode()
    assert f"/ho-so/{one.pk}/" in page and f"/ho-so/{two.pk}/" not in page
    select = page.split('name="craft"')[1].split("</select>")[0]
    assert pottery.name in select and lacquer.name in select
    assert third.name not in select  # only the crafts of the dossiers one may see
    # another province's dossier stays out, whatever the craft asked
    assert f"/ho-so/{elsewhere.pk}/" not in client.get("/ho-so/", {"craft": third.pk}).content.decode()


def test_the_filters_choices_are_each_round_province_and_craft_once_with_the_matching_count():
    """The facets' one query gives each choice once, however the dossiers combine them, and counts only
    the dossiers the search matches."""
    from django.db.models import Q

    from dossiers.models import Artisan, Craft
    from dossiers.selectors import dossier_list_facets

    pottery, lacquer = Craft.objects.order_by("pk")[:2]
    round7 = f.round_(7)
    made = []
    for code in ("01", "31"):
        for round_ in (f.round_(6), round7):
            for craft in (pottery, lacquer):
                dossier = f.dossier(code, round=round_)
                Artisan.objects.filter(pk=dossier.artisan_id).update(craft=craft)
                made.append(dossier)
    with CaptureQueriesContext(connection) as ctx:
        rounds, provinces, total, crafts = dossier_list_facets(Dossier.objects.all(), Q(round=round7))
    assert len(ctx.captured_queries) == 1
    assert rounds == [(round7.pk, 7), (f.round_(6).pk, 6)]  # newest first
    assert [pk for pk, _name in provinces] == [f.province("01").pk, f.province("31").pk]
    assert sorted(pk for pk, _name in crafts) == sorted([pottery.pk, lacquer.pk])
    assert total == 4  # the round-7 dossiers of both provinces and crafts
    assert dossier_list_facets(Dossier.objects.all(), Q())[2] == len(made)
    assert dossier_list_facets(Dossier.objects.none(), Q()) == ([], [], 0, [])
