import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_rulebook_v1_and_crafts")]

    operations = [
        # The legal basis is the rulebook version's: kept once, not on the round as well.
        migrations.RemoveField(model_name="round", name="legal_basis"),
        migrations.AlterField(
            model_name="round",
            name="rulebook",
            field=models.ForeignKey(
                help_text="The round is judged by this version of the rules.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rounds",
                to="dossiers.rulebookversion",
                verbose_name="rulebook version",
            ),
        ),
    ]
