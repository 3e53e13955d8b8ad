"""Browser tests: Playwright driving Debian's Chromium (stack.md), against pytest-django's live server.
Skipped, with the reason, when /usr/bin/chromium is absent (`scripts/ensure_chromium.sh` installs it;
`.ci/run` calls it)."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
TEST_PASSWORD = "mat-khau-dai-1"  # what tests.factories.user sets
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="Debian's Chromium is not installed at /usr/bin/chromium")
    for item in items:
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(skip)


def current_code(device) -> str:
    from django_otp.oath import totp

    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a MEDIA_URL: Django's live-server handler parses it,
    and ours is None on purpose (uploaded files are never served by URL, only through views that
    check permission). Nothing is served under the placeholder."""
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/media-never-served/"):
        server = LiveServer(request.config.getvalue("liveserver") or "localhost")
    yield server
    server.stop()


@pytest.fixture
def chromium(transactional_db, monkeypatch):
    """Started per test, after the database fixture: started earlier (session scope), the serialized
    rollback's restore of the reference data was lost (seen here; tests/integration checks it)."""
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # synchronous, so Django's guard against async contexts must be told (for this test only).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, the test's ORM calls get connections of their own (Django keeps
        # them per context): close them here, in that context, or PostgreSQL cannot drop the test
        # database at the end.
        connections.close_all()


@pytest.fixture
def site(transactional_db, live_server, settings, chromium):
    """Tests using it are marked `django_db(transaction=True, serialized_rollback=True)`, so that the
    reference data loaded by migrations is back for them and after them.

    The live server over plain HTTP (cookies without the Secure flag), and a factory of fresh browser
    contexts: one per person, so that each role logs in separately."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    contexts = []
    blocked = []  # what the Content-Security-Policy refused: our pages must need nothing it forbids

    class Site:
        url = live_server.url

        def page(self, username=None, password=TEST_PASSWORD, otp_device=None):
            """A new browser context, signed in through the login page when `username` is given; with
            `otp_device` (a confirmed TOTPDevice of that user), the code page is passed with the code
            the device makes now, as the user's authenticator app would."""
            context = chromium.new_context(locale="vi-VN")
            contexts.append(context)
            page = context.new_page()
            page.on(
                "console",
                lambda message: (
                    blocked.append(message.text) if "Content Security Policy" in message.text else None
                ),
            )
            page.set_default_timeout(15000)
            if username:
                page.goto(f"{self.url}/dang-nhap/")
                page.fill("#id_username", username)
                page.fill("#id_password", password)
                page.click("button[type=submit].primary")
                if otp_device is not None:
                    page.wait_for_url("**/tai-khoan/ma-xac-thuc/**")
                    page.fill("#id_code", current_code(otp_device))
                    page.click("button[type=submit].primary")
                page.wait_for_url(f"{self.url}/")
            return page

    yield Site()
    for context in contexts:
        context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def take_step(page, name, *, password: str = TEST_PASSWORD, **fields):
    """Open a step on the dossier page, fill its fields, tick the confirmation and run it; when the step
    records a decision and asks for a recent sign-in, give the password again."""
    step = page.locator(f"details.step:has(input[name=name][value={name}])")
    step.locator("summary").click()
    for field, value in fields.items():
        step.locator(f"[name={field}]").fill(value)
    step.locator(f"#confirm-{name}").check()
    with page.expect_navigation():
        step.locator("button[type=submit]").click()
    if "/xac-nhan-lai/" in page.url:
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main form button.primary")
