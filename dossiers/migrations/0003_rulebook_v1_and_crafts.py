"""Load rulebook version 1 for Decree 43/2024/NĐ-CP (dossiers/rulebook/43-2024-ND-CP.v1.json) and the
craft catalogue (dossiers/data/crafts.json); pin every existing round to that version. Idempotent."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

APP = Path(__file__).resolve().parent.parent


def load(apps, schema_editor):
    db = schema_editor.connection.alias
    Version = apps.get_model("dossiers", "RulebookVersion")
    Parameter = apps.get_model("dossiers", "RuleParameter")
    Round = apps.get_model("dossiers", "Round")
    Craft = apps.get_model("dossiers", "Craft")

    data = json.loads((APP / "rulebook" / "43-2024-ND-CP.v1.json").read_text(encoding="utf-8"))
    version, _ = Version.objects.using(db).get_or_create(
        legal_basis=data["legal_basis"], version=data["version"],
        defaults={"effective_from": date.fromisoformat(data["effective_from"]), "notes": data["notes"]},
    )
    have = set(Parameter.objects.using(db).filter(version=version).values_list("key", flat=True))
    Parameter.objects.using(db).bulk_create(
        [Parameter(version=version, **p) for p in data["parameters"] if p["key"] not in have]
    )
    Round.objects.using(db).filter(rulebook__isnull=True).update(rulebook=version)

    crafts = json.loads((APP / "data" / "crafts.json").read_text(encoding="utf-8"))["crafts"]
    have = set(Craft.objects.using(db).values_list("code", flat=True))
    Craft.objects.using(db).bulk_create([Craft(**c) for c in crafts if c["code"] not in have])


def unload(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("dossiers", "Round").objects.using(db).update(rulebook=None)
    apps.get_model("dossiers", "RuleParameter").objects.using(db).filter(version__version=1).delete()
    apps.get_model("dossiers", "RulebookVersion").objects.using(db).filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_dossier_evidence_rulebook")]
    operations = [migrations.RunPython(load, unload)]
