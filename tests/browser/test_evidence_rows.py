"""The evidence tables as an officer types them (static/js/formset.js), from the keyboard: a row is removed
by its own button without a reload, the focus goes on sensibly, the live region says so and the saved
dossier does not have the row; a row's errors found as it is left join the error summary at the top, whose
link leads to the field, and leave it when the row is corrected, without the summary taking the focus."""

from datetime import date

import pytest

from dossiers.models import Dossier, Work
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, name: document.activeElement.getAttribute('aria-label')})"
    )


def announced(page, text) -> None:
    page.wait_for_function("t => document.getElementById('announcer').textContent === t", arg=text)


def fill_the_artisan(page) -> None:
    page.fill("#id_full_name", "Phạm Thị Hồng")
    page.focus("#id_gender")
    page.keyboard.press("ArrowDown")
    page.fill("#id_date_of_birth", "12/03/1960")
    page.fill("#id_ethnicity", "Kinh")
    page.fill("#id_cccd", "001160012345")
    page.focus("#id_commune")
    page.keyboard.press("ArrowDown")
    page.focus("#id_craft")
    page.keyboard.press("ArrowDown")
    page.fill("#id_received_on", date.today().strftime("%d/%m/%Y"))


def test_a_typed_row_is_removed_from_the_keyboard_and_not_received(site):
    officer = f.officer("01")
    f.round_()
    page = site.page(officer.username)
    page.goto(site.url + "/ho-so/tiep-nhan/")
    fill_the_artisan(page)
    for i, name in enumerate(["Bình gốm", "Bình sai", "Lọ hoa"]):
        page.fill(f"#id_works-{i}-name", name)
        page.fill(f"#id_works-{i}-completed_on", f"01/03/{2015 + i}")
    # without JavaScript the "Delete" box drops a row; with it, the box gives way to the button
    assert not page.is_visible("#id_works-1-DELETE")
    # Tab from the row's last field reaches its button, named after the row
    page.focus("#id_works-1-award_on")
    page.keyboard.press("Tab")
    assert focused(page) == {"id": "", "name": "Xóa dòng tác phẩm 2"}
    page.keyboard.press("Enter")
    assert not page.is_visible("#id_works-1-name")
    assert focused(page)["id"] == "id_works-2-name"  # the next row's first field
    announced(page, "Đã xóa dòng tác phẩm 2.")
    # the rows shown are numbered again: "Lọ hoa" is now the second
    buttons = page.locator("fieldset[data-formset=works] [data-formset-rows] [data-formset-remove]")
    assert buttons.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")[:2] == [
        "Xóa dòng tác phẩm 1",
        "Xóa dòng tác phẩm 2",
    ]
    assert page.get_attribute("#id_works-TOTAL_FORMS", "value") == "4"  # three typed, one blank
    page.check("#id_consent")
    with page.expect_navigation():
        page.click("main form button.primary")
    dossier = Dossier.objects.get(artisan__full_name="Phạm Thị Hồng")
    assert page.url.endswith(f"/ho-so/{dossier.pk}/"), page.locator("main").inner_text()[:800]
    assert sorted(dossier.works.values_list("name", flat=True)) == ["Bình gốm", "Lọ hoa"]


def test_a_saved_row_is_removed_with_space_on_the_evidence_page(site):
    officer = f.officer("01")
    dossier = f.dossier("01")
    for i, name in enumerate(["Bình gốm", "Lọ hoa"]):
        Work.objects.create(dossier=dossier, name=name, completed_on=date(2015 + i, 3, 1))
    page = site.page(officer.username)
    page.goto(f"{site.url}/ho-so/{dossier.pk}/chung-cu/")
    first = "fieldset[data-formset=works] [data-formset-rows] > [data-formset-row]:first-child"
    assert page.input_value(f"{first} input[name$='-name']") == "Bình gốm"
    page.focus(f"{first} input[name$='-award_on']")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Xóa dòng tác phẩm 1"
    page.keyboard.press(" ")
    announced(page, "Đã xóa dòng tác phẩm 1.")
    assert page.input_value(f"#{focused(page)['id']}") == "Lọ hoa"  # the focus is on the next row
    with page.expect_navigation():
        page.click("main form button.primary")
    assert page.url.endswith(f"/ho-so/{dossier.pk}/"), page.locator("main").inner_text()[:800]
    assert list(dossier.works.values_list("name", flat=True)) == ["Lọ hoa"]


def test_removing_the_last_row_moves_the_focus_to_add_a_row(site):
    officer = f.officer("01")
    f.round_()
    page = site.page(officer.username)
    page.goto(site.url + "/ho-so/tiep-nhan/")
    page.focus("fieldset[data-formset=trainees] [data-formset-remove]")
    page.keyboard.press("Enter")
    assert page.locator("fieldset[data-formset=trainees] [data-formset-rows] [data-formset-row]").count() == 0
    assert page.evaluate("() => document.activeElement.hasAttribute('data-formset-add')")
    announced(page, "Đã xóa dòng truyền nghề 1.")


def test_a_rows_live_error_joins_the_summary_and_leaves_it_when_corrected(site):
    officer = f.officer("01")
    f.round_()
    page = site.page(officer.username)
    page.goto(site.url + "/ho-so/tiep-nhan/")
    assert page.locator("#error-summary").count() == 0  # nothing saved, nothing wrong yet
    page.fill("#id_works-0-name", "Bình gốm")
    page.fill("#id_works-0-completed_on", "31/02/2015")
    page.focus("#id_trainees-0-count")  # leaving the row: the server checks it
    link = page.locator('#error-summary a[href="#id_works-0-completed_on"]')
    link.wait_for()
    assert link.inner_text().startswith("Ngày hoàn thành: ")
    assert "ngày" in link.inner_text().lower()[len("Ngày hoàn thành: ") :]
    assert page.locator("#error-summary h2").inner_text() == "Có lỗi cần sửa"
    # typing went on where it was: the summary did not take the focus
    assert focused(page)["id"] == "id_trainees-0-count"
    # the link leads to the field, from the keyboard
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'id_works-0-completed_on'")
    # corrected and left: the error goes from under the field and from the summary, which goes with it
    page.fill("#id_works-0-completed_on", "28/02/2015")
    page.focus("#id_trainees-0-count")
    page.locator("#error-summary").wait_for(state="detached")
    assert page.locator("#id_works-0-completed_on_rowerror").count() == 0


def test_a_failed_saves_summary_loses_a_row_error_once_it_is_corrected(site):
    officer = f.officer("01")
    dossier = f.dossier("01")
    page = site.page(officer.username)
    page.goto(f"{site.url}/ho-so/{dossier.pk}/chung-cu/")
    page.fill("#id_works-0-name", "Bình gốm")
    page.fill("#id_works-0-completed_on", "31/02/2015")
    page.fill("#id_trainees-0-count", "0")
    page.fill("#id_trainees-0-start", "01/01/2000")
    page.fill("#id_trainees-0-end", "31/12/2020")
    with page.expect_navigation():
        page.click("main form button.primary")
    summary = page.locator("#error-summary")
    assert summary.locator("a").count() == 2
    assert focused(page)["id"] == "error-summary"  # after a save, the summary has the focus
    page.fill("#id_works-0-completed_on", "28/02/2015")
    page.focus("#id_periods-0-start")
    summary.locator('a[href="#id_works-0-completed_on"]').wait_for(state="detached")
    # the other row's error stays listed, and the field no longer points at a message that went
    assert summary.locator('a[href="#id_trainees-0-count"]').count() == 1
    described = page.get_attribute("#id_works-0-completed_on", "aria-describedby") or ""
    assert all(page.locator(f"#{i}").count() == 1 for i in described.split())
    assert page.get_attribute("#id_works-0-completed_on", "aria-invalid") is None
