"""An agency's postal address, where it receives mail (the written comments on a posted list)."""

import core.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_invitation"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="address",
            field=core.fields.NFCCharField(
                blank=True,
                help_text="Where the body receives mail, e.g. the written comments on a posted list.",
                max_length=255,
                verbose_name="address",
            ),
        ),
    ]
