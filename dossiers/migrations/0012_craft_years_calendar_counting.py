"""Time in the craft is counted in calendar years, months and days (docs/law.md §3.5): rulebook v1
gains `craft_years.days_per_month` (read from dossiers/rulebook/43-2024-ND-CP.v1.json) and loses
`craft_years.days_per_year`, which counted several periods in days ÷ 365.25. Idempotent: on a new
database 0003 has already loaded the parameter from the JSON."""

import json
from pathlib import Path

from django.db import migrations

APP = Path(__file__).resolve().parent.parent
NEW, OLD = "craft_years.days_per_month", "craft_years.days_per_year"
OLD_ROW = {
    "key": OLD,
    "value": 365.25,
    "article": "Điều 6 khoản 2; Điều 7",
    "confidence": "I",
    "description_vi": "Cách tính thời gian cộng dồn: tổng số ngày của các giai đoạn chia cho 365,25",
    "description_en": "How cumulative time is counted: the days of all periods divided by 365.25",
    "source": "engine interpretation",
}


def _version(apps, db):
    data = json.loads((APP / "rulebook" / "43-2024-ND-CP.v1.json").read_text(encoding="utf-8"))
    Version = apps.get_model("dossiers", "RulebookVersion")
    version = (
        Version.objects.using(db).filter(legal_basis=data["legal_basis"], version=data["version"]).first()
    )
    return data, version


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Parameter = apps.get_model("dossiers", "RuleParameter")
    data, version = _version(apps, db)
    if version is None:
        return
    row = next(p for p in data["parameters"] if p["key"] == NEW)
    Parameter.objects.using(db).get_or_create(version_id=version.pk, key=NEW, defaults=row)
    Parameter.objects.using(db).filter(version_id=version.pk, key=OLD).delete()


def backwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Parameter = apps.get_model("dossiers", "RuleParameter")
    _data, version = _version(apps, db)
    if version is None:
        return
    Parameter.objects.using(db).filter(version_id=version.pk, key=NEW).delete()
    Parameter.objects.using(db).get_or_create(version_id=version.pk, key=OLD, defaults=OLD_ROW)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0011_nfc_text_fields")]
    operations = [migrations.RunPython(forwards, backwards)]
