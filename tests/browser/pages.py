"""Every page of every role, read from the URL configuration (the permission matrix's walk,
tests/security/test_permission_matrix.py), so that a page added to the site is visited without editing
the browser tests.

For each role of the security tests' world and each named URL, the URL's arguments are filled with the
first object of the world that the role may see (its dossier, its council's session and the dossier on
that session's agenda, its notification, ...); the URL is a page of that role when a GET answers 200 with
HTML that is not a download. The world is completed first with what it lacks for a few pages: an officer's
and a clerk's Excel import waiting for confirmation (the previews) and a valid invitation link.

URLs that are no page of anyone (a POST-only action, a download, an htmx fragment) are listed in
NOT_PAGES with the reason; a URL neither visited nor listed there fails `uncovered`, and so does a listed
one that turns out to be a page. Pages reached only on the way (the code page of a sign-in, the
enrolment of an authenticator app, the identification data shown after a POST) are visited by the test
that walks them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.test_permission_matrix import ROUTES, Route, audience, object_kind
from tests.security.world import Obj, World

# The roles whose pages differ (province B's officer, member and secretary see what A's see).
ROLES = ("anonymous", "norole", "officer_A", "member_A", "secretary_A", "clerk", "leader", "admin")

NOT_PAGES = {
    # actions: they answer a POST and redirect; a GET shows nothing of its own
    "logout": "an action (POST)",
    "logout_everywhere": "an action (POST)",
    "set_language": "an action (POST)",
    "saved_filter_save": "an action (POST)",
    "saved_filter_delete": "an action (POST)",
    "dossier_step": "an action (POST), refused steps come back to the dossier page",
    "dossier_attachment_add": "an action (POST) of the dossier page",
    "document_retry": "an action (POST)",
    "document_correct": "an action (POST)",
    "notification_read": "an action (POST)",
    "notification_read_all": "an action (POST)",
    "council_session_schedule": "an action (POST) of the council page",
    "council_session_agenda": "an action (POST) of the session page",
    "council_session_attendance": "an action (POST) of the session page",
    "council_session_open": "an action (POST) of the session page",
    "council_session_close": "an action (POST) of the session page",
    "council_conflict": "an action (POST) of the agenda dossier page",
    "council_conflict_withdrawal_decide": "an action (POST) of the session page",
    "council_note": "an action (POST) of the agenda dossier page",
    "ballot_cast": "an action (POST) of the ballot page",
    "comment_to_complaint": "an action (POST) of the comments page",
    "dossier_council_judgement": "an action (POST) of the dossier page",
    "council_setup_decision_document": "an action (POST) of the council's record",
    "round_rulebook_change": "an action (POST) of the round page",
    "nominee_import_confirm": "an action (POST) of the import preview",
    "registry_import_confirm": "an action (POST) of the import preview",
    "admin_user_invite": "an action (POST) of the account page",
    "invitation_accept_submit": "the invitation form's POST target",
    # files, fragments and machine answers
    "attachment_download": "a download",
    "document_download": "a download",
    "nominee_import_template": "a download (.xlsx)",
    "registry_import_template": "a download (.xlsx)",
    "evidence_row_check": "an htmx fragment of the evidence form (formset.js)",
    "health": "a machine answer (JSON) for monitoring",
}


@dataclass(frozen=True)
class Visit:
    role: str
    route: str
    path: str
    listing: bool  # a URL without arguments: a list or a form of its own, not one object's page
    shape: str  # the page's content as markup without its text (see `shape_of`)


def complete_world(world: World, settings) -> None:
    """Add to the world what it lacks for some pages: a valid invitation link, and an import of
    nominees (the officer's) and of earlier artisans (the clerk's), each with a good and a bad row,
    waiting on their preview page."""
    from accounts.models import Invitation
    from accounts.services import token_hash
    from tests import factories as f
    from tests.web import test_nominee_import as nominees
    from tests.web import test_registry_import as registry

    invited = f.user("council_member", f.department("01"), email="moi.tham.gia@example.vn")
    Invitation.objects.create(
        user=invited, token_hash=token_hash("loi-moi-con-han"), expires_at=timezone.now() + timedelta(days=3)
    )
    world.objects["invitation"].insert(0, Obj("invitation", "loi-moi-con-han", "", frozenset(world.users)))

    devices = _devices()
    client = Client()
    client.force_login(world.users["officer_A"])
    content = nominees.workbook_bytes([nominees.nominee(1), nominees.nominee(2, cccd="12")])
    response = client.post(reverse("nominee_import"), {"file": SimpleUploadedFile("ds.xlsx", content)})
    preview = nominees.preview_of(response)
    world.objects["nominee_import"] = [Obj("nominee_import", preview.pk, "", frozenset({"officer_A"}))]

    client = Client()
    client.force_login(world.users["clerk"])
    content = registry.workbook_bytes([registry.artisan_row(1), registry.artisan_row(2, year="hai")])
    response = client.post(reverse("registry_import"), {"file": SimpleUploadedFile("nn.xlsx", content)})
    preview = registry.preview_of(response)
    world.objects["registry_import"] = [Obj("registry_import", preview.pk, "", frozenset({"clerk"}))]
    _forget_devices_since(devices)


def kind_of(route: Route, kwarg: str) -> str:
    if kwarg == "import_id":
        return "registry_import" if route.name.startswith("registry_") else "nominee_import"
    return object_kind(route, kwarg)


def path_for(route: Route, world: World, role: str) -> str | None:
    """The route's URL with the first objects of the world the role may see, None when there are none."""
    kwargs = {}
    for kwarg in route.kwargs:
        kind = kind_of(route, kwarg)
        mine = [o for o in world.of(kind) if role in audience(route, o, (o,))]
        if kind == "dossier" and route.name.startswith("council_"):
            sessions = [o for o in world.of("session") if role in o.visible]
            mine = [o for o in mine if sessions and o.key == sessions[0].extra["agenda"]]
        if not mine:
            return None
        kwargs[kwarg] = mine[0].key
    return reverse(route.name, kwargs=kwargs or None)


def pages_of_every_role(world: World) -> list[Visit]:
    """Every (role, page) of the site: a GET answered 200 with an HTML page that is not a download."""
    visits = []
    devices = _devices()
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        for route in ROUTES:
            if route.name in NOT_PAGES:
                continue
            path = path_for(route, world, role)
            if path is None:
                continue
            response = client.get(path)
            if (
                response.status_code == 200
                and response.get("Content-Type", "").startswith("text/html")
                and not response.get("Content-Disposition")
            ):
                shape = shape_of(response.content.decode())
                visits.append(Visit(role, route.name, path, not route.kwargs, shape))
    _forget_devices_since(devices)
    return visits


TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
KEPT = re.compile(r'\b(class|role|type|tabindex|aria-[a-z]+)="([^"]*)"')


def shape_of(html: str) -> str:
    """What the page's main content is made of, without its words: each element with its class, role,
    type, tabindex and aria attributes (their values too, but for names and ids). Two roles' answers of
    the same shape differ only in their words, so one walk of them is enough."""
    main = html.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
    parts = []
    for tag, attrs in TAG.findall(main):
        kept = [
            (name, "" if name in ("aria-label", "aria-labelledby", "aria-describedby") else value)
            for name, value in KEPT.findall(attrs)
        ]
        parts.append(f"{tag}{kept}")
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def _devices() -> set[int]:
    return set(TOTPDevice.objects.values_list("pk", flat=True))


def _forget_devices_since(devices: set[int]) -> None:
    """The test client's force_login (tests/conftest.py) gave an authenticator to users who had none:
    take it back, so that the browser signs them in as they are (an officer without a code)."""
    TOTPDevice.objects.exclude(pk__in=devices).delete()


def uncovered(visited: set[str]) -> list[str]:
    """Named URLs that no walk visited and NOT_PAGES does not explain, and NOT_PAGES entries that were
    visited after all (or no longer exist)."""
    names = {r.name for r in ROUTES}
    missing = names - visited - set(NOT_PAGES)
    problems = [f"{name}: visited by no role (a page nobody reaches?)" for name in missing]
    problems += [f"{name}: listed as no page, but a page" for name in set(NOT_PAGES) & visited]
    problems += [f"{name}: listed as no page, but no such URL" for name in set(NOT_PAGES) - names]
    return sorted(problems)
