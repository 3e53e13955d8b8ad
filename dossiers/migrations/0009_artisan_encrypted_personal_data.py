# The CCCD number and the ethnicity encrypted at rest (Law 91/2025, Decree 356/2025), with a blind index
# carrying the uniqueness of the CCCD. Existing rows are encrypted here; the plaintext columns are dropped.
# Reversible: going back decrypts into the plaintext columns again (with the same keys).

import core.fields
import core.validators
from django.db import migrations, models


def encrypt_rows(apps, schema_editor):
    Artisan = apps.get_model("dossiers", "Artisan")
    for artisan in Artisan.objects.all().only("pk", "cccd_plain", "ethnicity_plain").iterator():
        artisan.cccd = artisan.cccd_plain
        artisan.ethnicity = artisan.ethnicity_plain
        artisan.save(update_fields=["cccd", "ethnicity", "cccd_index"])  # the index is computed on save


def decrypt_rows(apps, schema_editor):
    Artisan = apps.get_model("dossiers", "Artisan")
    for artisan in Artisan.objects.all().only("pk", "cccd", "ethnicity").iterator():
        artisan.cccd_plain = artisan.cccd
        artisan.ethnicity_plain = artisan.ethnicity
        artisan.save(update_fields=["cccd_plain", "ethnicity_plain"])


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0008_dossier_list_order"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="artisan", name="artisan_unique_cccd"),
        migrations.RenameField(model_name="artisan", old_name="cccd", new_name="cccd_plain"),
        migrations.RenameField(model_name="artisan", old_name="ethnicity", new_name="ethnicity_plain"),
        # nullable before they go, so that going back can re-add them to a table with rows
        migrations.AlterField(
            model_name="artisan",
            name="cccd_plain",
            field=models.CharField(max_length=12, null=True, verbose_name="CCCD number"),
        ),
        migrations.AlterField(
            model_name="artisan",
            name="ethnicity_plain",
            field=models.CharField(max_length=64, null=True, verbose_name="ethnicity"),
        ),
        migrations.AddField(
            model_name="artisan",
            name="cccd",
            field=core.fields.EncryptedTextField(max_length=12, null=True, verbose_name="CCCD number"),
        ),
        migrations.AddField(
            model_name="artisan",
            name="ethnicity",
            field=core.fields.EncryptedTextField(max_length=64, null=True, verbose_name="ethnicity"),
        ),
        migrations.AddField(
            model_name="artisan",
            name="cccd_index",
            field=core.fields.BlindIndexField(
                null=True, normalise=core.validators.normalise_cccd, purpose="artisan.cccd", source="cccd"
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
        migrations.RemoveField(model_name="artisan", name="cccd_plain"),
        migrations.RemoveField(model_name="artisan", name="ethnicity_plain"),
        migrations.AlterField(
            model_name="artisan",
            name="cccd",
            field=core.fields.EncryptedTextField(max_length=12, verbose_name="CCCD number"),
        ),
        migrations.AlterField(
            model_name="artisan",
            name="ethnicity",
            field=core.fields.EncryptedTextField(max_length=64, verbose_name="ethnicity"),
        ),
        migrations.AlterField(
            model_name="artisan",
            name="cccd_index",
            field=core.fields.BlindIndexField(
                normalise=core.validators.normalise_cccd, purpose="artisan.cccd", source="cccd"
            ),
        ),
        migrations.AddConstraint(
            model_name="artisan",
            constraint=models.UniqueConstraint(fields=("cccd_index",), name="artisan_unique_cccd"),
        ),
    ]
