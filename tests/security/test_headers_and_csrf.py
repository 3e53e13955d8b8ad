"""Security headers on every page of the URL list, pages free of inline script, CSRF on every form, HSTS
in production, and the error pages in the user's language."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.test_permission_matrix import ROUTES, object_kind
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


@pytest.fixture
def world(settings, tmp_path):
    return build_world(settings, tmp_path)


def pages(world):
    """Each page of the URL list, with the first of the world's objects for its arguments."""
    for route in ROUTES:
        kwargs = {k: world.of(object_kind(route, k))[0].key for k in route.kwargs}
        yield route.name, reverse(route.name, kwargs=kwargs or None)


@pytest.mark.parametrize("who", ["anonymous", "officer_A", "member_A", "clerk"])
def test_every_page_sends_the_security_headers(world, who):
    client = Client()
    if world.users[who]:
        client.force_login(world.users[who])
    for name, url in pages(world):
        response = client.get(url)
        csp = response.get("Content-Security-Policy", "")
        where = f"{who} {name} {url} ({response.status_code})"
        if response.get("Content-Disposition", "").startswith("attachment"):
            assert csp.startswith("default-src 'none'"), where  # a file: nothing in it may run
        else:
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, (
                where
            )
            assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, where
        assert response["X-Frame-Options"] == "DENY", where
        assert response["X-Content-Type-Options"] == "nosniff", where
        assert response["Referrer-Policy"] == "same-origin", where
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
        assert "camera=()" in response["Permissions-Policy"], where
        if who != "anonymous":
            assert "no-store" in response["Cache-Control"], where


@pytest.mark.parametrize("who", ["anonymous", "officer_A", "member_A", "secretary_A", "clerk", "leader"])
def test_pages_have_no_inline_script_and_every_post_form_carries_the_csrf_token(world, who):
    client = Client()
    if world.users[who]:
        client.force_login(world.users[who])
    for name, url in pages(world):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        where = f"{who} {name} {url}"
        assert not INLINE_SCRIPT.search(html), f"{where}: inline <script>"
        assert not INLINE_HANDLER.search(html), f"{where}: inline event handler"
        assert not INLINE_STYLE.search(html), f"{where}: inline style attribute"
        for match in FORM.finditer(html):
            opening = match.group(0)[: match.group(0).index(">") + 1]
            if re.search(r'method="post"', opening, re.IGNORECASE):
                assert "csrfmiddlewaretoken" in match.group(1), f"{where}: a POST form without CSRF token"


def test_a_post_without_the_csrf_token_is_refused_in_vietnamese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["officer_A"])
    dossier = world.of("dossier")[0]
    response = client.post(reverse("dossier_step", kwargs={"pk": dossier.key}), {"step": "return"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    public = Client(enforce_csrf_checks=True)
    posted = next(o for o in world.of("dossier") if o.extra.get("posted"))
    response = public.post(reverse("public_comment", kwargs={"dossier_id": posted.key}), {"text": "x"})
    assert response.status_code == 403


def test_hsts_in_production(settings, client):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/cong-khai/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


def test_error_pages_speak_the_users_language(world, client):
    client.force_login(world.users["officer_A"])
    missing = client.get("/ho-so/987654321/")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.content.decode()
    refused = client.get(reverse("public_comments"))
    assert refused.status_code in (200, 403)
    client.force_login(world.users["member_A"])
    refused = client.get(reverse("public_comments"))
    assert refused.status_code == 403
    assert "Vai trò của bạn không xử lý ý kiến của nhân dân" in refused.content.decode()  # the reason
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    missing = client.get("/ho-so/987654321/")
    assert "The page was not found, or you do not have permission to see it." in missing.content.decode()
