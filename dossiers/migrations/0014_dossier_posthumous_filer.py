"""Who files a posthumous nomination (a relative or an organisation, with the relationship)."""

import core.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0013_artisan_sort_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='filer_kind',
            field=models.CharField(blank=True, choices=[('relative', 'a relative'), ('organisation', 'an organisation')], help_text='Posthumous only.', max_length=16, verbose_name='filed by'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='filer_name',
            field=core.fields.NFCCharField(blank=True, max_length=255, verbose_name='name of the relative or organisation filing'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='filer_relationship',
            field=core.fields.NFCCharField(blank=True, help_text='For a relative: son, daughter, spouse…; for an organisation: its tie to the artisan.', max_length=255, verbose_name='relationship to the artisan'),
        ),
    ]
