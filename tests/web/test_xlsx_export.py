"""The lists' Excel download (`?format=xlsx`): the page's rows and filters within the page's scope, read
back with openpyxl (Vietnamese headers, real dates, a frozen header row), never a formula, logged, at a
constant number of queries."""

import io
import logging
from datetime import date, datetime

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier, DossierState
from tests import factories as f
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from tests.workflows.conftest import set_state

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def named(name: str, code: str = "01", **fields) -> Dossier:
    return f.dossier(code, artisan=f.artisan(code, full_name=name), **fields)


def download(client, url: str, **params):
    response = client.get(url, {**params, "format": "xlsx"})
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    body = b"".join(response.streaming_content)
    return response, openpyxl.load_workbook(io.BytesIO(body)).active


def values(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def codes(sheet) -> set[str]:
    return {row[0] for row in values(sheet)[1:]}


@pytest.fixture
def clerk_client(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))
    return client


# The dossier list -----------------------------------------------------------------------------------


def test_dossier_list_round_trip(officer_client):
    older = named("Phạm Thị Hồng", received_on=date(2026, 3, 2))
    newer = set_state(named("Đặng Văn Minh", received_on=date(2026, 11, 30)), DossierState.SUBMITTED)
    response, sheet = download(officer_client, "/ho-so/")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="danh-sach-ho-so-' in disposition and disposition.endswith('.xlsx"')
    rows = values(sheet)
    assert rows[0] == (
        "Mã hồ sơ",
        "Nghệ nhân",
        "Truy tặng",
        "Danh hiệu đề nghị xét tặng",
        "Nghề",
        "Tỉnh, thành phố",
        "Đợt xét tặng",
        "Ngày tiếp nhận",
        "Trạng thái",
    )
    # the rows of the page, in its order (newest first)
    page = officer_client.get("/ho-so/").context["dossiers"]
    assert [row[0] for row in rows[1:]] == [d.code for d in page] == [newer.code, older.code]
    assert rows[1][1] == "Đặng Văn Minh"
    assert rows[1][6] == newer.round.number
    # a real date cell, shown dd/mm/yyyy
    cell = sheet.cell(row=2, column=8)
    assert isinstance(cell.value, datetime) and cell.value.date() == date(2026, 11, 30)
    assert cell.number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=1, column=1).font.bold


def test_dossier_list_headers_are_vietnamese(officer_client):
    named("Phạm Thị Hồng")
    _response, sheet = download(officer_client, "/ho-so/")
    headers = values(sheet)[0]
    page = officer_client.get("/ho-so/").content.decode()
    # the page's own column headings, in the same language
    for heading in headers:
        if heading != "Truy tặng":
            assert f">{heading}</th>" in page, heading
    assert "Mã hồ sơ" in headers and "Ngày tiếp nhận" in headers


def test_dossier_list_in_english_when_the_user_chose_english(officer_client):
    named("Phạm Thị Hồng")
    officer_client.cookies["django_language"] = "en"
    response = officer_client.get("/ho-so/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert values(sheet)[0][:2] == ("Code", "Artisan")


def test_dossier_list_filters_are_applied(clerk_client):
    round7 = f.round_(7)
    match = set_state(named("Phạm Thị Hồng", "31", title="peoples", round=round7), DossierState.SUBMITTED)
    set_state(named("Phạm Thị Hồng", "31", title="excellent", round=round7), DossierState.SUBMITTED)
    set_state(named("Phạm Thị Hồng", "01", title="peoples", round=round7), DossierState.SUBMITTED)
    named("Nguyễn Văn An", "31", title="peoples", round=round7)
    params = {"q": "hong", "round": round7.pk, "title": "peoples", "state": DossierState.SUBMITTED}
    params["province"] = f.province("31").pk
    _response, sheet = download(clerk_client, "/ho-so/", **params)
    assert codes(sheet) == {match.code}
    _response, sheet = download(clerk_client, "/ho-so/", q="hong")
    assert len(codes(sheet)) == 3
    _response, sheet = download(clerk_client, "/ho-so/", province=f.province("01").pk)
    assert {row[5] for row in values(sheet)[1:]} == {str(f.province("01"))}


def test_dossier_list_export_has_every_row_not_one_page(officer_client, settings):
    settings.LIST_PAGE_SIZE = 2
    made = {named(f"Người {i}").code for i in range(5)}
    _response, sheet = download(officer_client, "/ho-so/", trang=2)
    assert codes(sheet) == made


def test_officer_never_exports_another_provinces_dossier(officer_client):
    mine = named("Phạm Thị Hồng", "01")
    theirs = named("Phạm Thị Hồng", "31")
    _response, sheet = download(officer_client, "/ho-so/")
    assert codes(sheet) == {mine.code}
    # forcing the other province in the query string narrows to nothing, never opens it
    _response, sheet = download(officer_client, "/ho-so/", province=f.province("31").pk)
    assert codes(sheet) == set()
    _response, sheet = download(officer_client, "/ho-so/", q=theirs.code)
    assert codes(sheet) == set()


def test_a_user_without_a_scope_gets_what_the_page_shows_nothing(client):
    named("Phạm Thị Hồng")
    client.force_login(f.user())
    assert list(client.get("/ho-so/").context["dossiers"]) == []
    _response, sheet = download(client, "/ho-so/")
    assert len(values(sheet)) == 1  # the header row only


def test_anonymous_is_sent_to_the_login_page(client):
    named("Phạm Thị Hồng")
    response = client.get("/ho-so/", {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_a_value_starting_with_equals_stays_a_string(officer_client):
    named('=HYPERLINK("http://example.com","x")')
    _response, sheet = download(officer_client, "/ho-so/")
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com","x")'


def test_no_identification_data_in_the_export(officer_client):
    dossier = named("Phạm Thị Hồng")
    artisan = dossier.artisan
    _response, sheet = download(officer_client, "/ho-so/")
    text = " ".join(str(v) for row in values(sheet) for v in row if v is not None)
    assert artisan.cccd not in text
    assert artisan.ethnicity not in text
    assert f"{artisan.date_of_birth:%d/%m/%Y}" not in text


def test_the_export_is_logged(officer_client, caplog):
    named("Phạm Thị Hồng")
    named("Nguyễn Văn An")
    with caplog.at_level(logging.INFO, logger="nghenhan.security"):
        download(officer_client, "/ho-so/", q="Phạm Thị", state="draft")
    (line,) = [r.getMessage() for r in caplog.records if "list_exported" in r.getMessage()]
    assert f"user={officer_client.officer.pk}" in line
    assert "list=dossier_list" in line and "rows=1" in line
    assert "state=draft" in line and "q=*" in line
    assert "Phạm" not in line  # a search text may be a name: never in the security log


def test_the_page_links_to_the_download_with_its_filters(officer_client):
    named("Phạm Thị Hồng")
    page = officer_client.get("/ho-so/", {"q": "hong", "trang": "1"}).content.decode()
    assert "Tải về Excel (.xlsx)" in page
    assert 'href="?q=hong&amp;format=xlsx"' in page


def export_queries(client, url, params) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {**params, "format": "xlsx"})
        assert response.status_code == 200
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "hong", "state": "draft", "round": 1}])
def test_dossier_list_export_queries_do_not_grow_with_rows(clerk_client, params):
    named("Phạm Thị Hồng", "01")
    named("Phạm Thị Hồng", "31")
    export_queries(clerk_client, "/ho-so/", params)  # warm-up of one-time caches
    two = export_queries(clerk_client, "/ho-so/", params)
    for code in ("01", "31", "48", "79", "31", "01", "48", "79", "01"):
        named("Phạm Thị Hồng", code, round=f.round_(7))
        named("Phạm Thị Hồng", code)
    assert Dossier.objects.count() == 20
    assert export_queries(clerk_client, "/ho-so/", params) == two


# The ministry's pipeline ----------------------------------------------------------------------------


def test_pipeline_round_trip(clerk_client):
    set_state(named("Phạm Thị Hồng", "01"), DossierState.SUBMITTED)
    named("Nguyễn Văn An", "01")
    named("Lê Thị Dung", "31")
    response, sheet = download(clerk_client, "/bo/tong-hop/")
    assert 'filename="tong-hop-ho-so-' in response["Content-Disposition"]
    page = clerk_client.get("/bo/tong-hop/").context
    rows = values(sheet)
    assert rows[0] == ("Tỉnh, thành phố", *(str(s.label) for s in page["states"]), "Tổng")
    assert len(page["states"]) == 2
    assert rows[1:-1] == [(r["name"], *r["cells"], r["total"]) for r in page["rows"]]
    assert rows[-1][1:] == (*page["totals"], 3)
    assert sheet.freeze_panes == "A2"


def test_pipeline_of_an_officer_is_their_province_only(officer_client):
    named("Phạm Thị Hồng", "01")
    named("Lê Thị Dung", "31")
    _response, sheet = download(officer_client, "/bo/tong-hop/")
    names = [row[0] for row in values(sheet)[1:-1]]
    assert names == [str(f.province("01"))]


def test_pipeline_anonymous_is_sent_to_the_login_page(client):
    response = client.get("/bo/tong-hop/", {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_pipeline_export_is_logged_and_linked(clerk_client, caplog):
    named("Phạm Thị Hồng", "01")
    assert 'href="?format=xlsx"' in clerk_client.get("/bo/tong-hop/").content.decode()
    with caplog.at_level(logging.INFO, logger="nghenhan.security"):
        download(clerk_client, "/bo/tong-hop/")
    (line,) = [r.getMessage() for r in caplog.records if "list_exported" in r.getMessage()]
    assert "list=ministry_pipeline" in line and "rows=2" in line  # a province and the totals


def test_pipeline_export_queries_do_not_grow_with_rows(clerk_client):
    named("Phạm Thị Hồng", "01")
    named("Phạm Thị Hồng", "31")
    export_queries(clerk_client, "/bo/tong-hop/", {})
    two = export_queries(clerk_client, "/bo/tong-hop/", {})
    for code in ("01", "31", "48", "79", "31", "01", "48", "79", "01"):
        set_state(named("Phạm Thị Hồng", code), DossierState.SUBMITTED)
        named("Phạm Thị Hồng", code)
    assert export_queries(clerk_client, "/bo/tong-hop/", {}) == two


# A council session's tally ---------------------------------------------------------------------------


def closed_session(dossiers: int = 2, *, formula_name: str = ""):
    """A provincial council's session whose ballot is closed: every voter agrees on the first dossier,
    disagrees on the others."""
    from councils.services import ballot_cast, session_agenda_add, session_attendance_record
    from workflows.services import council_ballot_close, council_ballot_open

    council, voters, secretary = make_council(5)
    session, items = make_session(council, dossiers=dossiers)
    if formula_name:
        items[-1].artisan.full_name = formula_name
        items[-1].artisan.save()
    session_agenda_add(session=session, dossiers=items, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    council_ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, items, voters)
    for voter in voters:
        for index, dossier in enumerate(items):
            choice = "agree" if index == 0 else "disagree"
            ballot_cast(session=session, dossier=dossier, choice=choice, by=voter.user)
    council_ballot_close(session=session, by=secretary.user)
    return session, voters, secretary, items


def test_tally_round_trip(client):
    session, _voters, secretary, items = closed_session(2)
    client.force_login(secretary.user)
    url = f"/hoi-dong/phien/{session.pk}/"
    assert "Tải về Excel (.xlsx)" in client.get(url).content.decode()
    response, sheet = download(client, url)
    assert f'filename="kiem-phieu-phien-{session.pk}-' in response["Content-Disposition"]
    rows = values(sheet)
    assert rows[0][:2] == ("Mã hồ sơ", "Nghệ nhân")
    page = client.get(url).context["tallies"]
    assert [(r[0], r[1], r[2], r[3]) for r in rows[1:]] == [
        (t.dossier.code, t.dossier.artisan.full_name, t.agree, t.disagree) for t in page
    ]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[items[0].code][2:4] == (5, 0)
    assert by_code[items[1].code][2:4] == (0, 5)
    assert sheet.freeze_panes == "A2"


def test_tally_is_for_the_councils_members_only(client):
    session, voters, _secretary, _items = closed_session(1)
    client.force_login(voters[2].user)
    download(client, f"/hoi-dong/phien/{session.pk}/")
    for outsider in (f.officer("01"), f.user("ministry_clerk", f.ministry())):
        client.force_login(outsider)
        response = client.get(f"/hoi-dong/phien/{session.pk}/", {"format": "xlsx"})
        assert response.status_code == client.get(f"/hoi-dong/phien/{session.pk}/").status_code == 404
    client.logout()
    response = client.get(f"/hoi-dong/phien/{session.pk}/", {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_no_tally_to_download_before_the_ballot_closes(client):
    council, _voters, secretary = make_council(5)
    session, _items = make_session(council, dossiers=1)
    client.force_login(secretary.user)
    page = client.get(f"/hoi-dong/phien/{session.pk}/")
    assert page.status_code == 200 and "Tải về Excel (.xlsx)" not in page.content.decode()
    assert client.get(f"/hoi-dong/phien/{session.pk}/", {"format": "xlsx"}).status_code == 404


def test_tally_keeps_a_formula_like_name_as_text_and_is_logged(client, caplog):
    session, _voters, secretary, _items = closed_session(2, formula_name="=1+1")
    client.force_login(secretary.user)
    with caplog.at_level(logging.INFO, logger="nghenhan.security"):
        _response, sheet = download(client, f"/hoi-dong/phien/{session.pk}/")
    cells = [sheet.cell(row=r, column=2) for r in (2, 3)]
    formula = next(c for c in cells if c.value == "=1+1")
    assert formula.data_type == "s"
    (line,) = [r.getMessage() for r in caplog.records if "list_exported" in r.getMessage()]
    assert f"user={secretary.user.pk}" in line
    assert "list=council_tally" in line and f"filters=session={session.pk}" in line and "rows=2" in line


def test_tally_export_queries_do_not_grow_with_rows(client):
    small, _voters, secretary, _items = closed_session(2)
    client.force_login(secretary.user)
    export_queries(client, f"/hoi-dong/phien/{small.pk}/", {})
    two = export_queries(client, f"/hoi-dong/phien/{small.pk}/", {})
    large, _voters, secretary, _items = closed_session(6)
    client.force_login(secretary.user)
    assert export_queries(client, f"/hoi-dong/phien/{large.pk}/", {}) == two


# Form 04: the list of persons proposed ---------------------------------------------------------------


def proposed_list(rows=None, *, code: str = "01", status: str = "done"):
    """A Form 04 of province `code`'s council, built from the documents' sample rows (or `rows`)."""
    from dataclasses import replace

    from documents.kinds import Kind
    from documents.models import GeneratedDocument
    from documents.services import document_request
    from tests.documents import samples

    data = samples.listing() if rows is None else replace(samples.listing(), rows=rows)
    dossier = named("Nguyễn Thị Ánh", code)
    document = document_request(
        kind=Kind.FORM_04, data=data, title="Danh sách đề nghị", dossier=dossier, province=dossier.province
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(status=status)
    return document


def test_form_04_round_trip_from_the_data_it_was_built_from(officer_client):
    from tests.documents import samples

    document = proposed_list()
    url = f"/ho-so/van-ban/{document.uid}/tai-ve/"
    assert f'href="{url}?format=xlsx"' in officer_client.get("/ho-so/van-ban/").content.decode()
    response, sheet = download(officer_client, url)
    assert 'filename="danh-sach-de-nghi-' in response["Content-Disposition"]
    rows = values(sheet)
    assert rows[0] == (
        "Số",
        "Danh hiệu đề nghị xét tặng",
        "Họ và tên",
        "Giới tính",
        "Nghề",
        "Tỉnh, thành phố",
        "Đồng ý",
        "Tổng số tính tỷ lệ",
        "Truy tặng",
    )
    # grouped by title and numbered within each, as the form prints them
    assert [(r[0], r[1], r[2], r[6], r[7]) for r in rows[1:]] == [
        (1, samples.EXCELLENT, "Nguyễn Thị Ánh", 11, 11),
        (2, samples.EXCELLENT, "Lê Thị Hường", 9, 11),
        (1, samples.PEOPLE, "Trần Văn Đức", 10, 11),
    ]
    assert rows[2][8] == "truy tặng"  # the posthumous nominee is marked
    assert rows[1][8] is None
    # no year of birth (the form prints one): no identification data in a download
    flat = {v for row in rows for v in row}
    assert not flat & {1962, 1949, 1958, "1962", "1949", "1958"}
    assert sheet.freeze_panes == "A2"


def test_form_04_is_scoped_as_the_document(client):
    document = proposed_list(code="31")
    client.force_login(f.officer("01"))
    assert client.get(f"/ho-so/van-ban/{document.uid}/tai-ve/", {"format": "xlsx"}).status_code == 404
    client.force_login(f.officer("31"))
    download(client, f"/ho-so/van-ban/{document.uid}/tai-ve/")
    client.logout()
    response = client.get(f"/ho-so/van-ban/{document.uid}/tai-ve/", {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_only_a_ready_form_04_downloads_as_excel(officer_client):
    waiting = proposed_list(status="queued")
    assert officer_client.get(f"/ho-so/van-ban/{waiting.uid}/tai-ve/", {"format": "xlsx"}).status_code == 404


def test_form_04_export_is_logged_and_its_queries_do_not_grow(officer_client, caplog):
    from dataclasses import replace

    from tests.documents import samples

    small = proposed_list()
    with caplog.at_level(logging.INFO, logger="nghenhan.security"):
        download(officer_client, f"/ho-so/van-ban/{small.uid}/tai-ve/")
    (line,) = [r.getMessage() for r in caplog.records if "list_exported" in r.getMessage()]
    assert "list=form_04" in line and f"document={small.uid}" in line and "rows=3" in line
    many = [
        replace(samples.ROWS[i % 3], person=replace(samples.ANH, full_name=f"Người {i}")) for i in range(20)
    ]
    large = proposed_list(many)
    export_queries(officer_client, f"/ho-so/van-ban/{small.uid}/tai-ve/", {})
    few = export_queries(officer_client, f"/ho-so/van-ban/{small.uid}/tai-ve/", {})
    assert export_queries(officer_client, f"/ho-so/van-ban/{large.uid}/tai-ve/", {}) == few


def test_every_excel_download_is_a_file_where_nothing_may_run(client):
    officer = f.officer("01")
    client.force_login(officer)
    for url in ("/ho-so/?format=xlsx", "/ho-so/nhap-excel/mau/"):
        response = client.get(url)
        assert response["Content-Disposition"].startswith("attachment"), url
        assert response["Content-Security-Policy"].startswith("default-src 'none'"), url
