"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log (TRUNCATE, used only by
test teardown and deliberate maintenance, is not a row operation and stays possible)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION workflows_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'workflows_auditentry is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflows_auditentry_append_only
    BEFORE UPDATE OR DELETE ON workflows_auditentry
    FOR EACH ROW EXECUTE FUNCTION workflows_auditentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS workflows_auditentry_append_only ON workflows_auditentry;
DROP FUNCTION IF EXISTS workflows_auditentry_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
