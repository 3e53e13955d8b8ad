"""A GET changes nothing: every URL of the site (read from the URL configuration, like the permission
matrix) is requested with GET by every user of the matrix's world, for every object of the world, and
no INSERT, UPDATE or DELETE may reach the database while the page answers.

Excluded on purpose, and only these tables:
- django_session: the session is the auth machinery's (the idle timeout notes the last request at most
  once a minute, the messages framework consumes a shown message), not the page's data;
- the log of reads of identification data (dossiers.SensitiveDataAccess): downloading a declaration is
  a read that the law wants traced, so the download writes its trace by design.
Signing in (last_login, the test's second-factor device) happens before the GETs, outside the check.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import User
from dossiers.models import SensitiveDataAccess
from tests import factories as f
from tests.security.test_permission_matrix import ROUTES, client_for, targets
from tests.security.world import USER_KEYS, build_world
from workflows.selectors import batch_steps_for

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
ALLOWED_TABLES = {"django_session", SensitiveDataAccess._meta.db_table}


@contextmanager
def writes_recorded():
    """The tables written by the statements run inside the block (the allowed ones left out)."""
    written: list[str] = []

    def record(execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and match.group(1) not in ALLOWED_TABLES:
            written.append(match.group(1))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield written


def test_the_recorder_sees_a_write():
    with writes_recorded() as written:
        f.user()
    assert User._meta.db_table in written
    with writes_recorded() as written:
        list(User.objects.all())
    assert written == []


@pytest.fixture
def world(settings, tmp_path, django_capture_on_commit_callbacks):
    return build_world(settings, tmp_path)


def _urls(route, world, user) -> list[str]:
    """The route's URLs for every object of the world, and the variants of a page that GET also serves
    (the htmx part of the documents, the batch preview of each step the user takes)."""
    urls = [reverse(route.name, kwargs=t.kwargs) for t in targets(route, world)] if route.kwargs else []
    if not route.kwargs:
        urls.append(reverse(route.name))
    if route.name in ("dossier_detail", "council_session"):
        urls += [f"{url}?part=documents" for url in list(urls)]
    if route.name == "batch_step" and user is not None:
        urls += [f"{urls[0]}?step={name}" for name, _label in batch_steps_for(user=user)]
    return urls


def test_no_get_writes_a_row(world):
    from django.test import Client

    checked = 0
    for key in USER_KEYS:
        client = client_for(Client, world, key)
        user = world.users[key]
        for route in ROUTES:
            for url in _urls(route, world, user):
                headers = {"HTTP_HX_REQUEST": "true"} if "part=documents" in url else {}
                with writes_recorded() as written:
                    response = client.get(url, **headers)
                assert response.status_code < 500, f"{key} GET {url}"
                assert written == [], f"{key} GET {url} wrote to {sorted(set(written))}"
                checked += 1
    assert checked > len(ROUTES) * len(USER_KEYS)


@pytest.mark.real_login
def test_the_enrolment_page_writes_nothing_until_the_set_up_is_started(client):
    """Without a device, a council member signed in by password is sent to the enrolment page, which
    shows a button to start; the secret is made by that POST, never by showing the page."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.councils.conftest import make_council

    _council, voters, _secretary = make_council(3)
    member = voters[0].user
    client.force_login(member)
    with writes_recorded() as written:
        home = client.get("/ho-so/")
        page = client.get(home["Location"])
    assert home["Location"].startswith(reverse("otp_enrol"))
    assert page.status_code == 200 and written == []
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert client.post(home["Location"], {"start": "1"}).status_code == 302
    assert TOTPDevice.objects.filter(user=member, confirmed=False).count() == 1
    assert "otpauth://totp/" in client.get(home["Location"]).content.decode()
