"""A council's shortened name for document headers, recorded when its decision gives one (empty: the short
form of its level)."""

import core.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0010_conflict_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="council",
            name="short_name",
            field=core.fields.NFCCharField(
                blank=True,
                help_text="Shown in document headers when the full name is too long; leave empty for the usual short form of the level.",
                max_length=255,
                verbose_name="short name for document headers",
            ),
        ),
    ]
