"""The public registry of conferred artisans (`/nghe-nhan/`): no login, search and filters from the query
string, pages of 50, the same queries whatever the number of rows, a stable page per artisan, and never
the personal data the decision does not make public."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AdministrativeUnit
from dossiers.models import Artisan, Craft
from dossiers.services.conferrals import conferral_import
from tests import factories as f
from tests.dossiers.test_conferral_record import clerk, conferred
from tests.web.test_pages_in_both_languages import (
    ENGLISH,
    ENGLISH_WORDS,
    VIETNAMESE,
    unlabelled_fields,
    visible_text,
)
from tests.workflows.conftest import complete_eligible_dossier

pytestmark = pytest.mark.django_db

_seq = iter(range(1, 10_000))


def registered(full_name="Nguyễn Văn An", *, title="excellent", year=2025, province=None, craft=None, **kw):
    """A conferral entered in the registry (an earlier round), for an artisan of its own."""
    artisan = f.artisan(full_name=full_name, **({"craft": craft} if craft else {}))
    n = next(_seq)
    return conferral_import(
        by=kw.pop("by", None) or clerk(),
        artisan=artisan,
        title=title,
        round_number=kw.pop("round_number", 5),
        decision_number=kw.pop("decision_number", f"{n}/QĐ-CTN"),
        decision_date=date(year, 8, 30),
        province=province or f.province("01"),
        **kw,
    )


def names_on(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/nghe-nhan/[^/]+/">([^<]+)</a>', response.content.decode())


def test_the_registry_is_public_and_lists_the_conferred_artisans(client):
    row = registered("Phạm Thị Hồng", posthumous=True)
    response = client.get("/nghe-nhan/")
    assert response.status_code == 200
    body = response.content.decode()
    assert names_on(response) == ["Phạm Thị Hồng"]
    for shown in (row.decision_number, "30/08/2025", row.craft.name, row.current_province.name, "truy tặng"):
        assert shown in body
    assert 'href="/nghe-nhan/"' in client.get("/cong-khai/").content.decode()  # in the public navigation


def test_a_conferral_recorded_by_the_step_appears_without_internal_ids(client):
    dossier, _officer = complete_eligible_dossier()
    conferred(dossier)
    response = client.get("/nghe-nhan/")
    body = response.content.decode()
    assert names_on(response) == [dossier.artisan.full_name]
    assert "1234/QĐ-CTN" in body
    link = re.search(r'href="/nghe-nhan/([^/]+)/"', body).group(1)
    assert link not in {str(dossier.pk), str(dossier.artisan_id), dossier.code}
    assert f"/ho-so/{dossier.pk}/" not in body and dossier.code not in body


def test_the_pages_never_show_the_cccd_ethnicity_birth_date_or_address(client):
    dossier, _officer = complete_eligible_dossier()
    artisan = dossier.artisan
    artisan.ethnicity = "Mường"
    artisan.address_detail = "Số 17 ngõ Trúc Lâm"
    artisan.date_of_birth = date(1958, 3, 14)
    artisan.save()
    conferred(dossier)
    artisan = Artisan.objects.get(pk=artisan.pk)
    cccd = artisan.cccd
    pages = [client.get("/nghe-nhan/"), client.get(f"/nghe-nhan/{artisan.conferrals.get().public_id}/")]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert artisan.full_name in body
        for secret in (cccd, cccd[-6:], "Mường", "Số 17 ngõ Trúc Lâm", "14/03/1958", "1958-03-14", "1958"):
            assert secret not in body, secret
        assert artisan.commune.name not in body


@pytest.mark.parametrize(
    "q",
    ["pham thi hong", "PHẠM THỊ HỒNG", "Pham Thi Hong", "phạm hồng", "HONG", "  pham   hong  "],
)
def test_search_ignores_tones_case_and_spaces(client, q):
    registered("Phạm Thị Hồng")
    registered("Trần Văn Mai")
    assert names_on(client.get("/nghe-nhan/", {"q": q})) == ["Phạm Thị Hồng"]


def test_search_d_matches_dj_both_ways_and_finds_crafts_and_decisions(client):
    registered("Đặng Văn Dũng", decision_number="88/QĐ-CTN")
    registered("Lê Thị Lan")
    assert names_on(client.get("/nghe-nhan/", {"q": "dang dung"})) == ["Đặng Văn Dũng"]
    assert names_on(client.get("/nghe-nhan/", {"q": "ĐŨNG"})) == ["Đặng Văn Dũng"]
    assert names_on(client.get("/nghe-nhan/", {"q": "88/QĐ"})) == ["Đặng Văn Dũng"]
    assert names_on(client.get("/nghe-nhan/", {"q": "nguyen"})) == []
    assert "Không có nghệ nhân nào" in client.get("/nghe-nhan/", {"q": "nguyen"}).content.decode()


def test_filters_by_province_craft_title_and_year_are_in_the_query_string(client):
    crafts = list(Craft.objects.order_by("code")[:2])
    former = (
        AdministrativeUnit.objects.filter(level="province", valid_to__isnull=False, successor__isnull=False)
        .exclude(successor=f.province("01"))
        .order_by("code")
        .first()
    )
    registered("Hà Văn Một", year=2019, craft=crafts[0])
    registered("Hà Văn Hai", year=2022, craft=crafts[1], title="peoples")
    merged = registered("Hà Văn Ba", year=2022, craft=crafts[0], province=former)
    assert names_on(client.get("/nghe-nhan/", {"year": 2022})) == ["Hà Văn Ba", "Hà Văn Hai"]
    assert names_on(client.get("/nghe-nhan/", {"title": "peoples"})) == ["Hà Văn Hai"]
    assert names_on(client.get("/nghe-nhan/", {"craft": crafts[0].pk})) == ["Hà Văn Ba", "Hà Văn Một"]
    # a former province is found under the province that continues it, and shown with both names
    response = client.get("/nghe-nhan/", {"province": merged.current_province_id})
    assert names_on(response) == ["Hà Văn Ba"]
    assert (
        former.name in response.content.decode() and merged.current_province.name in response.content.decode()
    )
    assert names_on(client.get("/nghe-nhan/", {"province": merged.current_province_id, "year": 2019})) == []
    # an invalid value is left out rather than failing the page
    assert len(names_on(client.get("/nghe-nhan/", {"year": "abc", "province": "x"}))) == 3


def test_pages_of_fifty_keep_the_filters(client, monkeypatch):
    monkeypatch.setattr("web.registry_views.REGISTRY_PAGE_SIZE", 3)
    for n in range(5):
        registered(f"Võ Văn Tư {n}", year=2020)
    registered("Khác Năm", year=2016)
    first = client.get("/nghe-nhan/", {"year": 2020})
    assert len(names_on(first)) == 3
    body = first.content.decode()
    assert "?year=2020&amp;trang=2" in body
    second = client.get("/nghe-nhan/", {"year": 2020, "trang": 2})
    assert len(names_on(second)) == 2
    assert set(names_on(first)) | set(names_on(second)) == {f"Võ Văn Tư {n}" for n in range(5)}
    assert client.get("/nghe-nhan/", {"year": 2020, "trang": 99}).status_code == 200


def test_the_default_page_size_is_fifty():
    from web.registry_views import REGISTRY_PAGE_SIZE

    assert REGISTRY_PAGE_SIZE == 50


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/nghe-nhan/", params).status_code == 200
    return len(captured)


def test_the_same_number_of_queries_for_2_and_20_rows(client):
    former = AdministrativeUnit.objects.filter(level="province", valid_to__isnull=False).order_by("code")[0]
    crafts = list(Craft.objects.order_by("code")[:3])
    for n in range(2):
        registered(f"Lý Văn {n}", craft=crafts[n % 3], province=former if n % 2 else None)
    few = _queries(client), _queries(client, q="ly van", year=2025)
    for n in range(2, 20):
        registered(f"Lý Văn {n}", craft=crafts[n % 3], province=former if n % 2 else None, year=2020 + n % 5)
    many = _queries(client), _queries(client, q="ly van", year=2025)
    assert few == many
    assert few[0] <= 3


def test_an_artisans_page_is_stable_lists_both_titles_and_404s_when_unknown(client):
    first = registered("Tô Thị Nhung", year=2019)
    later = conferral_import(
        by=clerk(),
        artisan=first.artisan,
        title="peoples",
        round_number=6,
        decision_number="999/QĐ-CTN",
        decision_date=date(2025, 8, 30),
        province=first.province,
    )
    assert later.public_id == first.public_id
    response = client.get(f"/nghe-nhan/{first.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Tô Thị Nhung</h1>" in body
    assert first.decision_number in body and "999/QĐ-CTN" in body
    assert "Nghệ nhân ưu tú" in body and "Nghệ nhân nhân dân" in body
    assert client.get("/nghe-nhan/khongcoai/").status_code == 404
    assert client.get(f"/nghe-nhan/{first.pk}/").status_code == 404
    assert client.get(f"/nghe-nhan/{first.artisan_id}/").status_code == 404


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pages_are_in_one_language_with_labelled_fields_and_a_table_for_phones(client, language):
    row = registered("Phạm Thị Hồng")
    client.post("/ngon-ngu/", {"language": language, "next": "/"})
    wrong = ENGLISH if language == "vi" else VIETNAMESE
    for url in ("/nghe-nhan/", f"/nghe-nhan/{row.public_id}/", "/nghe-nhan/?q=khong+co"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
        assert unlabelled_fields(response.content) == [], url
        text = visible_text(response.content)
        assert [phrase for phrase in wrong if phrase in text] == [], url
        if language == "vi":
            assert ENGLISH_WORDS.findall(text) == [], url
        body = response.content.decode()
        assert '<div class="scroll" role="region"' in body and "<caption" in body and 'scope="col"' in body
        assert body.count("<h1") == 1
    heading = "Registry of conferred artisans" if language == "en" else "Danh sách nghệ nhân được phong tặng"
    assert heading in client.get("/nghe-nhan/").content.decode()


def test_the_registry_downloads_as_excel_with_its_filters_and_nothing_personal(client):
    import io

    import openpyxl

    from dossiers.models import Conferral

    registered("Phạm Thị Hồng", posthumous=True)
    registered("Đỗ Văn Đức", title="peoples", year=2023)
    rows = list(Conferral.objects.all())
    response = client.get("/nghe-nhan/", {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "Họ và tên" and sheet.freeze_panes == "A2"
    assert sorted(v[0] for v in values[1:]) == sorted(c.full_name for c in rows)
    for c in rows:
        if c.artisan_id:
            assert c.artisan.cccd not in str(values) and c.artisan.ethnicity not in str(values)
    hong = next(v for v in values if v[0] == "Phạm Thị Hồng")
    assert hong[5].strftime("%d/%m/%Y") == "30/08/2025" and hong[9] == "truy tặng"
    # the page's filters apply: the search "duc" finds the one
    only = client.get("/nghe-nhan/", {"format": "xlsx", "q": "duc"})
    found = list(openpyxl.load_workbook(io.BytesIO(b"".join(only.streaming_content))).active.values)[1:]
    assert [v[0] for v in found] == ["Đỗ Văn Đức"]
