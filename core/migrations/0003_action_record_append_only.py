"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the record of administrative acts, as
it does on the dossiers' audit log."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_actionrecord_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_actionrecord is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_actionrecord_append_only
    BEFORE UPDATE OR DELETE ON core_actionrecord
    FOR EACH ROW EXECUTE FUNCTION core_actionrecord_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_actionrecord_append_only ON core_actionrecord;
DROP FUNCTION IF EXISTS core_actionrecord_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_action_record")]
    operations = [migrations.RunPython(forward, backward)]
