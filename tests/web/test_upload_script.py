"""The forms sent by the upload script (static/js/upload.js, forms marked `data-upload-progress`): what
the server says reaches the user as after a plain post. The script's request carries the header
`X-Upload-Progress: 1`; after a success the answer is where to go, {"redirect": url}, and the message
("recorded", the preview) waits for that page; a refused file answers the form again with its error
summary and the error beside the field, which the script puts in the page. The browser half (the script
itself) is tests/browser/test_upload_script.py."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.models import FieldVisit
from councils.services import session_agenda_add
from dossiers.models import NomineeImport, RegistryImport
from tests import factories as f
from tests.councils.conftest import make_council, make_session
from tests.web.test_nominee_import import nominee
from tests.web.test_nominee_import import workbook_bytes as nominee_workbook
from tests.web.test_registry_import import artisan_row
from tests.web.test_registry_import import workbook_bytes as registry_workbook

pytestmark = pytest.mark.django_db

SCRIPT = {"HTTP_X_UPLOAD_PROGRESS": "1"}
NOT_A_PDF = b"MZ\x90\x00" + b"\x00" * 200  # a program named .pdf


def sent_by_the_script(client, url, data):
    return client.post(url, data, **SCRIPT)


def where_it_goes(response) -> str:
    """The success answer: where the script is told to go (never a redirect it would follow)."""
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()["redirect"]


def page_to_show(response, field_id: str) -> str:
    """The refusal answer: the form again, its summary linking to the field and the field's error."""
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'id="main"' in page and "data-error-summary" in page  # what the script swaps in and focuses
    assert f'href="#{field_id}"' in page and f'id="{field_id}_error"' in page
    assert "<title>Lỗi:" in page
    return page


def test_a_field_visit_sent_by_the_script_keeps_its_message_and_its_refusal(client):
    council, voters, secretary = make_council(5)
    session, (dossier,) = make_session(council)
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    client.force_login(secretary.user)
    url = f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/thuc-te/"
    data = {
        "members": [voters[0].pk, voters[1].pk],
        "visited_on": f"{timezone.localdate() - timedelta(days=1):%d/%m/%Y}",
        "place": "Xưởng gốm Bát Tràng",
        "report": "Đoàn đã xem xưởng và các tác phẩm.",
    }

    refused = sent_by_the_script(
        client, url, {**data, "report_upload": SimpleUploadedFile("bien-ban.pdf", NOT_A_PDF)}
    )
    page = page_to_show(refused, "id_report_upload")
    assert "PDF" in page and 'value="Xưởng gốm Bát Tràng"' in page  # the refusal, and what was typed
    assert not FieldVisit.objects.exists()

    done = sent_by_the_script(
        client, url, {**data, "report_upload": SimpleUploadedFile("bien-ban.pdf", f.pdf_bytes("bb"))}
    )
    next_page = where_it_goes(done)
    assert next_page == f"/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/"
    assert "Đã ghi nhận chuyến đi thực tế." in client.get(next_page).content.decode()
    assert FieldVisit.objects.count() == 1


def test_a_nominee_list_sent_by_the_script_opens_its_preview_or_shows_its_refusal(officer_client):
    f.round_()
    url = "/ho-so/nhap-excel/"
    refused = sent_by_the_script(
        officer_client, url, {"file": SimpleUploadedFile("ds.xlsx", f.pdf_bytes("x"))}
    )
    assert "không phải là sổ tính Excel" in page_to_show(refused, "id_file")
    assert not NomineeImport.objects.exists()

    good = SimpleUploadedFile("ds.xlsx", nominee_workbook([nominee(1)]))
    next_page = where_it_goes(sent_by_the_script(officer_client, url, {"file": good}))
    preview = NomineeImport.objects.get()
    assert next_page == f"{url}{preview.pk}/"
    assert "Nguyễn Thị Hồng A" in officer_client.get(next_page).content.decode()


def test_a_registry_list_sent_by_the_script_opens_its_preview_or_shows_its_refusal(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))
    url = "/nghe-nhan/nhap-excel/"
    refused = sent_by_the_script(client, url, {"file": SimpleUploadedFile("ds.xlsx", f.pdf_bytes("x"))})
    assert "không phải là sổ tính Excel" in page_to_show(refused, "id_file")
    assert not RegistryImport.objects.exists()

    good = SimpleUploadedFile("ds.xlsx", registry_workbook([artisan_row(1)]))
    next_page = where_it_goes(sent_by_the_script(client, url, {"file": good}))
    preview = RegistryImport.objects.get()
    assert next_page == f"{url}{preview.pk}/"
    assert "Phạm Thị Hồng A" in client.get(next_page).content.decode()
