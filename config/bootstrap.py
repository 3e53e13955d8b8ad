"""Start-up guard: bad configuration stops the process with one clear message, not a traceback.

Used by manage.py, the WSGI/ASGI entry points and the Celery app. Messages are bilingual because they
appear before Django's translation machinery is ready.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

EXIT_CONFIG = 2


def redact_url(url: str) -> str:
    """Hide the password in a connection URL before it is printed."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


# The manage.py commands that connect as the tables' owner, through DATABASE_MIGRATE_URL when it is set
# (config.settings.base; docs/configuration.md): they create tables, hand out privileges on them, or
# rewrite them (the sealed ballot box's VACUUM FULL).
OWNER_COMMANDS = frozenset({"migrate", "grant_app_role", "restore", "purge_sealed_box"})


def _database_hint() -> str:
    import os

    variable = "DATABASE_URL"
    if os.environ.get("DATABASE_MIGRATE_URL") and len(sys.argv) > 1 and sys.argv[1] in OWNER_COMMANDS:
        variable = "DATABASE_MIGRATE_URL"
    url = os.environ.get(variable, "")
    return f" ({variable}={redact_url(url)})" if url else ""


@contextmanager
def fail_cleanly() -> Iterator[None]:
    """Turn configuration and database-connection errors into one line on stderr and exit code 2."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        yield
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Lỗi cấu hình / Configuration error: {exc}\n")
        sys.exit(EXIT_CONFIG)
    except Exception as exc:
        from django.db.utils import InterfaceError, OperationalError

        if isinstance(exc, (OperationalError, InterfaceError)):
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            sys.stderr.write(
                f"Không kết nối được cơ sở dữ liệu / Cannot reach the database{_database_hint()}: {reason}\n"
            )
            sys.exit(EXIT_CONFIG)
        raise
