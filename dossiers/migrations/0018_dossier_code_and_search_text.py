"""A human code for every dossier (province code, round number, sequence in the province and round) and
a folded search text; existing dossiers get their codes in the order they were received."""

import django.db.models.deletion
from django.db import migrations, models

from core.text import fold_for_search


def fill_codes(apps, schema_editor):
    db = schema_editor.connection.alias
    Dossier = apps.get_model("dossiers", "Dossier")
    Counter = apps.get_model("dossiers", "DossierCodeCounter")
    last: dict[tuple[int, int], int] = {}
    rows = (
        Dossier.objects.using(db)
        .select_related("province", "round", "artisan__craft")
        .order_by("received_on", "id")
    )
    for dossier in rows.iterator(chunk_size=500):
        key = (dossier.province_id, dossier.round_id)
        last[key] = last.get(key, 0) + 1
        dossier.code = f"{dossier.province.code}-{dossier.round.number:02d}-{last[key]:04d}"
        dossier.search_text = " ".join(
            fold_for_search(part)
            for part in (dossier.artisan.full_name, dossier.code, dossier.artisan.craft.name)
            if part
        )
        Dossier.objects.using(db).filter(pk=dossier.pk).update(
            code=dossier.code, search_text=dossier.search_text
        )
    Counter.objects.using(db).bulk_create(
        [Counter(province_id=p, round_id=r, last=n) for (p, r), n in last.items()]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("dossiers", "0017_appraisal_outcomes"),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierCodeCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last", models.PositiveIntegerField(default=0, verbose_name="last sequence number")),
                (
                    "province",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.administrativeunit",
                        verbose_name="province",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="dossiers.round",
                        verbose_name="round",
                    ),
                ),
            ],
            options={
                "verbose_name": "dossier code counter",
                "verbose_name_plural": "dossier code counters",
                "constraints": [
                    models.UniqueConstraint(fields=("province", "round"), name="dossier_code_counter_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="dossier",
            name="code",
            field=models.CharField(editable=False, max_length=24, null=True, verbose_name="dossier code"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=640, verbose_name="search text"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="dossier",
            name="code",
            field=models.CharField(
                editable=False,
                help_text="Province code, round number and sequence in the province and round, e.g. 01-06-0042.",
                max_length=24,
                unique=True,
                verbose_name="dossier code",
            ),
        ),
    ]
