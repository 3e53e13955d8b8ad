"""Accessibility in a real browser (docs/accessibility.md): every page of every role (found from the URL
configuration) and each form in its error state, checked with axe-core (WCAG 2.0/2.1, A and AA, and the
landmark and heading rules of its best practices: any violation fails) and with what axe cannot decide:
every aria-describedby / aria-labelledby names exactly one element; a failed form has a focused error
summary linking to each field and a title starting with "Lỗi:"; the notification link's name carries the
unread count; a message added by htmx is read from a polite live region while the focus stays; no page
scrolls sideways at 320 CSS px; at 390 CSS px (a phone) data tables keep readable columns in a named box
that scrolls sideways and is reached with Tab (tests/browser/tables.py). Then a keyboard-only walk: one
officer step, one member's ballot and one clerk's step, without the mouse, the focus visible at every
stop.

axe-core comes from the PyPI package axe-playwright-python, which bundles axe.min.js; it is injected
with page.evaluate, which the Content-Security-Policy does not govern, so the pages keep their policy
(the `site` fixture fails a test if the policy blocked anything)."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from councils.models import BallotParticipation, Membership, Session
from councils.services import session_attendance_record
from documents.models import GeneratedDocument
from dossiers.models import Dossier, DossierState
from notifications.selectors import unread_items
from tests import factories as f
from tests.browser.conftest import current_code
from tests.browser.pages import ROLES, complete_world, pages_of_every_role, uncovered
from tests.browser.tables import TABLE_PROBLEMS
from tests.security.world import build_world
from tests.workflows.conftest import set_state
from workflows.services import council_ballot_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's best-practice rules on landmarks and headings (not WCAG failures by themselves, but what lets a
# screen-reader user jump to the content and read the page's outline), run with the WCAG rules.
LANDMARK_RULES = [
    "region",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "page-has-heading-one",
    "heading-order",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "rules": {rule: {"enabled": True} for rule in LANDMARK_RULES},
    "resultTypes": ["violations"],
}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}  # WCAG's reflow width: 1280 px at 400 %
ZOOMED = {"width": 640, "height": 400}  # a 1280 × 800 window at 200 %
WIDE = {"width": 1280, "height": 800}

BROKEN_REFERENCES = """() => {
  const broken = [];
  for (const attr of ["aria-describedby", "aria-labelledby"]) {
    for (const el of document.querySelectorAll("[" + attr + "]")) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        const n = document.querySelectorAll('[id="' + CSS.escape(id) + '"]').length;
        if (n !== 1) broken.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}=${id}: ${n} elements`);
      }
    }
  }
  return broken;
}"""

SIDEWAYS = """() => document.documentElement.scrollWidth - document.documentElement.clientWidth"""

FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
  const r = el.getBoundingClientRect();
  return {shown: el.matches(":focus-visible") && ring && r.width > 0 && r.height > 0,
          what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
                + (el.textContent || "").trim().slice(0, 40)};
}"""


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def world(settings, tmp_path):
    """The security tests' world (every role, two provinces, a session, documents, a posted nominee, one
    unread notification each), with an authenticator app for every user whose role needs one."""
    from django.core.cache import cache

    cache.clear()
    w = build_world(settings, tmp_path)
    complete_world(w, settings)
    w.devices = {
        key: TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        for key, user in w.users.items()
        if user is not None and key not in ("officer_A", "officer_B", "norole")
    }
    return w


def sign_in(site, world, key, *, wrong_code_first=False, check=None):
    """A browser context signed in as the world's user `key`; with `wrong_code_first`, the code page
    is first sent a wrong code and `check(page)` runs on its error state."""
    user = world.users[key]
    device = world.devices.get(key)
    if not wrong_code_first:
        return site.page(user.username, otp_device=device)
    page = site.page()
    page.goto(f"{site.url}/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "mat-khau-dai-1")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/tai-khoan/ma-xac-thuc/**")
    page.fill("#id_code", "000000" if current_code(device) != "000000" else "111111")
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    check(page)
    page.wait_for_timeout(2100)  # django-otp refuses any code for a second after a wrong one
    page.fill("#id_code", current_code(device))
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    assert page.url.split("#")[0] == f"{site.url}/", page.locator("main").inner_text()
    return page


class Checker:
    """Runs every check on a page and keeps what failed, so that one run lists every problem."""

    def __init__(self, axe):
        self.axe = axe
        self.problems: list[str] = []
        self.pages = 0
        self.visited: set[str] = set()  # the names of the URLs checked

    def page(self, page, label: str):
        self.pages += 1
        with contextlib.suppress(Resolver404):  # the not-found page has no URL name
            self.visited.add(resolve(urlsplit(page.url).path).url_name)
        page.set_viewport_size(WIDE)
        # axe.run's options go in as JSON (axe-playwright-python's Axe.run writes them with str()).
        page.evaluate(self.axe.axe_script)
        results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in results["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:5]
            self.problems.append(f"{label}: axe {violation['id']} ({violation['help']}) at {targets}")
        for broken in page.evaluate(BROKEN_REFERENCES):
            self.problems.append(f"{label}: {broken}")
        page.set_viewport_size(PHONE)
        for problem in page.evaluate(TABLE_PROBLEMS):
            self.problems.append(f"{label}: at 390 CSS px, {problem}")
        for viewport in (NARROW, ZOOMED):
            page.set_viewport_size(viewport)
            overflow = page.evaluate(SIDEWAYS)
            if overflow > 0:
                self.problems.append(
                    f"{label}: scrolls sideways by {overflow}px at {viewport['width']} CSS px"
                )
        page.set_viewport_size(WIDE)

    def failed_form(self, page, label: str, fields: list[str]):
        """The page after a failed submit: the checks above, and the error summary's promises."""
        self.page(page, label)
        if not page.title().startswith("Lỗi:"):
            self.problems.append(f"{label}: the title does not start with 'Lỗi:': {page.title()!r}")
        summary = page.locator("#error-summary")
        if summary.count() != 1:
            self.problems.append(f"{label}: no error summary")
            return
        if page.evaluate("() => document.activeElement && document.activeElement.id") != "error-summary":
            self.problems.append(f"{label}: the error summary is not focused on load")
        links = summary.locator("a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        for field in fields:
            if f"#{field}" not in hrefs:
                self.problems.append(f"{label}: the summary does not link to #{field} ({hrefs})")
                continue
            described = page.locator(f"#{field}").get_attribute("aria-describedby") or ""
            error_id = f"{field}_error"
            if error_id not in described.split() or page.locator(f"#{error_id}").count() != 1:
                self.problems.append(f"{label}: #{field} is not described by its one error message")
        if hrefs:  # following a link of the summary puts the focus on that field
            summary.locator("a").first.click()
            focused = page.evaluate("() => document.activeElement.id")
            if f"#{focused}" != hrefs[0]:
                self.problems.append(f"{label}: the summary's first link leads the focus to {focused!r}")


def test_every_page_of_every_role_and_every_failed_form(site, world, axe):
    """Every page of every role, found from the URL configuration (tests/browser/pages.py): each named
    URL, its arguments filled with the first objects of the security tests' world the role may see, is a
    page of that role when a GET answers 200 with HTML. So a page added to the site is walked without
    editing this test, and a named URL that no role reaches fails the test unless pages.NOT_PAGES says
    why it is no page (an action, a download, a fragment). A page whose markup is the same for several
    roles but for its words (pages.shape_of: the public pages signed in or out, an empty list) is walked
    once, by the first of them. Then the pages reached on the way (the code page, an authenticator's
    enrolment, the identification data shown after a POST) and each form in its error state.
    One browser context per role."""
    check = Checker(axe)
    url = site.url
    dossier_a = world.of("dossier")[0].key
    walks: dict[str, list[str]] = {}
    shapes = set()
    for visit in pages_of_every_role(world):  # in the order of ROLES, signed out first
        if (visit.route, visit.shape) not in shapes:  # another role's answer differs in its words only
            shapes.add((visit.route, visit.shape))
            walks.setdefault(visit.role, []).append(visit.path)

    def walk(page, role):
        for path in walks.get(role, []):
            page.goto(url + path)
            check.page(page, f"{role} {path}")

    # --- anyone: every public page, then the comment and the login refused -------------------------------
    anyone = site.page()
    walk(anyone, "anonymous")
    anyone.goto(
        url
        + reverse("public_comment", args=(next(o.key for o in world.of("dossier") if o.extra.get("posted")),))
    )
    anyone.fill("#id_full_name", "Lê Văn Tâm")
    with anyone.expect_navigation():
        anyone.click("main form button[type=submit]")
    check.failed_form(anyone, "comment refused", ["id_phone", "id_address", "id_text"])
    anyone.goto(url + "/dang-nhap/")
    anyone.fill("#id_username", "khong-co-ai")
    anyone.fill("#id_password", "sai-mat-khau")
    with anyone.expect_navigation():
        anyone.click("button[type=submit].primary")
    check.failed_form(anyone, "login refused", [])

    # --- the officer ---------------------------------------------------------------------------------
    officer = sign_in(site, world, "officer_A")
    # the unread count is part of the link's name, as a screen reader reads it
    unread = unread_items(world.users["officer_A"])
    assert unread > 0
    assert officer.get_by_role("link", name=f"Thông báo, {unread} mục chưa đọc", exact=True).count() == 1
    walk(officer, "officer_A")
    officer.goto(url + "/trang-khong-co/")  # the refusals: a page that does not exist, one not for them
    check.page(officer, "not found")
    officer.goto(url + reverse("admin_user_list"))
    check.page(officer, "forbidden")
    officer.goto(url + reverse("dossier_detail", args=(dossier_a,)))
    with officer.expect_navigation():  # the identification data, shown on request
        officer.click(f"form[action='{reverse('dossier_reveal_sensitive', args=(dossier_a,))}'] button")
    check.page(officer, "identification data")
    officer.goto(url + reverse("dossier_receive"))
    officer.fill("#id_cccd", "12")
    officer.fill("#id_received_on", "2025-09-20")
    with officer.expect_navigation():
        officer.click("main form button.primary")
    check.failed_form(officer, "receive refused", ["id_full_name", "id_cccd", "id_received_on", "id_consent"])
    officer.goto(url + reverse("dossier_evidence", args=(dossier_a,)))
    start = officer.locator("input[name$='-start']").first
    start_id = start.get_attribute("id")
    start.fill("31/02/2020")
    with officer.expect_navigation():
        officer.click("main form button.primary")
    check.failed_form(officer, "evidence refused", [start_id])
    officer.goto(url + reverse("batch_step") + "?step=&reason=")
    check.failed_form(officer, "batch refused", ["id_step"])
    officer.goto(url + reverse("reauth"))
    officer.fill("#id_password", "sai-mat-khau")
    with officer.expect_navigation():
        officer.click("main form button.primary")
    check.failed_form(officer, "reauth refused", ["id_password"])
    officer.goto(url + reverse("otp_enrol"))  # the officer's role may add a second factor
    check.page(officer, "otp_enrol start")
    with officer.expect_navigation():
        officer.click("main form button.primary")  # start: the page shows the secret and the code field
    check.page(officer, "otp_enrol")
    officer.fill("#id_code", "000000")
    with officer.expect_navigation():
        officer.click("main form button.primary")
    check.failed_form(officer, "enrolment code refused", ["id_code"])

    # --- a council member (a wrong code first), then every other role -----------------------------------
    member = sign_in(
        site,
        world,
        "member_A",
        wrong_code_first=True,
        check=lambda p: check.failed_form(p, "code refused", ["id_code"]),
    )
    walk(member, "member_A")
    for role in ROLES:
        if role not in ("anonymous", "officer_A", "member_A"):
            walk(sign_in(site, world, role), role)

    assert check.problems == [], "\n".join(check.problems)
    assert uncovered(check.visited) == [], "\n".join(uncovered(check.visited))
    assert check.pages >= 80 and {"admin", "secretary_A", "clerk", "leader", "norole"} <= set(walks)


def test_htmx_changes_are_read_from_a_polite_live_region_and_the_focus_stays(site, world):
    secretary = sign_in(site, world, "secretary_A")
    session_a = world.of("session")[0].key
    secretary.goto(f"{site.url}/hoi-dong/phien/{session_a}/")
    region = secretary.locator("#announcer")
    assert region.get_attribute("aria-live") == "polite" and region.inner_text() == ""
    # the secretary asks for the session's documents again, from the keyboard
    refresh = secretary.get_by_role("button", name="Làm mới")
    refresh.focus()
    with secretary.expect_response(lambda r: "part=documents" in r.url):
        secretary.keyboard.press("Enter")
    secretary.wait_for_function("() => document.getElementById('announcer').textContent.length > 0")
    assert region.inner_text() == "Danh sách văn bản đã được cập nhật."
    assert secretary.evaluate("() => document.activeElement.textContent.trim()") == "Làm mới"  # stays

    # the dossier page polls while a document is being prepared; the change, when it is ready, is read
    officer = sign_in(site, world, "officer_A")
    dossier_a = world.of("dossier")[0].key
    document = GeneratedDocument.objects.filter(dossier_id=dossier_a).first()
    GeneratedDocument.objects.filter(pk=document.pk).update(status="queued")
    officer.goto(f"{site.url}/ho-so/{dossier_a}/")
    assert officer.locator("#dossier-documents[hx-trigger]").count() == 1
    officer.locator("#id_kind").focus()
    GeneratedDocument.objects.filter(pk=document.pk).update(status="done")
    officer.wait_for_function(
        "() => document.getElementById('announcer').textContent.length > 0", timeout=15000
    )
    assert officer.locator("#announcer").inner_text() == "Danh sách văn bản đã được cập nhật."
    assert officer.locator("#announcer").evaluate("el => el.closest('[aria-live=polite]') === el")
    assert officer.evaluate("() => document.activeElement.id") == "id_kind"  # the focus stayed


# --- keyboard only -------------------------------------------------------------------------------------


class Keyboard:
    """Moves through a page with Tab only, noting every stop where the focus cannot be seen."""

    def __init__(self, page):
        self.page = page
        self.unseen: list[str] = []

    def tab_to(self, selector: str, limit: int = 120):
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            stop = self.page.evaluate(FOCUS_SHOWN)
            if stop is not None and not stop["shown"]:
                self.unseen.append(stop["what"])
            if self.page.evaluate(
                "s => !!document.activeElement && document.activeElement.matches(s)", selector
            ):
                return
        raise AssertionError(f"{selector} not reached with Tab")

    def press(self, key: str, *, navigates: bool = False):
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)


def keyboard_sign_in(site, page, user, device=None):
    page.goto(f"{site.url}/dang-nhap/")
    keys = Keyboard(page)
    keys.tab_to("#id_username")
    page.keyboard.type(user.username)
    keys.tab_to("#id_password")
    page.keyboard.type("mat-khau-dai-1")
    keys.press("Enter", navigates=True)
    if device is not None:
        keys.tab_to("#id_code")
        page.keyboard.type(current_code(device))
        keys.press("Enter", navigates=True)
    page.wait_for_url(f"{site.url}/")
    return keys


def take_step_by_keyboard(keys: Keyboard, step: str, reason: str | None = None):
    page = keys.page
    keys.tab_to(f"details.step:has(input[value={step}]) > summary")
    keys.press("Enter")  # opens the step
    if reason is not None:
        keys.tab_to(f"#reason-{step}")
        page.keyboard.type(reason)
    keys.tab_to(f"#confirm-{step}")
    keys.press("Space")
    keys.tab_to(f"details.step:has(input[value={step}]) button[type=submit]")
    keys.press("Enter", navigates=True)


def test_an_officer_step_a_ballot_and_a_clerk_step_with_the_keyboard_only(site, world):
    url = site.url
    # the officer admits the submitted dossier
    dossier = Dossier.objects.get(pk=world.of("dossier")[0].key)
    assert dossier.state == DossierState.SUBMITTED
    page = site.page()
    keys = keyboard_sign_in(site, page, world.users["officer_A"])
    page.goto(f"{url}/ho-so/{dossier.pk}/")
    take_step_by_keyboard(keys, "admit")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ADMITTED, page.locator("main").inner_text()[:400]
    assert keys.unseen == []

    # a member casts the secret ballot
    session_pk = world.of("session")[0].key
    agenda = world.of("dossier")[1].key
    session = Session.objects.get(pk=session_pk)
    voters = Membership.objects.filter(council=session.council).exclude(role=Membership.Role.SECRETARY)
    secretary = world.users["secretary_A"]
    session_attendance_record(session=session, present=list(voters), by=secretary)
    council_ballot_open(session=session, by=secretary)
    page = site.page()
    keys = keyboard_sign_in(site, page, world.users["member_A"], world.devices["member_A"])
    # first the declaration (no ballot without one): the radio starts with nothing checked
    page.goto(f"{url}/hoi-dong/phien/{session_pk}/ho-so/{agenda}/")
    keys.tab_to("#id_status_0")
    keys.press("Space")
    keys.tab_to("#conflict button[type=submit]")
    keys.press("Enter", navigates=True)
    page.goto(f"{url}/hoi-dong/phien/{session_pk}/bo-phieu/")
    keys.tab_to(f"#agree-{agenda}")
    keys.press("Space")
    keys.tab_to("#confirm-ballot")
    keys.press("Space")
    keys.tab_to("#ballot button[type=submit]")
    keys.press("Enter", navigates=True)
    page.wait_for_selector("ul.voted")
    assert BallotParticipation.objects.filter(
        session=session, membership__user=world.users["member_A"]
    ).exists()
    assert keys.unseen == []

    # the clerk sends a forwarded dossier to the ministerial council
    forwarded = set_state(f.dossier("01"), DossierState.FORWARDED)
    page = site.page()
    keys = keyboard_sign_in(site, page, world.users["clerk"], world.devices["clerk"])
    page.goto(f"{url}/ho-so/{forwarded.pk}/")
    take_step_by_keyboard(keys, "send_to_ministerial_council")
    forwarded.refresh_from_db()
    assert forwarded.state == DossierState.MINISTERIAL_REVIEW, page.locator("main").inner_text()[:400]
    assert keys.unseen == []
    assert re.search(r"\S", page.locator("ol.timeline").inner_text())
