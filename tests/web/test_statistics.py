"""The round's statistics page (/bo/thong-ke/): its counts agree with counts made here from the Dossier
rows of a simulated round; pass rates per council level (and "—" where no dossier reached one); days spent
in each state from audit entries at known times; an officer's figures are their province's whatever the
URL says; council members and the public are refused; each figure's sheet reads back; the number of
queries does not grow with the dossiers."""

import io
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils.models import Tally
from demo.simulation import simulate_round
from dossiers.models import Craft, Dossier, DossierState, Round, Title
from tests import factories as f
from tests.workflows.conftest import set_state
from workflows.models import AuditEntry
from workflows.round_statistics import stays_by_state

pytestmark = pytest.mark.django_db

URL = "/bo/thong-ke/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
T0 = datetime(2025, 10, 1, 8, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def clerk():
    return f.user("ministry_clerk", f.ministry())


def entry(dossier, from_state, to_state, at):
    """An audit entry at a known time (inserting is all the audit log allows)."""
    return AuditEntry.objects.create(
        dossier=dossier, transition="test", from_state=from_state, to_state=to_state, at=at
    )


def download(client, **params):
    response = client.get(URL, {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    body = b"".join(response.streaming_content)
    return list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


# --- counts against a simulated round ----------------------------------------------------------------


@pytest.fixture
def simulated():
    f.round_()  # an older round the page must leave out by default
    f.dossier("01")
    report = simulate_round(provinces=2, dossiers_per_province=6, seed=3)
    return Round.objects.get(number=report["round"])


def test_the_counts_of_a_simulated_round_match_its_dossier_rows(client, simulated):
    client.force_login(clerk())
    page = client.get(URL)  # no round chosen: the latest, the simulated one
    assert page.status_code == 200
    assert page.context["form"]["round"].value() == str(simulated.pk)
    counts = page.context["counts"]
    dossiers = Dossier.objects.filter(round=simulated).select_related("province", "artisan__craft")
    by_province = Counter((d.province.name, d.state) for d in dossiers)
    states = counts["states"]
    shown = {
        (row["name"], state.value): n
        for row in counts["provinces"]
        for state, n in zip(states, row["cells"], strict=True)
        if n
    }
    assert shown == dict(by_province)
    assert counts["total"] == dossiers.count() == 12
    by_craft = Counter((d.artisan.craft.name, d.title) for d in dossiers)
    shown = {
        (row["name"], title.value): n
        for row in counts["crafts"]
        for title, n in zip(Title, row["cells"], strict=True)
        if n
    }
    assert shown == dict(by_craft)
    by_title = Counter(d.title for d in dossiers)
    assert [row["total"] for row in counts["titles"]] == [by_title.get(t.value, 0) for t in Title]


def test_the_pass_rates_of_a_simulated_round_match_its_tallies(client, simulated):
    """The audit log's results (what the page reads) agree with the councils' tallies."""
    client.force_login(clerk())
    rates = client.get(URL).context["rates"]
    tallies = Tally.objects.filter(session__council__round=simulated)
    for row, level in zip(rates, ("provincial", "ministerial", "state"), strict=True):
        at_level = tallies.filter(session__council__level=level)
        assert row["reached"] == at_level.count() > 0
        assert row["passed"] == at_level.filter(passed=True).count()
        assert row["failed"] == at_level.filter(passed=False).count()
        assert row["waiting"] == 0
        assert row["rate"] == pytest.approx(100 * row["passed"] / row["reached"])


def test_filters_narrow_the_counts(client, simulated):
    client.force_login(clerk())
    dossiers = Dossier.objects.filter(round=simulated)
    province = dossiers.first().province
    page = client.get(URL, {"round": simulated.pk, "province": province.pk})
    assert [r["name"] for r in page.context["counts"]["provinces"]] == [province.name]
    assert page.context["counts"]["total"] == dossiers.filter(province=province).count()
    craft = dossiers.first().artisan.craft
    page = client.get(URL, {"round": simulated.pk, "craft": craft.pk, "title": "excellent"})
    expected = dossiers.filter(artisan__craft=craft, title="excellent").count()
    assert page.context["counts"]["total"] == expected
    everything = client.get(URL, {"round": ""})  # every round
    assert everything.context["counts"]["total"] == Dossier.objects.count() == 13


# --- pass rates at the edges --------------------------------------------------------------------------


def test_a_level_no_dossier_reached_shows_a_dash_not_a_division_by_zero(client):
    passed, failed = f.dossier("01"), f.dossier("01")
    for d, result in ((passed, "provincial_passed"), (failed, "provincial_failed")):
        entry(d, "admitted", "provincial_review", T0)
        entry(d, "provincial_review", result, T0 + timedelta(days=3))
    waiting = f.dossier("01")
    entry(waiting, "admitted", "provincial_review", T0)
    client.force_login(clerk())
    page = client.get(URL)
    provincial, ministerial, state = page.context["rates"]
    assert (provincial["reached"], provincial["passed"], provincial["failed"]) == (3, 1, 1)
    assert provincial["waiting"] == 1 and provincial["rate_text"] == "33,3 %"
    for row in (ministerial, state):
        assert row["reached"] == 0 and row["rate"] is None and row["rate_text"] == "—"
    assert download(client, view="pass_rates")[2] == ("cấp Bộ", 0, 0, 0, 0, "—")


def test_a_dossier_entering_a_state_twice_counts_once(client):
    d = f.dossier("01")
    entry(d, "admitted", "provincial_review", T0)
    entry(d, "provincial_review", "on_hold", T0 + timedelta(days=1))
    entry(d, "on_hold", "provincial_review", T0 + timedelta(days=2))
    entry(d, "provincial_review", "provincial_passed", T0 + timedelta(days=3))
    client.force_login(clerk())
    provincial = client.get(URL).context["rates"][0]
    assert (provincial["reached"], provincial["passed"], provincial["rate_text"]) == (1, 1, "100,0 %")


# --- days in each state ------------------------------------------------------------------------------


def test_days_in_each_state_from_known_times(client):
    """submitted: stays of 2, 4 and 6 days (median 4, longest 6); admitted: 3 and 6 days (median 4.5);
    provincial_review: entered, never left, so no stay yet."""
    plan = [(2, 5), (4, 10), (6, None)]
    for to_admitted, to_review in plan:
        d = f.dossier("01")
        entry(d, "draft", "submitted", T0)
        entry(d, "submitted", "admitted", T0 + timedelta(days=to_admitted))
        if to_review is not None:
            entry(d, "admitted", "provincial_review", T0 + timedelta(days=to_review))
    client.force_login(clerk())
    page = client.get(URL)
    times = {row["name"]: row for row in page.context["times"]}
    submitted = times[DossierState.SUBMITTED.label]
    admitted = times[DossierState.ADMITTED.label]
    assert (submitted["stays"], submitted["median"], submitted["max"]) == (3, 4.0, 6.0)
    assert (admitted["stays"], admitted["median"], admitted["max"]) == (2, 4.5, 6.0)
    assert admitted["median_text"] == "4,5"
    assert DossierState.PROVINCIAL_REVIEW.label not in times
    rows = download(client, view="durations")
    assert rows[0] == ("Trạng thái", "Số lượt đã chuyển đi", "Trung vị (ngày)", "Dài nhất (ngày)")
    assert (str(DossierState.SUBMITTED.label), 3, 4, 6) in rows[1:]
    assert (str(DossierState.ADMITTED.label), 2, 4.5, 6) in rows[1:]


def test_stays_are_cut_at_each_dossier_boundary():
    """The next dossier's first entry never ends the previous dossier's last stay."""
    entries = [(1, "submitted", T0), (1, "admitted", T0 + timedelta(days=1)), (2, "submitted", T0)]
    assert stays_by_state(entries) == {"submitted": [1.0]}


# --- scope and refusals -------------------------------------------------------------------------------


def test_an_officer_sees_only_their_province_even_naming_another(client):
    mine, other = f.dossier("01"), f.dossier("31")
    for d in (mine, other):
        set_state(d, DossierState.SUBMITTED)
        entry(d, "admitted", "provincial_review", T0)
    client.force_login(f.officer("01"))
    for params in ({}, {"province": other.province_id}):
        page = client.get(URL, params)
        assert page.status_code == 200
        assert [r["name"] for r in page.context["counts"]["provinces"]] == [mine.province.name]
        assert page.context["counts"]["total"] == 1
        assert page.context["rates"][0]["reached"] == 1
        assert other.province.name not in page.content.decode()
        assert "province" not in page.context["form"].fields
        sheet = download(client, view="provinces", **params)
        assert [row[0] for row in sheet[1:]] == [mine.province.name, "Tổng"]


@pytest.mark.parametrize("role", ["council_member", "council_secretary", "system_administrator"])
def test_other_roles_are_refused(client, role):
    client.force_login(f.user(role, f.department("01")))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "xlsx"}).status_code == 403


def test_the_public_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_an_unknown_sheet_answers_404(client):
    client.force_login(clerk())
    assert client.get(URL, {"format": "xlsx", "view": "nothing"}).status_code == 404


# --- the page's markup and the sheets ------------------------------------------------------------------


def test_each_chart_is_an_image_titled_and_described_beside_a_captioned_table(client):
    set_state(f.dossier("01"), DossierState.SUBMITTED)
    client.force_login(clerk())
    page = client.get(URL)
    html = page.content.decode()
    for chart in ("provinces", "crafts", "titles", "rates", "times"):
        assert f'role="img" aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in html
        assert f'<title id="chart-{chart}-title">' in html and f'<desc id="chart-{chart}-desc">' in html
    assert html.count("<caption id=") == 5 and 'scope="row"' in html and 'scope="col"' in html
    # each table scrolls in its own box, reached with Tab and named by the table's caption
    for chart in ("provinces", "crafts", "titles", "rates", "times"):
        assert (
            f'<div class="scroll" role="region" aria-labelledby="table-{chart}-caption" tabindex="0">' in html
        )
    assert "<script" not in html.split('<main id="main"')[1]  # no script in the page's content
    assert 'href="/bo/thong-ke/"' in html  # in the navigation
    assert "Thống kê đợt xét tặng" in html


def test_the_sheets_read_back_as_the_page_shows(client):
    for code, title in (("01", "excellent"), ("01", "peoples"), ("31", "excellent")):
        set_state(f.dossier(code, title=title), DossierState.SUBMITTED)
    client.force_login(clerk())
    page = client.get(URL).context
    rows = download(client, view="provinces")
    assert rows[0][0] == "Tỉnh, thành phố" and rows[0][-1] == "Tổng"
    assert rows[1:] == [(r["name"], *r["cells"], r["total"]) for r in page["counts"]["provinces"]] + [
        ("Tổng", *page["counts"]["state_totals"], 3)
    ]
    craft = Craft.objects.order_by("code").first().name
    assert download(client, view="crafts")[1:] == [(craft, 2, 1, 3)]
    assert download(client, view="titles")[1:] == [("Nghệ nhân ưu tú", 2), ("Nghệ nhân nhân dân", 1)]


def test_the_sheet_keeps_the_pages_filters(client):
    set_state(f.dossier("01", title="excellent"), DossierState.SUBMITTED)
    set_state(f.dossier("01", title="peoples"), DossierState.SUBMITTED)
    client.force_login(clerk())
    assert download(client, view="titles", title="peoples")[1:] == [
        ("Nghệ nhân ưu tú", 0),
        ("Nghệ nhân nhân dân", 1),
    ]


# --- a constant number of queries --------------------------------------------------------------------


def _queries(client, n: int, **params) -> int:
    for i in range(n):
        d = f.dossier("01" if i % 2 else "31", title="peoples" if i % 3 else "excellent")
        entry(d, "draft", "submitted", T0 + timedelta(days=i))
        entry(d, "submitted", "admitted", T0 + timedelta(days=i + 1))
        entry(d, "admitted", "provincial_review", T0 + timedelta(days=i + 3))
        entry(
            d,
            "provincial_review",
            "provincial_passed" if i % 2 else "provincial_failed",
            T0 + timedelta(days=i + 9),
        )
    with CaptureQueriesContext(connection) as page:
        response = client.get(URL, params)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(page)


def test_the_page_takes_the_same_queries_for_2_and_20_dossiers(client):
    client.force_login(clerk())
    assert _queries(client, 2) == _queries(client, 18)  # the second page counts 20 dossiers


@pytest.mark.parametrize("view", ["provinces", "crafts", "titles", "pass_rates", "durations"])
def test_each_sheet_takes_the_same_queries_for_2_and_20_dossiers(client, view):
    client.force_login(clerk())
    assert _queries(client, 2, format="xlsx", view=view) == _queries(client, 18, format="xlsx", view=view)
