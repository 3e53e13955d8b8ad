"""Lists sort Artisan rows in Vietnamese order through a sort-key column computed in Python (core.collation)."""

import core.fields
from core.collation import person_sort_key
from django.db import migrations


def fill(apps, schema_editor):
    """The Vietnamese sort key of every existing row (new rows get theirs on save)."""
    db = schema_editor.connection.alias
    Model = apps.get_model("dossiers", "Artisan")
    rows = list(Model.objects.using(db).only("pk", "full_name"))
    for row in rows:
        row.sort_key = person_sort_key(row.full_name)
    Model.objects.using(db).bulk_update(rows, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0012_craft_years_calendar_counting'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='artisan',
            options={'ordering': ['sort_key', 'id'], 'verbose_name': 'artisan', 'verbose_name_plural': 'artisans'},
        ),
        migrations.AddField(
            model_name='artisan',
            name='sort_key',
            field=core.fields.SortKeyField(kind='person', source='full_name'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
