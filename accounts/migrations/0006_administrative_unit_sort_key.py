"""Lists sort AdministrativeUnit rows in Vietnamese order through a sort-key column computed in Python (core.collation)."""

import core.fields
from core.collation import place_sort_key
from django.db import migrations


def fill(apps, schema_editor):
    """The Vietnamese sort key of every existing row (new rows get theirs on save)."""
    db = schema_editor.connection.alias
    Model = apps.get_model("accounts", "AdministrativeUnit")
    rows = list(Model.objects.using(db).only("pk", "name"))
    for row in rows:
        row.sort_key = place_sort_key(row.name)
    Model.objects.using(db).bulk_update(rows, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_nfc_text_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='administrativeunit',
            name='sort_key',
            field=core.fields.SortKeyField(kind='place', source='name'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
