"""Databases migrated before the rulebook gained `council.recused_in_base` get it from the same data file
(dossiers/rulebook/43-2024-ND-CP.v1.json); new databases already have it from dossiers 0003."""

import json
from pathlib import Path

from django.db import migrations

KEY = "council.recused_in_base"
DATA = Path(__file__).resolve().parent.parent.parent / "dossiers" / "rulebook" / "43-2024-ND-CP.v1.json"


def add(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    parameter = next(p for p in data["parameters"] if p["key"] == KEY)
    Version = apps.get_model("dossiers", "RulebookVersion")
    Parameter = apps.get_model("dossiers", "RuleParameter")
    for version in Version.objects.filter(legal_basis=data["legal_basis"], version=data["version"]):
        Parameter.objects.get_or_create(version=version, key=KEY, defaults=parameter)


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial"), ("dossiers", "0003_rulebook_v1_and_crafts")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
