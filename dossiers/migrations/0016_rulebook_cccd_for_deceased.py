"""Rulebook v1 gains `intake.cccd_required_for_deceased` (read from dossiers/rulebook/43-2024-ND-CP.v1.json):
whether a posthumous dossier must give the deceased artisan's CCCD number. Idempotent: on a new database
0003 has already loaded it from the JSON."""

import json
from pathlib import Path

from django.db import migrations

APP = Path(__file__).resolve().parent.parent
KEY = "intake.cccd_required_for_deceased"


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
    if version is not None:
        row = next(p for p in data["parameters"] if p["key"] == KEY)
        Parameter.objects.using(db).get_or_create(version_id=version.pk, key=KEY, defaults=row)


def backwards(apps, schema_editor):
    db = schema_editor.connection.alias
    _data, version = _version(apps, db)
    if version is not None:
        Parameter = apps.get_model("dossiers", "RuleParameter")
        Parameter.objects.using(db).filter(version_id=version.pk, key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0015_artisan_cccd_optional_for_deceased")]
    operations = [migrations.RunPython(forwards, backwards)]
