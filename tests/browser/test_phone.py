"""On a phone (390 × 844 CSS px): the menu folds behind its button and opens and closes from the keyboard,
no page scrolls sideways (tables scroll in their own box), and the header names the Ministry."""

import pytest

from dossiers.models import DossierState
from tests import factories as f
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
