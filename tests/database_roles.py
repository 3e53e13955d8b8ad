"""The tests' two PostgreSQL roles, as in production: DATABASE_URL's user (the application role, which the
tests connect as) and DATABASE_MIGRATE_URL's (the owner, which creates, migrates, flushes and drops the test
database). Without DATABASE_MIGRATE_URL, or on SQLite, there is one role and these change nothing."""

from __future__ import annotations

import os
from contextlib import contextmanager

import environ

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


def owner_credentials() -> dict | None:
    url = os.environ.get("DATABASE_MIGRATE_URL", "")
    if not url:
        return None
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        return None
    return {key: config.get(key) or "" for key in CREDENTIALS}


def app_credentials() -> dict | None:
    """DATABASE_URL's role, when there is a separate owner."""
    if owner_credentials() is None:
        return None
    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    return {key: config.get(key) or "" for key in CREDENTIALS}


def restricted() -> bool:
    """The tests connect as a separate application role (CI's PostgreSQL run)."""
    return owner_credentials() is not None


@contextmanager
def as_owner(connection):
    """The connection reconnects as the owner inside the block, then as the application again."""
    saved = use_owner(connection)
    try:
        yield
    finally:
        use(connection, saved)


def use_owner(connection) -> dict | None:
    """Switch the connection to the owner for good; returns the application's credentials to go back."""
    owner = owner_credentials()
    if owner is None or connection.vendor != "postgresql":
        return None
    saved = {key: connection.settings_dict.get(key) for key in CREDENTIALS}
    connection.close()
    connection.settings_dict.update(owner)
    return saved


def use(connection, credentials: dict | None) -> None:
    if credentials is not None:
        connection.close()
        connection.settings_dict.update(credentials)


def url(settings_dict: dict, credentials: dict | None = None) -> str:
    """A DATABASE_URL for the database `settings_dict` names, with its role or the `credentials` given."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    creds = {key: settings_dict.get(key) for key in CREDENTIALS}
    creds.update(credentials or {})
    user = creds["USER"] or ""
    if user and creds["PASSWORD"]:
        from urllib.parse import quote

        user = f"{quote(user, safe='')}:{quote(creds['PASSWORD'], safe='')}"
    return f"postgres://{user}@{creds['HOST'] or '127.0.0.1'}:{creds['PORT'] or 5432}/{settings_dict['NAME']}"


def urls(settings_dict: dict) -> dict[str, str]:
    """DATABASE_URL (the application role) and DATABASE_MIGRATE_URL (the owner) of that database, for a
    process the tests start."""
    return {
        "DATABASE_URL": url(settings_dict),
        "DATABASE_MIGRATE_URL": url(settings_dict, owner_credentials()),
    }
