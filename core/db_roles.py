"""The two database roles on PostgreSQL: the owner of the tables, which migrations (and a restore) connect
as through DATABASE_MIGRATE_URL, and the application's role (DATABASE_URL's user), which owns nothing and
holds only what the application needs:

- SELECT, INSERT, UPDATE, DELETE on the ordinary tables and USAGE, SELECT on the sequences;
- SELECT and INSERT only on the append-only tables (the models with ``APPEND_ONLY = True``: the dossiers'
  audit log, the record of administrative acts, ...), and SELECT only on django_migrations;
- no REFERENCES or TRIGGER anywhere, no CREATE in the schema, and TRUNCATE only on the tables whose
  models say ``TRUNCATE_ALLOWED = True`` (the sealed ballot box, emptied that way after a close so that no
  dead copy of a sealed ballot stays in the table's file; VACUUM would need the owner).

Not owning the tables, the application can neither TRUNCATE an append-only table, nor
``ALTER TABLE ... DISABLE TRIGGER``, nor (not being a superuser) ``SET session_replication_role``: the
trigger that refuses UPDATE and DELETE cannot be switched off from the application's connection.

``grant_app_role`` is idempotent and runs after every ``migrate`` (core.apps, post_migrate) and after a
restore; ``manage.py grant_app_role`` runs it on its own. On SQLite, or when DATABASE_URL and the owner are
the same role (a single-URL set-up), it does nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections, transaction

# Tables the application reads but never writes, besides the append-only ones.
READ_ONLY_TABLES = ("django_migrations",)


class AppRoleError(Exception):
    """The application role is missing or is not a restricted role: said to the operator in one line."""


def append_only_tables() -> list[str]:
    """Every installed model's table whose model says ``APPEND_ONLY = True``: the one list of them."""
    from django.apps import apps

    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if getattr(model, "APPEND_ONLY", False) and model._meta.managed and not model._meta.proxy
        }
    )


def truncatable_tables() -> list[str]:
    """The tables the application may TRUNCATE: those whose model says ``TRUNCATE_ALLOWED = True``."""
    from django.apps import apps

    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if getattr(model, "TRUNCATE_ALLOWED", False) and model._meta.managed and not model._meta.proxy
        }
    )


def grant_statements(*, role: str, schema: str, existing_tables: set[str], quote) -> list[str]:
    """The statements, in order, that leave `role` with exactly the application's privileges."""
    r, s = quote(role), quote(schema)
    statements = [
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"REVOKE CREATE ON SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
    ]
    for table in READ_ONLY_TABLES:
        if table in existing_tables:
            statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {s}.{quote(table)} FROM {r}")
    for table in append_only_tables():
        if table in existing_tables:
            statements.append(f"REVOKE UPDATE, DELETE ON {s}.{quote(table)} FROM {r}")
    for table in truncatable_tables():
        if table in existing_tables:
            statements.append(f"GRANT TRUNCATE ON {s}.{quote(table)} TO {r}")
    statements += [
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # Tables and sequences the owner creates later (the next migrations) are usable at once; the
        # append-only ones lose UPDATE and DELETE when this runs again, right after that migrate.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    return statements


def grant_app_role(using: str = "default", role: str | None = None) -> str | None:
    """Give the application role (DATABASE_URL's user unless `role` is given) its privileges on the tables
    of the database `using` connects to, as that connection's role (the owner). Returns the role, or None
    when there is nothing to do: not PostgreSQL, no role named, or the role is the connection's own."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    role = settings.DATABASE_APP_ROLE if role is None else role
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        owner, schema = cursor.fetchone()
        if not role or role == owner:
            return None
        cursor.execute(
            "SELECT rolsuper, pg_has_role(rolname, current_user, 'USAGE') FROM pg_roles WHERE rolname = %s",
            [role],
        )
        found = cursor.fetchone()
        if found is None:
            raise AppRoleError(
                f'the application role "{role}" (the user of DATABASE_URL) does not exist; create it first: '
                f"CREATE ROLE \"{role}\" LOGIN PASSWORD '...'"
            )
        if found[0]:
            raise AppRoleError(
                f'the application role "{role}" is a superuser: no privilege can be withheld from it; make '
                "DATABASE_URL's user an ordinary role (docs/deployment.md)"
            )
        if found[1]:
            raise AppRoleError(
                f'the application role "{role}" is a member of the owner role "{owner}", so it has the '
                f'owner\'s powers: REVOKE "{owner}" FROM "{role}"'
            )
        existing = set(connection.introspection.table_names(cursor))
        statements = grant_statements(
            role=role, schema=schema, existing_tables=existing, quote=connection.ops.quote_name
        )
    # One transaction: the running application never sees a half-granted state.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return role


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: after every migrate (new tables, a new append-only model), grant again."""
    grant_app_role(using=using)
