# The data a document was built from (for the declarations, with the CCCD) encrypted at rest, for every
# document. Existing rows are encrypted here and the plaintext JSON column dropped; reversible (same keys).

import core.fields
from django.db import migrations, models


def encrypt_rows(apps, schema_editor):
    GeneratedDocument = apps.get_model("documents", "GeneratedDocument")
    for document in GeneratedDocument.objects.all().only("pk", "source_data_plain").iterator():
        document.source_data = document.source_data_plain
        document.save(update_fields=["source_data"])


def decrypt_rows(apps, schema_editor):
    GeneratedDocument = apps.get_model("documents", "GeneratedDocument")
    for document in GeneratedDocument.objects.all().only("pk", "source_data").iterator():
        document.source_data_plain = document.source_data
        document.save(update_fields=["source_data_plain"])


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_document_list_order"),
    ]

    operations = [
        migrations.RenameField(model_name="generateddocument", old_name="source_data", new_name="source_data_plain"),
        migrations.AlterField(
            model_name="generateddocument",
            name="source_data_plain",
            field=models.JSONField(null=True, verbose_name="data it was built from"),
        ),
        migrations.AddField(
            model_name="generateddocument",
            name="source_data",
            field=core.fields.EncryptedJSONField(null=True, verbose_name="data it was built from"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
        migrations.RemoveField(model_name="generateddocument", name="source_data_plain"),
        migrations.AlterField(
            model_name="generateddocument",
            name="source_data",
            field=core.fields.EncryptedJSONField(verbose_name="data it was built from"),
        ),
    ]
