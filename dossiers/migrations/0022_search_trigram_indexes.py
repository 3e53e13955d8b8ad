"""Trigram indexes for the searches of the dossier list and the registry (PostgreSQL only).

Both searches ask that each folded word occur somewhere in `search_text` (LIKE '%word%'). A B-tree
cannot serve a pattern that starts with a wildcard, so without these PostgreSQL reads every row of the
table for each search. A GIN index of the column's trigrams (pg_trgm, a trusted extension since
PostgreSQL 13: the database's owner may create it) finds the rows holding the word's trigrams. SQLite
has no such index and scans, as it did before; its databases are the small ones of `make run` and the
tests.
"""

from django.db import migrations

INDEXES = (
    ("dossiers_dossier_search_trgm", "dossiers_dossier"),
    ("dossiers_conferral_search_trgm", "dossiers_conferral"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0021_registry_import")]

    operations = [migrations.RunPython(create, drop)]
