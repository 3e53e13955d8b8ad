"""Test settings: the base settings with test-only speed-ups. The database and broker still come from
DATABASE_URL / CELERY_BROKER_URL, so the same suite runs on SQLite and on PostgreSQL + Redis."""

import os

from core.crypto import derived_key

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Keys of the encrypted personal data, derived from the test SECRET_KEY; in the environment, so that the
# worker and manage.py processes the tests start read what this process wrote.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", derived_key(os.environ["SECRET_KEY"], "field-encryption"))
os.environ.setdefault("BLIND_INDEX_KEY", derived_key(os.environ["SECRET_KEY"], "blind-index"))

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

# Tasks run inline unless a test is about the worker (those start a real one: tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
# No LibreOffice in tests, whether the machine has it or not: the PDF tests bring their own stand-in.
DOCUMENTS_SOFFICE = "/nonexistent/soffice"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a live worker process can read what a test wrote; one per test
    # process, so that two test runs on one machine do not share (and corrupt) it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
