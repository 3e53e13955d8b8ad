"""The registry of conferred titles (Conferral), and the title as held linked to it (PriorTitle.conferral).
The dossiers already conferred get their registry row and the title as held."""

import secrets

import core.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


from core.text import fold_for_search

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def fill_registry(apps, schema_editor):
    db = schema_editor.connection.alias
    Dossier = apps.get_model("dossiers", "Dossier")
    Conferral = apps.get_model("dossiers", "Conferral")
    PriorTitle = apps.get_model("dossiers", "PriorTitle")
    rows = (
        Dossier.objects.using(db)
        .filter(state="conferred", decision_date__isnull=False)
        .select_related("artisan__craft", "province__successor__successor", "round")
        .order_by("decision_date", "id")
    )
    public_ids: dict[int, str] = {}
    for dossier in rows:
        if Conferral.objects.using(db).filter(artisan_id=dossier.artisan_id, title=dossier.title).exists():
            continue
        current = dossier.province
        while current is not None and current.valid_to is not None:
            current = current.successor
        if current is None:
            continue
        artisan = dossier.artisan
        public_id = public_ids.setdefault(artisan.pk, "".join(secrets.choice(ALPHABET) for _ in range(10)))
        parts = [artisan.full_name, artisan.craft.name, dossier.decision_number, dossier.province.name]
        if current.pk != dossier.province_id:
            parts.append(current.name)
        conferral = Conferral(
            artisan=artisan,
            public_id=public_id,
            full_name=artisan.full_name,
            title=dossier.title,
            round_number=dossier.round.number,
            year=dossier.decision_date.year,
            decision_number=dossier.decision_number,
            decision_date=dossier.decision_date,
            province=dossier.province,
            current_province=current,
            craft_id=artisan.craft_id,
            posthumous=dossier.posthumous,
            source_dossier=dossier,
            search_text=" ".join(fold_for_search(p) for p in parts if p)[:1024],
        )
        conferral.save(using=db)
        PriorTitle.objects.using(db).create(
            artisan=artisan,
            title=dossier.title,
            field="handicraft",
            decision_number=dossier.decision_number,
            decision_date=dossier.decision_date,
            conferral=conferral,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_invitation"),
        ("dossiers", "0018_dossier_code_and_search_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Conferral",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "public_id",
                    models.CharField(
                        db_index=True, editable=False, max_length=16, verbose_name="public identifier"
                    ),
                ),
                ("full_name", core.fields.NFCCharField(max_length=255, verbose_name="full name")),
                ("sort_key", core.fields.SortKeyField(kind="person", source="full_name")),
                (
                    "title",
                    models.CharField(
                        choices=[("excellent", "Excellent Artisan"), ("peoples", "People's Artisan")],
                        max_length=16,
                        verbose_name="title",
                    ),
                ),
                ("round_number", models.PositiveSmallIntegerField(verbose_name="round number")),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="year")),
                (
                    "decision_number",
                    models.CharField(max_length=64, verbose_name="President's decision number"),
                ),
                ("decision_date", models.DateField(verbose_name="President's decision date")),
                ("posthumous", models.BooleanField(default=False, verbose_name="posthumous")),
                (
                    "search_text",
                    models.CharField(default="", editable=False, max_length=1024, verbose_name="search text"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "artisan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conferrals",
                        to="dossiers.artisan",
                        verbose_name="artisan",
                    ),
                ),
                (
                    "craft",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conferrals",
                        to="dossiers.craft",
                        verbose_name="craft",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "current_province",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.administrativeunit",
                        verbose_name="province today",
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.administrativeunit",
                        verbose_name="province at conferral",
                    ),
                ),
                (
                    "source_dossier",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conferral",
                        to="dossiers.dossier",
                        verbose_name="dossier",
                    ),
                ),
            ],
            options={
                "verbose_name": "conferred title",
                "verbose_name_plural": "conferred titles",
                "ordering": ["-decision_date", "sort_key", "id"],
            },
        ),
        migrations.AddField(
            model_name="priortitle",
            name="conferral",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="prior_title",
                to="dossiers.conferral",
                verbose_name="conferred title",
            ),
        ),
        migrations.AddIndex(
            model_name="conferral",
            index=models.Index(fields=["-decision_date", "sort_key", "id"], name="conferral_registry_order"),
        ),
        migrations.AddIndex(
            model_name="conferral",
            index=models.Index(fields=["current_province", "year"], name="conferral_by_province"),
        ),
        migrations.AddConstraint(
            model_name="conferral",
            constraint=models.UniqueConstraint(
                fields=("artisan", "title"), name="conferral_one_per_artisan_and_title"
            ),
        ),
        migrations.RunPython(fill_registry, migrations.RunPython.noop),
    ]
