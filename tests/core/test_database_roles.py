"""The application connects to PostgreSQL as a role that owns nothing (DATABASE_URL), the owner only migrates
(DATABASE_MIGRATE_URL): from the application's connection, an append-only table can be read and added to,
and nothing else — no UPDATE or DELETE, no TRUNCATE, no switching its trigger off, no replica mode that
would skip it. CI runs these as the application role; on SQLite, or with one URL, they are skipped."""

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from core.db_roles import append_only_tables, truncatable_tables
from core.models import ActionRecord
from core.services import action_record
from tests import database_roles, factories

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's (CI runs this there)"
)
as_application_role = pytest.mark.skipif(
    not database_roles.restricted(),
    reason="the tests connect as the tables' owner: set DATABASE_MIGRATE_URL to the owner and DATABASE_URL "
    "to the application role to run this (CI does)",
)


def refused(sql: str) -> str:
    """The error PostgreSQL gives the application's connection for `sql` ("" when it was accepted)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        return str(exc)
    return ""


def test_the_audit_tables_are_the_append_only_ones():
    assert {
        "workflows_auditentry",
        "core_actionrecord",
        "dossiers_sensitivedataaccess",
        "dossiers_consentrecord",
        "dossiers_roundruleoverride",
    } <= set(append_only_tables())


@postgresql_only
@as_application_role
def test_the_application_can_neither_change_nor_empty_nor_unprotect_an_append_only_table():
    user = factories.user()
    action_record(action="x", obj=user, summary="s", by=user)  # INSERT and SELECT work
    assert ActionRecord.objects.filter(actor=user).exists()
    quote = connection.ops.quote_name
    for table in append_only_tables():
        t = quote(table)
        for sql in (
            f"UPDATE {t} SET id = id",  # noqa: S608  (our own table names)
            f"DELETE FROM {t}",  # noqa: S608
            f"TRUNCATE {t}",
            f"TRUNCATE {t} CASCADE",
            f"ALTER TABLE {t} DISABLE TRIGGER ALL",
            f"ALTER TABLE {t} OWNER TO CURRENT_USER",
            f"DROP TABLE {t}",
        ):
            error = refused(sql)
            assert error, f"{sql} was accepted"
            assert "permission denied" in error or "must be owner" in error, error
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT has_table_privilege(%s, 'SELECT'), has_table_privilege(%s, 'INSERT')", [table, table]
            )
            assert cursor.fetchone() == (True, True), table
    # The replica mode that skips triggers is a superuser's; so is switching the trigger function off.
    assert "permission denied" in refused("SET session_replication_role = replica")
    assert refused("CREATE OR REPLACE FUNCTION core_actionrecord_append_only() RETURNS trigger AS "
                   "$$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql")  # fmt: skip
    assert ActionRecord.objects.filter(actor=user).count() == 1


@postgresql_only
@as_application_role
def test_the_application_role_owns_nothing_and_holds_only_what_it_needs():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles"
            " WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute(
            # owned by the role itself or by a role whose powers it has (a member of the owner's)
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE pg_has_role(current_user, c.relowner, 'USAGE') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_temp%%'"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT c.relname, has_table_privilege(c.oid, 'TRUNCATE'), has_table_privilege(c.oid, 'UPDATE'),"
            " has_table_privilege(c.oid, 'DELETE') FROM pg_class c"
            " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')"
        )
        privileges = {name: tuple(granted) for name, *granted in cursor.fetchall()}
        cursor.execute("SELECT has_schema_privilege(current_schema(), 'CREATE')")
        assert cursor.fetchone()[0] is False
    # TRUNCATE only on the sealed ballot box (emptied after a close), never on an append-only table
    assert {name for name, (truncate, _u, _d) in privileges.items() if truncate} == set(truncatable_tables())
    assert set(truncatable_tables()) == {"councils_sealedballot", "councils_ballotboxkey"}
    append_only = set(append_only_tables())
    assert {name for name, (_t, update, delete) in privileges.items() if not update and not delete} == (
        append_only | {"django_migrations"}
    )
    # the ordinary tables are the application's to change
    assert privileges["dossiers_dossier"] == (False, True, True)
    assert privileges["django_session"] == (False, True, True)


def owner_connection() -> psycopg.Connection:
    """A connection of its own to the test database as the owner (DATABASE_MIGRATE_URL's role, or the
    tests' own where there is one role)."""
    creds = database_roles.owner_credentials() or {
        key: connection.settings_dict.get(key) for key in database_roles.CREDENTIALS
    }
    return psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=creds["USER"] or None,
        password=creds["PASSWORD"] or None,
        host=creds["HOST"] or None,
        port=creds["PORT"] or None,
    )


@postgresql_only
@pytest.mark.parametrize(
    "insert",
    [
        "INSERT INTO core_actionrecord (action, object_type, object_id, summary, reason, data, at) "
        "VALUES ('x', 'y', '1', 's', '', '{}', now()) RETURNING id",
        # the dossier is checked at commit (deferred), which never comes
        "INSERT INTO workflows_auditentry (dossier_id, transition, from_state, to_state, reason, at, "
        "request_id) VALUES (0, 'submit', 'draft', 'submitted', '', now(), '') RETURNING id",
    ],
    ids=["core_actionrecord", "workflows_auditentry"],
)
def test_the_trigger_refuses_update_and_delete_even_to_the_owner(insert):
    table = insert.split()[2]
    with owner_connection() as owner:
        for sql in (
            f"UPDATE {table} SET reason = 'changed' WHERE id = %s",  # noqa: S608  (one of the two above)
            f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
        ):
            row_id = owner.execute(insert).fetchone()[0]
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                owner.execute(sql, [row_id])
            owner.rollback()
