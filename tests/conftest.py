import pytest

from tests import database_roles


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The owner (DATABASE_MIGRATE_URL) creates and migrates the test database, as `migrate` does in
    production; its post_migrate grants the application role (DATABASE_URL's user) its privileges."""
    from django.db import connection

    database_roles.use_owner(connection)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, then the tests connect as the application role. The flush that ends every
    transactional test (TRUNCATE, which the application may not do to the audit tables) and the final drop
    of the test database run as the owner."""
    from django.db import connection
    from django.test import TransactionTestCase

    app = database_roles.app_credentials()
    if not app or connection.vendor != "postgresql":
        yield
        return
    original_teardown = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        with database_roles.as_owner(connection):
            original_teardown(self)

    database_roles.use(connection, app)
    TransactionTestCase._fixture_teardown = _fixture_teardown
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = original_teardown
        database_roles.use_owner(connection)


@pytest.fixture(autouse=True)
def _force_login_with_second_factor(request, monkeypatch):
    """`client.force_login(user)` also passes the second factor, as a real sign-in would: the user gets a
    confirmed TOTP device (if none) and the session is marked verified by it (django_otp.login's session
    key) with the authentication time now. Tests of the sign-in itself log in with `client.post` to the
    login page and a real code; `@pytest.mark.real_login` turns this off for a test."""
    if request.node.get_closest_marker("real_login"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        from accounts.auth import session_pass_second_factor

        original(self, user, backend)
        session_pass_second_factor(self.session, user, device_name="test")

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _vietnamese_by_default(settings):
    """Each test starts in the default language, whatever the previous one activated."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def live_worker(worker_factory):
    """A real Celery worker process on the configured broker (the server-less sqla+sqlite one by
    default, Redis in CI), reading the test database. Tasks sent to `live_worker.queue` reach it.

    Serialized rollback puts the reference data (loaded by migrations) back after the flush that ends
    every transactional test. The queue name is unique to the test, so a worker never takes another
    run's tasks (nor does any other worker take ours) on a shared Redis.
    """
    return worker_factory()


@pytest.fixture
def worker_factory(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    """Start real workers: `worker_factory(queue=None, env=None, settings_module=None)`; each call starts
    one more process (on the given queue, by default a new one of its own). All are stopped at the end."""
    import os
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path

    from django.db import connection

    from config.celery import app

    database_urls = database_roles.urls(connection.settings_dict)  # the worker connects as the application
    root = Path(__file__).resolve().parent.parent
    started = []
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False

    class Worker:
        def wait_for(self, predicate, timeout=60.0):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if predicate():
                    return True
                if self.process.poll() is not None:
                    raise AssertionError(
                        f"worker exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}"
                    )
                time.sleep(0.25)
            return False

    def start(queue=None, env=None, settings_module="config.settings.base"):
        queue = queue or f"test-{uuid.uuid4().hex[:12]}"
        hostname = f"{queue}-{len(started)}@localhost"
        worker_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "localhost",
            **database_urls,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # files the worker writes, where the test reads them
            "DOCUMENTS_SOFFICE": settings.DOCUMENTS_SOFFICE,
            **(env or {}),
        }
        log_path = tmp_path / f"worker-{len(started)}.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool",
                    "solo",
                    "--queues",
                    queue,
                    "--hostname",
                    hostname,
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=root,
                env=worker_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        worker = Worker()
        worker.queue, worker.hostname, worker.process, worker.log = queue, hostname, proc, log_path
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        app.conf.task_always_eager = previous_eager
        for worker in started:
            worker.process.terminate()
            try:
                worker.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()


@pytest.fixture(autouse=True)
def _fresh_rules_cache():
    """Each test starts with no cached rulebook: the rows a rolled-back test wrote may come back with the
    same ids in the next one (SQLite reuses them), and a count of queries must not depend on the order."""
    from dossiers.rulebook.selectors import rules_cache_clear

    rules_cache_clear()
