"""Bad input at every door: each URL of the site (from the URL configuration) receives POSTs built by
hypothesis from the fields of its own form (read from the page) plus the usual ones, with text of every
kind (control characters, decomposed Unicode, HTML, very long values) and files of random bytes.

Whatever arrives: no server error, and a request that did not succeed (anything but a redirect) leaves
the database as it was: nothing half-saved. Also: oversized and over-many-field requests are refused
with a 400 in the user's language, and HTML in a name is escaped in every page and kept as text in the
generated documents."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_permission_matrix import ROUTES, audience, object_kind
from tests.security.world import USER_KEYS, build_world, fingerprint

pytestmark = pytest.mark.django_db

FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.IGNORECASE)
COMMON_FIELDS = ("confirm", "reason", "choice", "dossier", "note", "text", "step", "present", "next")
NASTY_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert(1)</script>",
            "Nguye\u0302\u0303n",  # decomposed Unicode
            "31/02/2025",
            "99/99/9999",
            "-1",
            "0" * 400,
            "\x00\x1b[31m",
            "1e309",
            "' OR 1=1 --",
            "../../etc/passwd",
            "x" * 6000,
        ]
    ),
)
FILES = st.builds(
    lambda content, name: (content, name),
    st.binary(max_size=2048),
    st.sampled_from(["a.pdf", "a.docx", "a.jpg", "../../x.exe", "Bản khai.pdf", "", "a" * 300 + ".pdf"]),
)


def users_for(route, world):
    """Who to fuzz a URL as: those who may use it (the first object of their scope), and one who may
    not; anonymous only for the public pages and the login page."""
    if route.name in (
        "public_list",
        "public_comment",
        "registry_list",
        "registry_artisan",
        "accessibility_statement",
        "login",
        "set_language",
        "health",
    ):
        return ["anonymous", "officer_A"]
    return ["officer_A", "member_A", "secretary_A", "clerk"]


def url_for(route, world, key):
    kwargs = {}
    for kwarg in route.kwargs:
        kind = object_kind(route, kwarg)
        mine = [o for o in world.of(kind) if key in audience(route, o, (o,))] or world.of(kind)
        if kind == "dossier" and route.name.startswith("council_"):
            sessions = [o for o in world.of("session") if key in o.visible] or world.of("session")
            mine = [o for o in world.of("dossier") if o.key == sessions[0].extra["agenda"]]
        kwargs[kwarg] = mine[0].key
    return reverse(route.name, kwargs=kwargs or None)


@pytest.fixture
def world(settings, tmp_path):
    return build_world(settings, tmp_path)


FUZZED = [r for r in ROUTES if r.name not in ("logout",)]
# Pages whose success is a 200 that writes only the record of the read (the logged reveal).
SUCCEEDS_WITH_200 = {"dossier_reveal_sensitive"}


@pytest.mark.parametrize("route", FUZZED, ids=str)
def test_random_posts_cause_no_error_and_save_nothing_half_way(route, world):
    for key in users_for(route, world):
        client = Client()
        if world.users[key]:
            client.force_login(world.users[key])
        url = url_for(route, world, key)
        page = client.get(url)
        html = "" if getattr(page, "streaming", False) else page.content.decode("utf-8", "replace")
        names = sorted(set(FIELD_NAME.findall(html)) | set(COMMON_FIELDS))
        names = [n for n in names if n != "csrfmiddlewaretoken"]

        fuzz(client, url, key, names, success=(302, 200) if route.name in SUCCEEDS_WITH_200 else (302,))


def fuzz(client, url, key, names, success):
    """POSTs built by hypothesis from the form's field names, as `key`, to `url`."""

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        values=st.dictionaries(
            st.sampled_from(names), st.one_of(NASTY_TEXT, st.lists(NASTY_TEXT, max_size=3))
        ),
        upload=st.one_of(st.none(), FILES),
    )
    def post(values, upload):
        data = dict(values)
        if upload is not None:
            handle = io.BytesIO(upload[0])
            handle.name = upload[1] or "x"
            data["file"] = handle
        before = fingerprint()
        response = client.post(url, data)
        where = f"{key} POST {url} {sorted(values)}"
        assert response.status_code < 500, where
        if response.status_code not in success:
            assert fingerprint() == before, f"{where}: {response.status_code} but something changed"

    post()


def test_a_request_over_the_size_limit_is_refused(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client()
    client.force_login(world.users["officer_A"])
    dossier = world.of("dossier")[0]
    before = fingerprint()
    response = client.post(reverse("dossier_step", kwargs={"pk": dossier.key}), {"reason": "x" * 20_000})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert fingerprint() == before


def test_a_request_with_too_many_fields_is_refused(world):
    client = Client()
    client.force_login(world.users["officer_A"])
    dossier = world.of("dossier")[0]
    response = client.post(
        reverse("dossier_step", kwargs={"pk": dossier.key}), {f"f{i}": "1" for i in range(1_200)}
    )
    assert response.status_code == 400


def test_html_in_a_name_is_escaped_in_every_page_and_kept_as_text_in_documents(world, settings):
    from docx import Document

    from documents.models import GeneratedDocument
    from documents.services import document_generate, render
    from dossiers.models import Artisan

    nasty = '<script>alert("x")</script> Nguyễn & <b>Văn</b>'
    Artisan.objects.update(full_name=nasty)
    for key in USER_KEYS:
        client = Client()
        if world.users[key]:
            client.force_login(world.users[key])
        for route in ROUTES:
            response = client.get(url_for(route, world, key))
            if getattr(response, "streaming", False) or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            assert "<script>alert" not in html and "<b>Văn</b>" not in html, f"{key} {route.name}"
    # A correction of the declaration, built from the renamed artisan: the name is text in the .docx.
    from dossiers.models import Dossier
    from workflows.document_requests import declaration_request

    declaration = GeneratedDocument.objects.filter(sensitive=True).order_by("pk").first()
    dossier = Dossier.objects.get(pk=declaration.dossier_id)
    corrected = declaration_request(
        dossier, by=world.users["officer_A"], replaces=declaration, reason="Sửa họ tên"
    )
    corrected = document_generate(document_id=corrected.pk)
    built = Document(io.BytesIO(render(corrected.kind, corrected.source_data)))
    text = "\n".join(p.text for p in built.paragraphs)
    text += "\n".join(c.text for t in built.tables for r in t.rows for c in r.cells)
    assert nasty in text
    assert corrected.status == GeneratedDocument.Status.DONE
