"""Conflict-of-interest declarations become an append-only history: one row per declaration, request
to withdraw and secretary's decision (the current declaration is the latest row); the rows already
there are recorded as made by their member; on PostgreSQL a trigger refuses UPDATE and DELETE."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION councils_conflictdeclaration_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'councils_conflictdeclaration is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER councils_conflictdeclaration_append_only
    BEFORE UPDATE OR DELETE ON councils_conflictdeclaration
    FOR EACH ROW EXECUTE FUNCTION councils_conflictdeclaration_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS councils_conflictdeclaration_append_only ON councils_conflictdeclaration;
DROP FUNCTION IF EXISTS councils_conflictdeclaration_append_only();
"""


def existing_rows_by_their_member(apps, schema_editor):
    declaration = apps.get_model("councils", "ConflictDeclaration")
    for row in declaration.objects.filter(recorded_by__isnull=True).select_related("membership"):
        declaration.objects.filter(pk=row.pk).update(recorded_by_id=row.membership.user_id)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0009_sealed_ballot_box"),
        ("dossiers", "0017_appraisal_outcomes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="conflictdeclaration",
            name="conflict_one_per_member_dossier",
        ),
        migrations.AddField(
            model_name="conflictdeclaration",
            name="kind",
            field=models.CharField(
                choices=[
                    ("declaration", "declared by the member"),
                    ("withdrawal_request", "request to withdraw a declared conflict"),
                    ("withdrawal_accepted", "withdrawal accepted by the secretary"),
                    ("withdrawal_refused", "withdrawal refused by the secretary"),
                ],
                default="declaration",
                max_length=24,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="conflictdeclaration",
            name="reason",
            field=models.TextField(blank=True, verbose_name="reason"),
        ),
        migrations.AddField(
            model_name="conflictdeclaration",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="conflictdeclaration",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="councils.conflictdeclaration",
            ),
        ),
        migrations.AddField(
            model_name="conflictdeclaration",
            name="session",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="conflict_entries",
                to="councils.session",
            ),
        ),
        migrations.AlterField(
            model_name="conflictdeclaration",
            name="membership",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="conflicts",
                to="councils.membership",
            ),
        ),
        migrations.AddIndex(
            model_name="conflictdeclaration",
            index=models.Index(fields=["membership", "dossier"], name="conflict_member_dossier"),
        ),
        migrations.AddConstraint(
            model_name="conflictdeclaration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "withdrawal_request"), _negated=True),
                    models.Q(("status", "declared"), models.Q(("reason", ""), _negated=True)),
                    _connector="OR",
                ),
                name="conflict_withdrawal_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="conflictdeclaration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind__in", ["withdrawal_accepted", "withdrawal_refused"]), _negated=True),
                    models.Q(("recorded_by__isnull", False), ("request__isnull", False)),
                    _connector="OR",
                ),
                name="conflict_decision_has_request",
            ),
        ),
        migrations.RunPython(existing_rows_by_their_member, migrations.RunPython.noop),
        migrations.RunPython(forward, backward),
    ]
