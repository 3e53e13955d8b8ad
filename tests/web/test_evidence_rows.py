"""The evidence tables' rows as the server renders them, on the receipt and on a dossier's evidence page:
each row carries its "Remove row" button (a real button, shown by the script) next to the "Delete" box
that works without JavaScript, and the fieldset the texts the script names rows and reports with.
The browser side is in tests/browser/test_evidence_rows.py."""

import re
from datetime import date

import pytest

from dossiers.models import Work
from tests import factories as f
from tests.web.test_dossier_pages import receive_data

pytestmark = pytest.mark.django_db

TABLES = {
    "periods": "Xóa dòng thời gian làm nghề {n}",
    "works": "Xóa dòng tác phẩm {n}",
    "trainees": "Xóa dòng truyền nghề {n}",
    "prior_titles": "Xóa dòng danh hiệu {n}",
}

# hidden until the script names it and shows it
BUTTON = '<p class="js-only" hidden><button type="button" data-formset-remove>Xóa dòng</button></p>'


def fieldset(page: str, prefix: str) -> str:
    match = re.search(rf'<fieldset data-formset="{prefix}".*?</fieldset>', page, re.S)
    assert match, prefix
    return match.group(0)


def rows(block: str) -> list[str]:
    """The rows shown, not the <template>'s row."""
    shown = block.split("<template", 1)[0]
    return re.findall(r"<div class=\"row\" data-formset-row>.*?\n      </div>", shown, re.S)


def assert_rows_removable(page: str) -> None:
    for prefix, label in TABLES.items():
        block = fieldset(page, prefix)
        assert f'data-remove-label="{label}"' in block, prefix
        assert 'data-summary-title="Có lỗi cần sửa"' in block
        shown = rows(block)
        assert shown, prefix
        for row in shown:
            # the button for the script, the box for a page without it
            assert BUTTON in row, row
            assert re.search(rf'type="checkbox" name="{prefix}-\d+-DELETE"', row), row
        template = block.split("<template", 1)[1]
        assert "data-formset-remove>Xóa dòng</button>" in template


def test_every_row_of_the_receipt_has_its_remove_button(officer_client):
    f.round_()
    assert_rows_removable(officer_client.get("/ho-so/tiep-nhan/").content.decode())


def test_every_row_of_a_dossiers_evidence_page_has_its_remove_button(officer_client):
    dossier = f.dossier("01")
    Work.objects.create(dossier=dossier, name="Bình gốm", completed_on=date(2015, 3, 1))
    page = officer_client.get(f"/ho-so/{dossier.pk}/chung-cu/").content.decode()
    assert_rows_removable(page)
    assert len(rows(fieldset(page, "works"))) == 3  # the saved work and two blank rows


def test_without_javascript_a_ticked_delete_box_drops_a_saved_row(officer_client):
    dossier = f.dossier("01")
    for name in ("Bình gốm", "Lọ hoa"):
        Work.objects.create(dossier=dossier, name=name, completed_on=date(2015, 3, 1))
    empty = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}
    data = {f"{table}-{k}": v for table in ("periods", "trainees", "prior_titles") for k, v in empty.items()}
    data.update(
        {
            "works-TOTAL_FORMS": "2",
            "works-INITIAL_FORMS": "2",
            "works-0-name": "Bình gốm",
            "works-0-completed_on": "01/03/2015",
            "works-0-DELETE": "on",
            "works-1-name": "Lọ hoa",
            "works-1-completed_on": "01/03/2015",
        }
    )
    response = officer_client.post(f"/ho-so/{dossier.pk}/chung-cu/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(dossier.works.values_list("name", flat=True)) == ["Lọ hoa"]


def test_a_removed_rows_errors_are_not_listed_when_the_save_fails_for_another_reason(officer_client):
    f.round_()
    data = {
        **receive_data(full_name=""),
        "works-TOTAL_FORMS": "2",
        "works-INITIAL_FORMS": "0",
        "works-0-name": "Bình gốm",
        "works-0-completed_on": "31/02/2015",
        "works-0-DELETE": "on",  # removed, by its button or its box
        "works-1-name": "Lọ hoa",
        "works-1-completed_on": "30/02/2016",
    }
    page = officer_client.post("/ho-so/tiep-nhan/", data).content.decode()
    summary = re.search(r'<div class="error error-summary".*?</div>', page, re.S).group(0)
    assert 'href="#id_full_name"' in summary and 'href="#id_works-1-completed_on"' in summary
    assert "works-0" not in summary
