"""Load the administrative units: the 34 provinces and 3,321 communes in force since 01/07/2025 and the 63
provinces in force from 01/08/2008 to 30/06/2025, each with its successor. Data and sources:
accounts/data/README.md.

Idempotent: a row whose (level, code, valid_from) is already there is left as it is (only a missing
parent or successor is filled in). Reversible: going back deletes the rows of the files' codes and
editions; it stops with ProtectedError if an agency (or a unit added by hand) still refers to one.
Bulk inserts, because this runs for every test database.
"""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
CURRENT_FILE = "administrative_units_2025.json"
FORMER_FILE = "former_provinces_2008.json"
PROVINCE, COMMUNE = "province", "commune"


def _read(name):
    with open(DATA / name, encoding="utf-8") as f:
        data = json.load(f)
    data["valid_from"] = date.fromisoformat(data["valid_from"])
    data["valid_to"] = date.fromisoformat(data["valid_to"]) if data["valid_to"] else None
    return data


def _codes(units, level, valid_from):
    return dict(units.filter(level=level, valid_from=valid_from).values_list("code", "id"))


def _fill_missing(units, level, valid_from, field, ids_by_code, target_by_code):
    """Set `field` (parent or successor) on existing rows of the edition where it is still empty."""
    Unit = units.model
    lacking = units.filter(level=level, valid_from=valid_from, **{f"{field}__isnull": True})
    rows = [u for u in lacking.only("id", "code") if u.code in target_by_code]
    for u in rows:
        setattr(u, f"{field}_id", ids_by_code[target_by_code[u.code]])
    if rows:
        Unit.objects.using(units.db).bulk_update(rows, [field], batch_size=500)


def load(apps, schema_editor):
    Unit = apps.get_model("accounts", "AdministrativeUnit")
    units = Unit.objects.using(schema_editor.connection.alias)
    current, former = _read(CURRENT_FILE), _read(FORMER_FILE)
    edition = {"valid_from": current["valid_from"], "valid_to": current["valid_to"]}
    old_edition = {"valid_from": former["valid_from"], "valid_to": former["valid_to"]}

    existing = _codes(units, PROVINCE, edition["valid_from"])
    units.bulk_create(
        [
            Unit(level=PROVINCE, code=p["code"], name=p["name"], division_type=p["division_type"], **edition)
            for p in current["provinces"]
            if p["code"] not in existing
        ]
    )
    province_ids = _codes(units, PROVINCE, edition["valid_from"])

    existing = _codes(units, COMMUNE, edition["valid_from"])
    parent_of = {}
    new_communes = []
    for p in current["provinces"]:
        for code, name, division_type in p["communes"]:
            parent_of[code] = p["code"]
            if code not in existing:
                new_communes.append(
                    Unit(
                        level=COMMUNE, code=code, name=name, division_type=division_type,
                        parent_id=province_ids[p["code"]], **edition,
                    )
                )
    units.bulk_create(new_communes, batch_size=500)
    _fill_missing(units, COMMUNE, edition["valid_from"], "parent", province_ids, parent_of)

    existing = _codes(units, PROVINCE, old_edition["valid_from"])
    successor_of = {p["code"]: p["successor"] for p in former["provinces"]}
    units.bulk_create(
        [
            Unit(
                level=PROVINCE, code=p["code"], name=p["name"], division_type=p["division_type"],
                cccd_code=p["cccd_code"], successor_id=province_ids[p["successor"]], **old_edition,
            )
            for p in former["provinces"]
            if p["code"] not in existing
        ]
    )
    _fill_missing(units, PROVINCE, old_edition["valid_from"], "successor", province_ids, successor_of)


def unload(apps, schema_editor):
    Unit = apps.get_model("accounts", "AdministrativeUnit")
    units = Unit.objects.using(schema_editor.connection.alias)
    current, former = _read(CURRENT_FILE), _read(FORMER_FILE)
    communes = [c[0] for p in current["provinces"] for c in p["communes"]]
    # Children before the provinces they point to (parent and successor are PROTECT).
    units.filter(level=COMMUNE, valid_from=current["valid_from"], code__in=communes).delete()
    units.filter(
        level=PROVINCE, valid_from=former["valid_from"], code__in=[p["code"] for p in former["provinces"]]
    ).delete()
    units.filter(
        level=PROVINCE, valid_from=current["valid_from"], code__in=[p["code"] for p in current["provinces"]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(load, unload)]
