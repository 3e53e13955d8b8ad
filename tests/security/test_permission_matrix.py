"""The permission matrix: every URL of the site (read from the URL configuration, so a new page is covered
without editing this file) × every role × objects of their own scope and of another scope (another
province's dossier, another council's session, someone else's notification), by GET and by POST.

For each request the matrix checks:
- nobody outside an object's audience gets it: the answer is a refusal (403/404, or the login page for
  an anonymous visitor), the same answer as for an id that does not exist, and it names nothing of the
  object (the artisan's name, the session's place);
- a refused POST changes nothing (states, votes, notes, comments, documents, audit entries);
- no page shows a CCCD number or an ethnicity, except the officer's logged reveal page;
- no list page shows objects outside the user's scope;
- no request answers a server error;
- the pages each role works with answer 200 for their own objects (the table EXPECTED_OK).
"""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import USER_KEYS, Obj, World, build_world, fingerprint, pdf_upload

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321
PUBLIC_URLS = {"login", "set_language", "health", "public_list", "public_comment", "accessibility_statement"}
PUBLIC_URLS |= {"invitation_accept", "invitation_accept_submit"}  # the link of an invitation e-mail
PUBLIC_URLS |= {"registry_list", "registry_artisan"}  # the registry of conferred artisans
# URLs whose kwargs do not name an object of our world, and the admin site (tested on its own below).
SKIPPED_NAMESPACES = {"admin"}
# Pages that show the identification data on purpose, to those who may see it (and log the read).
REVEALS_SECRETS = {"dossier_reveal_sensitive"}


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]

    def __str__(self):
        return self.name


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name, tuple(entry.pattern.regex.groupindex))


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)
LIST_ROUTES = [r for r in ROUTES if not r.kwargs]
OBJECT_ROUTES = [r for r in ROUTES if r.kwargs]


def object_kind(route: Route, kwarg: str) -> str:
    """Which kind of object a URL argument names, from the argument and the URL's name."""
    if kwarg == "uid":
        return "document"
    if kwarg == "public_id":  # an artisan's page in the public registry
        return "registry"
    if kwarg == "token":  # an invitation link: no object of the world (tests/accounts/test_invitations.py)
        return "invitation"
    if route.name.startswith("admin_user"):
        return "user"
    if route.name.startswith("admin_agency"):
        return "agency"
    if kwarg == "session_id":
        return "session"
    if kwarg == "withdrawal_id":
        return "withdrawal"
    if kwarg == "council_id":
        return "council"
    if kwarg == "managed_council_id":
        return "managed_council"
    if kwarg in ("round_number", "rule_key"):
        return kwarg.removesuffix("_number").removesuffix("_key")
    if kwarg == "dossier_id" or route.name.startswith("dossier_"):
        return "dossier"
    for word, kind in (
        ("attachment", "attachment"),
        ("notification", "notification"),
        ("comment", "comment"),
        ("council_", "session"),
    ):
        if word in route.name:
            return kind
    return "dossier"


@dataclass(frozen=True)
class Target:
    kwargs: dict
    marker: str
    visible: frozenset[str]
    missing: dict  # the same URL with an object that does not exist


def targets(route: Route, world: World) -> list[Target]:
    """Every combination of the world's objects for the URL's arguments, with who may see it."""
    kinds = [object_kind(route, k) for k in route.kwargs]
    result = []
    for combo in itertools.product(*(world.of(kind) for kind in kinds)):
        kwargs = {k: obj.key for k, obj in zip(route.kwargs, combo, strict=True)}
        visible = frozenset.intersection(*(audience(route, obj, combo) for obj in combo))
        marker = next((o.marker for o in combo if o.kind == "dossier"), combo[0].marker)
        missing = {k: (uuid.uuid4() if k == "uid" else MISSING_ID) for k in route.kwargs}
        result.append(Target(kwargs, marker, visible, missing))
    return result


def audience(route: Route, obj: Obj, combo: tuple[Obj, ...]) -> frozenset[str]:
    if route.name.startswith("public_"):
        return frozenset(USER_KEYS) if obj.extra.get("posted") else frozenset()
    if obj.kind == "dossier" and any(o.kind == "session" for o in combo):
        # a dossier through a session's page: only if it is on that session's agenda
        session = next(o for o in combo if o.kind == "session")
        return session.visible if session.extra["agenda"] == obj.key else frozenset()
    return obj.visible


def client_for(django_client_class, world: World, key: str):
    client = django_client_class()
    user = world.users[key]
    if user is not None:
        client.force_login(user)
    return client


def is_refusal(response, anonymous: bool) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if anonymous and response.status_code == 302:
        return response["Location"].startswith(reverse("login"))
    return False


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


POST_DATA = {"confirm": "1", "reason": "thử", "choice": "agree", "text": "ghi chú", "step": "submit"}


@pytest.fixture
def world(settings, tmp_path, django_capture_on_commit_callbacks):
    return build_world(settings, tmp_path)


def test_the_matrix_covers_the_whole_site():
    """A guard for the walk itself: the pages of each part of the site are all found."""
    names = {r.name for r in ROUTES}
    for expected in ("dossier_detail", "council_ballot", "document_download", "public_comment", "batch_step"):
        assert expected in names
    assert len(ROUTES) >= 35


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_no_one_outside_an_objects_audience_reaches_it(route, world):
    from django.test import Client

    for key in USER_KEYS:
        client = client_for(Client, world, key)
        for target in targets(route, world):
            if key in target.visible:
                continue
            url = reverse(route.name, kwargs=target.kwargs)
            missing = client.get(reverse(route.name, kwargs=target.missing))
            for method in ("get", "post"):
                before = fingerprint()
                data = {**POST_DATA, "file": pdf_upload()} if method == "post" else None
                response = getattr(client, method)(url, data) if data else client.get(url)
                where = f"{key} {method.upper()} {url}"
                assert response.status_code < 500, where
                assert is_refusal(response, key == "anonymous"), f"{where}: {response.status_code}"
                text = body(response)
                assert not target.marker or target.marker not in text, f"{where} names the object"
                assert fingerprint() == before, f"{where} changed something"
                if method == "get":
                    assert response.status_code == missing.status_code, (
                        f"{where}: {response.status_code} but {missing.status_code} for an id that does "
                        "not exist: the answer tells that the object exists"
                    )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_page_shows_identification_data_and_none_fails(route, world):
    from django.test import Client

    for key in USER_KEYS:
        client = client_for(Client, world, key)
        for target in targets(route, world) if route.kwargs else [None]:
            url = reverse(route.name, kwargs=target.kwargs if target else None)
            response = client.get(url)
            where = f"{key} GET {url}"
            assert response.status_code < 500, where
            if route.name in REVEALS_SECRETS or response.get("Content-Disposition", "").startswith(
                "attachment"
            ):
                continue
            text = body(response)
            for secret in world.secrets:
                assert secret not in text, f"{where} shows identification data"


@pytest.mark.parametrize("route", LIST_ROUTES, ids=str)
def test_list_pages_show_nothing_outside_the_users_scope(route, world):
    from django.test import Client

    dossiers = [o for o in world.of("dossier") if not o.extra.get("posted")]
    others = [o for o in world.of("session") + world.of("comment")]
    for key in USER_KEYS:
        client = client_for(Client, world, key)
        response = client.get(reverse(route.name))
        if response.status_code != 200:
            continue
        text = body(response)
        for obj in dossiers + others:
            if key not in obj.visible and obj.marker:
                assert obj.marker not in text, f"{key} sees {obj.kind} {obj.key} on {route.name}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC_URLS], ids=str)
def test_an_anonymous_visitor_is_sent_to_the_login_page(route, world, client):
    kinds = {k: object_kind(route, k) for k in route.kwargs}
    kwargs = {k: world.of(kind)[0].key for k, kind in kinds.items()}
    url = reverse(route.name, kwargs=kwargs or None)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


# Own-scope answers: who gets 200 on GET for the first object of their side (A unless national).
EXPECTED_OK = {
    "home": set(USER_KEYS) - {"anonymous"},
    "dossier_list": {"officer_A", "clerk", "leader"},
    "dossier_detail": {"officer_A", "clerk", "leader"},
    "dossier_evidence": {"officer_A"},
    "council_home": {"member_A", "secretary_A"},
    "council_session": {"member_A", "secretary_A"},
    "council_ballot": {"member_A"},
    "council_agenda_dossier": {"member_A", "secretary_A"},
    "council_field_visit": {"secretary_A"},
    "notification_list": set(USER_KEYS) - {"anonymous"},
    "public_list": set(USER_KEYS),
    "registry_list": set(USER_KEYS),
    "registry_artisan": set(USER_KEYS),
    "registry_import": {"clerk", "admin"},  # the Ministry enters the artisans of earlier rounds
    "registry_import_template": {"clerk", "admin"},
    "ministry_pipeline": {"clerk", "leader", "officer_A"},
    "round_statistics": {"clerk", "leader", "officer_A"},
    "public_comments": {"clerk"},
    "document_list": {"officer_A", "clerk", "leader", "member_A", "secretary_A"},
    "rulebook": set(USER_KEYS) - {"anonymous", "norole"},
    "round_list": {"clerk", "leader", "admin"},
    "round_detail": {"clerk", "leader", "admin"},
    "round_create": {"clerk"},
    "round_edit": {"clerk"},
    "round_rule_override": {"leader", "admin"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_OK))
def test_each_role_reaches_the_pages_it_works_with(name, world):
    from django.test import Client

    route = next(r for r in ROUTES if r.name == name)
    for key in EXPECTED_OK[name]:
        client = client_for(Client, world, key)
        kwargs = {}
        for kwarg in route.kwargs:
            kind = object_kind(route, kwarg)
            mine = [o for o in world.of(kind) if key in audience(route, o, (o,))]
            if kind == "dossier" and route.name.startswith("council_"):
                session = next(o for o in world.of("session") if key in o.visible)
                mine = [o for o in mine if o.key == session.extra["agenda"]]
            assert mine, f"{key} has no {kind} for {name}"
            kwargs[kwarg] = mine[0].key
        url = reverse(name, kwargs=kwargs or None)
        response = client.get(url)
        assert response.status_code == 200, f"{key} GET {url}: {response.status_code}"


def test_refusals_say_why_in_vietnamese(world):
    from django.test import Client

    client = client_for(Client, world, "officer_A")
    other = next(o for o in world.of("dossier") if "officer_A" not in o.visible)
    response = client.get(reverse("dossier_detail", kwargs={"pk": other.key}))
    assert response.status_code == 404
    text = body(response)
    assert re.search(r"không tìm thấy|không có quyền", text, re.IGNORECASE), text[:500]
    assert other.marker not in text


def test_the_admin_site_is_for_administrators_only(world):
    from django.test import Client

    for key in USER_KEYS:
        client = client_for(Client, world, key)
        response = client.get("/quan-tri/")
        user = world.users[key]
        if user is not None and user.is_staff:
            assert response.status_code == 200, key
        else:
            assert response.status_code == 302 and "/quan-tri/login/" in response["Location"], key
