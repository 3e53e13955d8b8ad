"""On a phone (390 × 844 CSS px): the menu folds behind its button and opens and closes from the keyboard,
no page scrolls sideways, and the header names the Ministry; every data table of each role's list pages
keeps readable columns (no word broken across lines or spilling out of its cell) inside a box that
scrolls sideways, is reached with Tab and has a name, and nothing spills out of a card
(tests/browser/tables.py)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from dossiers.models import DossierState
from tests import factories as f
from tests.browser.pages import complete_world, pages_of_every_role
from tests.browser.tables import TABLE_PROBLEMS
from tests.security.world import build_world
from tests.workflows.conftest import set_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_the_menu_folds_and_nothing_scrolls_sideways_on_a_phone(site):
    officer = f.officer("01")
    for _ in range(3):
        set_state(f.dossier("01"), DossierState.GOV_POSTING)
    page = site.page(officer.username)
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/")
    toggle = page.locator("button.menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-nav").is_visible()
    assert "BỘ CÔNG THƯƠNG" in page.locator("header .brand").inner_text()  # shown in capitals
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#site-nav").is_visible()
    page.keyboard.press("Tab")  # into the menu
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not page.locator("#site-nav").is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")
    for path in ("/", "/ho-so/", "/ho-so/tiep-nhan/", "/cong-khai/", "/nghe-nhan/"):
        page.goto(site.url + path)
        assert page.evaluate(SIDEWAYS) <= 0, path

    # on a wide screen the menu is simply there
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site.url + "/")
    assert page.locator("#site-nav").is_visible() and not page.locator("button.menu-toggle").is_visible()


# The order in which roles are tried for a page: the first that reaches it shows it with rows.
PHONE_ROLES = ("officer_A", "member_A", "secretary_A", "clerk", "leader", "admin", "anonymous", "norole")


def test_every_list_page_of_every_role_keeps_its_tables_readable_on_a_phone(site, settings, tmp_path):
    """The list pages (every URL without arguments, from the URL configuration: tests/browser/pages.py),
    each shown once, by the first role of PHONE_ROLES that reaches it, in the security tests' world."""
    from django.core.cache import cache

    cache.clear()
    world = build_world(settings, tmp_path)
    complete_world(world, settings)
    lists: dict[str, list[str]] = {}
    seen = set()
    visits = pages_of_every_role(world)
    for role in PHONE_ROLES:
        for visit in visits:
            if visit.role == role and visit.route not in seen and visit.listing:
                seen.add(visit.route)
                lists.setdefault(role, []).append(visit.path)
    problems, tables = [], 0
    for role, paths in lists.items():
        user = world.users[role]
        device = None
        if user is not None and role not in ("officer_A", "norole"):
            device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        page = site.page(user.username if user else None, otp_device=device)
        page.set_viewport_size(PHONE)
        for path in paths:
            page.goto(site.url + path)
            tables += page.locator("main table").count()
            problems += [f"{role} {path}: {problem}" for problem in page.evaluate(TABLE_PROBLEMS)]
            if page.evaluate(SIDEWAYS) > 0:
                problems.append(f"{role} {path}: the page scrolls sideways")
        page.context.close()
    assert problems == [], "\n".join(problems)
    assert tables >= 15 and len(seen) >= 25  # the walk found the lists

    # the officer's list of dossiers is wider than the phone: its box scrolls, from the keyboard too
    page = site.page(world.users["officer_A"].username)
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/ho-so/")
    box = page.locator("main .scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth + 100")
    box.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('main .scroll').scrollLeft > 0")
    assert page.evaluate(SIDEWAYS) <= 0  # the box scrolled, not the page
