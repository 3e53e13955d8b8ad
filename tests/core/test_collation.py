"""Vietnamese alphabetical order: the alphabet, the tones, given name first, places without their type;
and the same order from the database (SQLite and PostgreSQL) through the sort-key columns."""

import unicodedata

import pytest
from django.db.models.functions import Collate
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import AdministrativeUnit
from accounts.selectors import current_units_by_name
from core.collation import person_sort_key, place_sort_key, words_key
from core.fields import refresh_sort_keys
from dossiers.models import Artisan
from tests import factories as f

ALPHABET = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
TONES = ["ma", "mà", "mả", "mã", "má", "mạ"]  # ngang, huyền, hỏi, ngã, sắc, nặng


def ordered(words, key):
    return sorted(words, key=key)


def test_the_letters_of_the_vietnamese_alphabet_in_order():
    shuffled = list(reversed(ALPHABET))
    assert ordered(shuffled, lambda w: words_key([w])) == ALPHABET


def test_tones_in_the_conventional_order_after_the_letters():
    assert ordered(reversed(TONES), lambda w: words_key([w])) == TONES
    # the letters decide first: every "ma" whatever its tone comes before "mai" and "mă"
    assert ordered(["mai", "mạ", "mă", "má"], lambda w: words_key([w])) == ["má", "mạ", "mai", "mă"]


def test_code_point_order_is_not_vietnamese_order():
    names = ["Giang", "Đức", "Ánh", "Anh", "Bình", "Ư", "Ơn", "Ô"]
    assert sorted(names) != ["Anh", "Ánh", "Bình", "Đức", "Giang", "Ô", "Ơn", "Ư"]
    assert ordered(names, lambda w: words_key([w])) == ["Anh", "Ánh", "Bình", "Đức", "Giang", "Ô", "Ơn", "Ư"]


def test_people_sort_by_given_name_then_middle_names_then_surname():
    people = [
        "Trần Văn Giang",
        "Nguyễn Thị Ánh",
        "Lê Đức",
        "Phạm Anh",
        "Nguyễn Văn Ánh",
        "Bùi Thị Ánh",
        "Hoàng Đức",
    ]
    assert ordered(people, person_sort_key) == [
        "Phạm Anh",
        "Bùi Thị Ánh",
        "Nguyễn Thị Ánh",
        "Nguyễn Văn Ánh",
        "Hoàng Đức",
        "Lê Đức",
        "Trần Văn Giang",
    ]


def test_a_key_does_not_depend_on_how_the_name_was_typed():
    name = "Nguyễn Thị Hồng"
    assert person_sort_key(unicodedata.normalize("NFD", name)) == person_sort_key(name)
    assert person_sort_key("  nguyễn   thị HỒNG ") == person_sort_key(name)


def test_places_sort_without_their_type_in_front():
    places = ["Tỉnh Tuyên Quang", "Thành phố Đà Nẵng", "Tỉnh Gia Lai", "Thành phố Hà Nội", "An Giang"]
    assert ordered(places, place_sort_key) == [
        "An Giang",
        "Thành phố Đà Nẵng",
        "Tỉnh Gia Lai",
        "Thành phố Hà Nội",
        "Tỉnh Tuyên Quang",
    ]
    assert place_sort_key("Xã Ánh Sơn") == place_sort_key("Ánh Sơn")
    assert place_sort_key("Phường Ba Đình") == place_sort_key("Ba Đình")


@given(st.lists(st.text(alphabet="aáàăâđeêoôơuưyỳạ ", min_size=1, max_size=8), min_size=2, max_size=6))
def test_keys_are_digits_only_so_every_collation_orders_them_alike(names):
    for name in names:
        assert set(person_sort_key(name)) <= set("0123456789")


# --- the database ------------------------------------------------------------------------------------

PEOPLE = ["Trần Văn Giang", "Nguyễn Thị Ánh", "Lê Đức", "Phạm Anh", "Vũ Thị Ư", "Đỗ Ơn", "Ngô Ánh Tuyết"]


@pytest.mark.django_db
def test_artisans_come_from_the_database_in_vietnamese_order():
    for i, name in enumerate(reversed(PEOPLE)):
        f.artisan(full_name=name, cccd=f"0011680{i:05d}")
    got = list(Artisan.objects.values_list("full_name", flat=True))  # the model's ordering
    assert got == [
        "Phạm Anh",
        "Nguyễn Thị Ánh",
        "Lê Đức",
        "Trần Văn Giang",
        "Đỗ Ơn",
        "Ngô Ánh Tuyết",
        "Vũ Thị Ư",
    ]
    assert got == sorted(PEOPLE, key=person_sort_key)


@pytest.mark.django_db
def test_a_renamed_artisan_moves_to_its_place():
    artisan = f.artisan(full_name="Trần Văn Giang", cccd="001168000001")
    f.artisan(full_name="Lê Văn Bình", cccd="001168000002")
    artisan.full_name = "Trần Văn An"
    artisan.save()
    assert list(Artisan.objects.values_list("full_name", flat=True)) == ["Trần Văn An", "Lê Văn Bình"]


@pytest.mark.django_db
def test_the_province_selector_is_in_vietnamese_order_without_types():
    names = list(current_units_by_name(level="province").values_list("name", flat=True))
    keys = [place_sort_key(n) for n in names]
    assert keys == sorted(keys) and len(names) == 34
    da_nang = next(n for n in names if "Đà Nẵng" in n)
    tuyen_quang = next(n for n in names if "Tuyên Quang" in n)
    assert names.index(da_nang) < names.index(tuyen_quang)
    first_g = next(i for i, n in enumerate(names) if place_sort_key(n) >= place_sort_key("Giang"))
    assert names.index(da_nang) < first_g


@pytest.mark.django_db
def test_the_reference_data_has_its_sort_keys():
    assert not AdministrativeUnit.objects.filter(sort_key="").exists()
    unit = AdministrativeUnit.objects.filter(name__startswith="Thành phố").first()
    assert unit.sort_key == place_sort_key(unit.name)


@pytest.mark.django_db
@pytest.mark.parametrize("collation", ["und-x-icu", "vi-x-icu", "en-x-icu"])
def test_a_locale_collation_of_postgresql_gives_the_same_order(collation):
    """The key is digits only, so a database whose default collation is a locale one (not C) orders it
    the same way: checked with PostgreSQL's ICU collations."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [collation])
        if cursor.fetchone() is None:
            pytest.skip(f"no collation {collation}")
    for i, name in enumerate(reversed(PEOPLE)):
        f.artisan(full_name=name, cccd=f"0011680{i:05d}")
    rows = Artisan.objects.order_by(Collate("sort_key", collation), "id")
    got = list(rows.values_list("full_name", flat=True))
    assert got == sorted(PEOPLE, key=person_sort_key)


@pytest.mark.django_db
def test_keys_are_refreshed_after_a_bulk_update():
    f.artisan(full_name="Trần Văn Giang", cccd="001168000001")
    f.artisan(full_name="Lê Văn Bình", cccd="001168000002")
    Artisan.objects.filter(full_name="Trần Văn Giang").update(full_name="Trần Văn An")
    assert refresh_sort_keys(Artisan.objects.all()) == 2
    assert list(Artisan.objects.values_list("full_name", flat=True)) == ["Trần Văn An", "Lê Văn Bình"]


@pytest.mark.django_db
def test_council_members_are_listed_in_vietnamese_order_on_pages_and_in_the_minutes():
    from councils.models import Membership
    from councils.selectors import session_members
    from tests.councils.conftest import make_council, make_session
    from workflows.document_data import members_in_order, session_full

    council, voters, _secretary = make_council(members=len(PEOPLE) + 1)
    for membership, name in zip(voters[1:], reversed(PEOPLE), strict=True):
        membership.user.full_name = name
        membership.user.save()
    session, _items = make_session(council)
    session.present.set(voters)
    listed = [m.user.full_name for m in session_members(session=session) if m.role == Membership.Role.MEMBER]
    assert listed == sorted(PEOPLE, key=person_sort_key)
    assert listed[:3] == ["Phạm Anh", "Nguyễn Thị Ánh", "Lê Đức"]
    # the minutes (Form 05) list those present from the same order
    present = [
        m.user.full_name for m in session_full(session).present.all() if m.role == Membership.Role.MEMBER
    ]
    assert present == listed
    assert [m.user.full_name for m in members_in_order().filter(council=council, role="member")] == listed


@pytest.mark.django_db
def test_a_user_without_a_full_name_sorts_by_the_name_shown():
    user = f.user("council_member", f.department("01"))
    user.full_name = ""
    user.save()
    assert user.sort_key == person_sort_key(user.username)
    user.full_name = "Trần Thị Ánh"
    user.save()
    assert user.sort_key == person_sort_key("Trần Thị Ánh")
