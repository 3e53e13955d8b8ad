"""A deceased artisan may have no CCCD number (where the rulebook allows): its blind index is then NULL."""

import core.fields
import core.validators
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0014_dossier_posthumous_filer'),
    ]

    operations = [
        migrations.AlterField(
            model_name='artisan',
            name='cccd_index',
            field=core.fields.BlindIndexField(normalise=core.validators.normalise_cccd, null=True, purpose='artisan.cccd', source='cccd'),
        ),
    ]
