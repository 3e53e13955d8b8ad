"""Accessibility in a real browser (docs/accessibility.md): each role's main pages and each form in its
error state, checked with axe-core (WCAG 2.0/2.1, A and AA: any violation fails) and with what axe
cannot decide: every aria-describedby / aria-labelledby names exactly one element; a failed form has a
focused error summary linking to each field and a title starting with "Lỗi:"; the notification link's
name carries the unread count; a message added by htmx is read from a polite live region while the focus
stays; no page scrolls sideways at 320 CSS px (data tables scroll in their own box). Then a keyboard-only
walk: one officer step, one member's ballot and one clerk's step, without the mouse, the focus visible at
every stop.

axe-core comes from the PyPI package axe-playwright-python, which bundles axe.min.js; it is injected
with page.evaluate, which the Content-Security-Policy does not govern, so the pages keep their policy
(the `site` fixture fails a test if the policy blocked anything)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from councils.models import BallotParticipation, Membership, Session
from councils.services import session_attendance_record
from documents.models import GeneratedDocument
from dossiers.models import Dossier, DossierState
from notifications.selectors import unread_items
from tests import factories as f
from tests.browser.conftest import current_code
from tests.security.world import build_world
from tests.workflows.conftest import set_state
from workflows.services import council_ballot_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
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

    def page(self, page, label: str):
        self.pages += 1
        page.set_viewport_size(WIDE)
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:5]
            self.problems.append(f"{label}: axe {violation['id']} ({violation['help']}) at {targets}")
        for broken in page.evaluate(BROKEN_REFERENCES):
            self.problems.append(f"{label}: {broken}")
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


def test_every_main_page_of_every_role_and_every_failed_form(site, world, axe):
    check = Checker(axe)
    url = site.url
    dossier_a = world.of("dossier")[0].key
    agenda_a = world.of("dossier")[1].key
    session_a = world.of("session")[0].key
    posted = next(o.key for o in world.of("dossier") if o.extra.get("posted"))

    # --- anyone: the login page (and its error state), the posted list, a comment, the statement ----
    public = site.page()
    registered = world.of("registry")[0].key
    for path in (
        "/dang-nhap/",
        "/cong-khai/",
        "/kha-nang-tiep-can/",
        "/nghe-nhan/",
        "/nghe-nhan/?q=pham",
        f"/nghe-nhan/{registered}/",
        f"/cong-khai/{posted}/y-kien/",  # last: its form is filled next
    ):
        public.goto(url + path)
        check.page(public, path)
    public.fill("#id_full_name", "Lê Văn Tâm")
    with public.expect_navigation():
        public.click("main form button[type=submit]")
    check.failed_form(public, "comment refused", ["id_phone", "id_address", "id_text"])
    public.goto(url + "/dang-nhap/")
    public.fill("#id_username", "khong-co-ai")
    public.fill("#id_password", "sai-mat-khau")
    with public.expect_navigation():
        public.click("button[type=submit].primary")
    check.failed_form(public, "login refused", [])

    # --- the officer ---------------------------------------------------------------------------------
    officer = sign_in(site, world, "officer_A")
    # the unread count is part of the link's name, as a screen reader reads it
    unread = unread_items(world.users["officer_A"])
    assert unread > 0
    assert officer.get_by_role("link", name=f"Thông báo, {unread} mục chưa đọc", exact=True).count() == 1
    for name, args in (
        ("home", ()),
        ("task_inbox", ()),
        ("dossier_list", ()),
        ("dossier_receive", ()),
        ("dossier_detail", (dossier_a,)),
        ("dossier_evidence", (dossier_a,)),
        ("document_list", ()),
        ("notification_list", ()),
        ("notification_preferences", ()),
        ("account", ()),
        ("batch_step", ()),
        ("public_comments", ()),
        ("rulebook", ()),
        ("nominee_import", ()),
        ("round_statistics", ()),
    ):
        officer.goto(url + reverse(name, args=args))
        check.page(officer, name)
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
    check.page(officer, "reauth")
    officer.fill("#id_password", "sai-mat-khau")
    with officer.expect_navigation():
        officer.click("main form button.primary")
    check.failed_form(officer, "reauth refused", ["id_password"])
    officer.goto(url + reverse("otp_enrol"))  # the officer's role may add a second factor
    with officer.expect_navigation():
        officer.click("main form button.primary")  # start: the page shows the secret and the code field
    check.page(officer, "otp_enrol")
    officer.fill("#id_code", "000000")
    with officer.expect_navigation():
        officer.click("main form button.primary")
    check.failed_form(officer, "enrolment code refused", ["id_code"])

    # --- a council member (a wrong code first) and the secretary ------------------------------------
    member = sign_in(
        site,
        world,
        "member_A",
        wrong_code_first=True,
        check=lambda p: check.failed_form(p, "code refused", ["id_code"]),
    )
    for name, args in (
        ("home", ()),
        ("council_home", ()),
        ("council_session", (session_a,)),
        ("council_agenda_dossier", (session_a, agenda_a)),
        ("council_ballot", (session_a,)),
        ("rulebook", ()),
    ):
        member.goto(url + reverse(name, args=args))
        check.page(member, f"member {name}")
    secretary = sign_in(site, world, "secretary_A")
    for name, args in (("council_home", ()), ("council_session", (session_a,))):
        secretary.goto(url + reverse(name, args=args))
        check.page(secretary, f"secretary {name}")

    # --- the ministry ---------------------------------------------------------------------------------
    for key in ("clerk", "leader"):
        desk = sign_in(site, world, key)
        for name, args in (
            ("home", ()),
            ("ministry_pipeline", ()),
            ("round_statistics", ()),
            ("batch_step", ()),
            ("public_comments", ()),
            ("dossier_list", ()),
            ("dossier_detail", (dossier_a,)),
            ("document_list", ()),
            ("rulebook", ()),
        ):
            desk.goto(url + reverse(name, args=args))
            check.page(desk, f"{key} {name}")

    assert check.problems == [], "\n".join(check.problems)
    assert check.pages >= 45


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
