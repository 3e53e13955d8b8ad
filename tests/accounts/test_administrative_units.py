import importlib
import importlib.util
import json
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import AdministrativeUnit
from accounts.selectors import communes_of, current_provinces, former_province_by_cccd_code, successor_of
from tests import database_roles

Level = AdministrativeUnit.Level
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "accounts" / "data"
MIGRATION = importlib.import_module("accounts.migrations.0003_administrative_units")

# Resolution 202/2025/QH15: the 11 provinces that were not merged, by their (unchanged) code.
UNCHANGED = {"01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46"}


def former_provinces():
    return AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=False)


def communes():
    return AdministrativeUnit.objects.filter(level=Level.COMMUNE)


@pytest.mark.django_db
class TestLoadedData:
    def test_34_current_provinces_28_provinces_and_6_cities(self):
        provinces = current_provinces()
        assert provinces.count() == 34
        assert Counter(provinces.values_list("division_type", flat=True)) == {
            "tỉnh": 28,
            "thành phố trung ương": 6,
        }
        assert set(provinces.values_list("valid_from", flat=True)) == {date(2025, 7, 1)}
        assert not provinces.exclude(cccd_code="").exists()
        assert all(len(code) == 2 for code in provinces.values_list("code", flat=True))

    def test_3321_communes_by_type(self):
        assert communes().count() == 3321
        assert Counter(communes().values_list("division_type", flat=True)) == {
            "xã": 2621,
            "phường": 687,
            "đặc khu": 13,
        }
        assert all(len(code) == 5 for code in communes().values_list("code", flat=True))
        assert not communes().exclude(valid_from=date(2025, 7, 1), valid_to=None).exists()

    def test_every_commune_belongs_to_a_current_province(self):
        current = set(current_provinces().values_list("pk", flat=True))
        assert set(communes().values_list("parent", flat=True)) == current
        hanoi = current_provinces().get(code="01")
        assert communes_of(hanoi).count() == 126
        assert communes_of(hanoi).first().name == "Phường Ba Đình"
        assert sum(communes_of(p).count() for p in current_provinces()) == 3321

    def test_63_former_provinces_each_with_a_current_successor(self):
        former = former_provinces()
        assert former.count() == 63
        assert set(former.values_list("valid_from", "valid_to")) == {(date(2008, 8, 1), date(2025, 6, 30))}
        current = set(current_provinces().values_list("pk", flat=True))
        assert set(former.values_list("successor", flat=True)) == current  # every one of the 34 has one
        assert Counter(former.values_list("division_type", flat=True)) == {
            "tỉnh": 58,
            "thành phố trung ương": 5,
        }
        for unit in former:
            assert unit.cccd_code == "0" + unit.code

    def test_unchanged_provinces_have_exactly_one_predecessor(self):
        counts = Counter(former_provinces().values_list("successor__code", flat=True))
        assert {code for code, n in counts.items() if n == 1} == UNCHANGED
        assert sum(counts.values()) == 63

    @pytest.mark.parametrize(
        ("former_name", "successor_name"),
        [
            ("Hà Giang", "Tuyên Quang"),
            ("Bình Dương", "Thành phố Hồ Chí Minh"),
            ("Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"),
            ("Thừa Thiên Huế", "Thành phố Huế"),
            ("Hòa Bình", "Phú Thọ"),
            ("Kiên Giang", "An Giang"),
            ("Thành phố Hà Nội", "Thành phố Hà Nội"),
        ],
    )
    def test_successor_examples(self, former_name, successor_name):
        unit = former_provinces().get(name=former_name)
        assert unit.successor.name == successor_name
        assert successor_of(unit) == unit.successor

    def test_successor_of_a_current_unit_is_itself(self):
        hanoi = current_provinces().get(code="01")
        assert successor_of(hanoi) == hanoi
        assert successor_of(communes_of(hanoi).first()).parent == hanoi

    def test_former_province_by_cccd_code(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            hanoi = former_province_by_cccd_code("001")
            assert (hanoi.name, hanoi.valid_to, hanoi.successor.name) == (
                "Thành phố Hà Nội",
                date(2025, 6, 30),
                "Thành phố Hà Nội",
            )
        assert former_province_by_cccd_code("096").name == "Cà Mau"
        assert former_province_by_cccd_code(" 002 ").successor.name == "Tuyên Quang"
        with django_assert_num_queries(0):
            for bad in ("", "1", "01", "0011", "abc", "٠٠١"):
                assert former_province_by_cccd_code(bad) is None
        assert former_province_by_cccd_code("003") is None  # no province has GSO code 03

    def test_former_province_by_cccd_code_sees_edits(self):
        AdministrativeUnit.objects.filter(cccd_code="001").update(name="Hà Nội (sửa)")
        assert former_province_by_cccd_code("001").name == "Hà Nội (sửa)"

    def test_names_are_nfc_without_stray_spaces(self):
        for name in AdministrativeUnit.objects.values_list("name", flat=True):
            assert name == unicodedata.normalize("NFC", name) == " ".join(name.split()), name

    def test_load_is_idempotent_and_fills_in_what_is_missing(self):
        from django.apps import apps

        before = AdministrativeUnit.objects.count()
        communes().filter(code__in=["00004", "32248"]).delete()
        former_provinces().filter(code="02").delete()
        kept = communes().get(code="00008")
        editor = SimpleNamespace(connection=connection)  # load() only reads the connection's alias
        MIGRATION.load(apps, editor)
        MIGRATION.load(apps, editor)
        assert AdministrativeUnit.objects.count() == before
        assert communes().get(code="32248").parent.name == "Cà Mau"
        assert former_provinces().get(code="02").successor.name == "Tuyên Quang"
        assert communes().get(code="00008").pk == kept.pk


def test_data_files_pass_the_generator_checks():
    """The committed files as scripts/build_admin_units.py writes and checks them (no database)."""
    spec = importlib.util.spec_from_file_location(
        "build_admin_units", ROOT / "scripts" / "build_admin_units.py"
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    text = (DATA / "administrative_units_2025.json").read_text(encoding="utf-8")
    current = json.loads(text)
    assert (current["valid_from"], current["valid_to"]) == ("2025-07-01", None)
    as_package_data = [
        {**p, "wards": [dict(zip(("code", "name", "division_type"), c, strict=True)) for c in p["communes"]]}
        for p in current["provinces"]
    ]
    assert build.render(build.build(as_package_data), current["source"]) == text  # sorted, clean, as built
    assert build.check_former(DATA / "former_provinces_2008.json", current["provinces"]) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_is_reversible_and_can_run_again():
    """Back to 0002 removes every unit, forward loads them again. (Serialized rollback restores the
    reference data after the flush that ends this transactional test.) Migrations run as the owner."""
    with database_roles.as_owner(connection):
        call_command("migrate", "accounts", "0002", verbosity=0)
        assert not AdministrativeUnit.objects.exists()
        call_command("migrate", verbosity=0)
    assert AdministrativeUnit.objects.count() == 34 + 3321 + 63
    assert not AdministrativeUnit.objects.filter(level=Level.COMMUNE, parent__isnull=True).exists()
    assert not former_provinces().filter(successor__isnull=True).exists()


# session, user, the second-factor device of the session (django-otp), filtered count, full count, the
# page (parents joined), the division types for the filter
MAX_QUERIES = 7


@pytest.mark.django_db
def test_admin_changelist_renders_in_constant_queries(admin_client, django_assert_max_num_queries):
    url = reverse("admin:accounts_administrativeunit_changelist")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert "Phường Ba Đình" in response.text  # communes first, by code
    with django_assert_max_num_queries(MAX_QUERIES):
        response = admin_client.get(url, {"level__exact": "commune", "q": "Xã"})
    assert response.status_code == 200
    assert "Thành phố Hà Nội" in response.text  # the parent column
    hanoi = AdministrativeUnit.objects.get(level=Level.PROVINCE, code="01", valid_to=None)
    response = admin_client.get(reverse("admin:accounts_administrativeunit_change", args=[hanoi.pk]))
    assert response.status_code == 200
