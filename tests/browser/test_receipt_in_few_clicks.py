"""A person who has never seen the system receives a dossier with ten works and two files, admits it and
sends it to the provincial council, in under 15 clicks and 5 page loads. The test counts them: every
click, tick and file choice is counted as a click; typing, and choosing in a list with the keyboard, are
not, and the test chooses in lists with the keyboard as a person does after Tab: the arrow keys, or the
option's first letters (`Counted.choose`), never Playwright's select_option. New work rows appear as the
last one is typed in, so ten works cost no click; the round and the title offered first need no choice."""

import pytest
from django.utils import timezone

from dossiers.models import Dossier, DossierState
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Counted:
    """The page, with the clicks and the page loads the person makes counted."""

    def __init__(self, page):
        self.page, self.clicks, self.loads = page, 0, 0
        page.on("load", lambda _page: self._loaded())

    def _loaded(self):
        self.loads += 1

    def click(self, selector, *, navigates=False):
        self.clicks += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.click(selector)
        else:
            self.page.click(selector)

    def check(self, selector):
        self.clicks += 1
        self.page.check(selector)

    def choose(self, selector, *keys):
        """Choose in a list with the keyboard, which is no click: the focus arrives on the list (as Tab
        brings it there), then keys are pressed: arrows, or the first letters of the option."""
        self.page.focus(selector)
        for key in keys:
            self.page.keyboard.press(key)

    def choose_file(self, selector, name, content):
        self.clicks += 1  # opening the file chooser
        self.page.set_input_files(selector, {"name": name, "mimeType": "application/pdf", "buffer": content})


def take_step(person, name):
    step = f"details.step:has(input[name=name][value={name}])"
    person.click(f"{step} summary")
    person.check(f"{step} #confirm-{name}")
    person.click(f"{step} button[type=submit]", navigates=True)


def test_receive_ten_works_and_two_files_admit_and_send_in_few_clicks(site):
    officer = f.officer("01")
    f.round_()
    page = site.page(officer.username)  # signed in, on the home page
    person = Counted(page)
    today = timezone.localdate()

    person.click("main a.button.primary[href='/ho-so/tiep-nhan/']", navigates=True)
    page.fill("#id_full_name", "Phạm Thị Hồng")
    person.choose("#id_gender", "ArrowDown", "ArrowDown")  # ---, nam, nữ
    page.fill("#id_date_of_birth", "12/03/1960")
    page.fill("#id_ethnicity", "Kinh")
    page.fill("#id_cccd", "001160012345")
    person.choose("#id_commune", "ArrowDown")  # the first commune of the province
    person.choose("#id_craft", "ArrowDown")
    assert page.input_value("#id_title") == "excellent"  # offered first: no choice to make
    page.fill("#id_received_on", today.strftime("%d/%m/%Y"))
    page.fill("#id_periods-0-start", "01/01/1985")
    page.fill("#id_periods-0-end", "30/06/2025")
    page.fill("#id_trainees-0-count", "120")
    page.fill("#id_trainees-0-start", "01/01/2000")
    page.fill("#id_trainees-0-end", "31/12/2024")
    for i in range(10):
        row = f"works-{i}"
        page.wait_for_selector(f"#id_{row}-name")  # rows beyond the offered ones appear as one types
        page.fill(f"#id_{row}-name", f"Bình gốm men lam số {i + 1}")
        page.fill(f"#id_{row}-completed_on", f"01/03/{2005 + i}")
        if i == 0:  # one prized work: a national third prize from a competent organiser
            page.fill(f"#id_{row}-award_competition", "Hội thi sản phẩm thủ công mỹ nghệ")
            page.fill(f"#id_{row}-award_organiser", "Bộ Công Thương")
            person.check(f"#id_{row}-award_competent")
            person.choose(f"#id_{row}-award_level", "ArrowDown", "ArrowDown", "ArrowDown")
            person.choose(f"#id_{row}-award_scope", "t")  # "toàn quốc"
            page.fill(f"#id_{row}-award_on", "15/10/2006")
    person.choose("#id_files-0-kind", "ArrowDown")
    person.choose_file("#id_files-0-file", "ban-khai.pdf", f.pdf_bytes("ban khai"))
    person.choose("#id_files-1-kind", "ArrowDown", "ArrowDown", "ArrowDown")
    person.choose_file("#id_files-1-file", "giay-chung-nhan.pdf", f.pdf_bytes("giay chung nhan"))
    person.check("#id_consent")
    person.click("main form button.primary", navigates=True)

    dossier = Dossier.objects.get(artisan__full_name="Phạm Thị Hồng")
    assert page.url.endswith(f"/ho-so/{dossier.pk}/"), page.locator("main").inner_text()[:800]
    assert dossier.works.count() == 10 and dossier.attachments.count() == 2
    # what was chosen with the keyboard is what was saved
    assert dossier.artisan.gender == "female" and dossier.title == "excellent"
    artisan = dossier.artisan
    assert artisan.province.code == "01" and artisan.commune.parent == artisan.province
    award = dossier.awards.get()
    assert (award.level, award.scope) == ("third", "national")
    assert sorted(dossier.attachments.values_list("kind", flat=True)) == ["certified_copy", "declaration"]
    take_step(person, "admit")
    take_step(person, "send_to_provincial_council")

    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROVINCIAL_REVIEW, page.locator("main").inner_text()[:800]
    assert person.clicks < 15, person.clicks
    # the receipt page, then the dossier after each of the three posts
    assert person.loads < 5, person.loads


def test_a_row_is_checked_as_it_is_left_and_a_row_added_from_the_keyboard(site):
    officer = f.officer("01")
    f.round_()
    page = site.page(officer.username)
    page.goto(site.url + "/ho-so/tiep-nhan/")
    page.fill("#id_works-0-name", "Bình gốm")
    page.fill("#id_works-0-completed_on", "31/02/2015")
    page.focus("#id_periods-0-start")  # leaving the row: the server checks it
    error = page.locator("#id_works-0-completed_on_rowerror")
    error.wait_for()
    assert "ngày" in error.inner_text().lower()
    assert page.get_attribute("#id_works-0-completed_on", "aria-invalid") == "true"
    page.fill("#id_works-0-completed_on", "28/02/2015")
    page.focus("#id_periods-0-start")
    error.wait_for(state="detached")
    # "Thêm dòng" from the keyboard: a new blank row, the focus on its first field
    rows = page.locator("fieldset[data-formset=trainees] [data-formset-row]").count()
    page.focus("fieldset[data-formset=trainees] [data-formset-add]")
    page.keyboard.press("Enter")
    assert page.locator("fieldset[data-formset=trainees] [data-formset-row]").count() == rows + 1
    assert page.evaluate("() => document.activeElement.id") == f"id_trainees-{rows}-count"
