"""The upload script (static/js/upload.js) in Chromium, with JavaScript on: the council secretary's field
visit, sent by the script for its progress bar, shows a refused file's errors in place (summary focused,
error under the field, what was typed kept) and, once a good file is sent, the next page's "recorded"
message. The server's half is tests/web/test_upload_script.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from councils.models import FieldVisit
from councils.services import session_agenda_add
from tests import factories as f
from tests.councils.conftest import make_council, make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_field_visit_sent_by_the_script_shows_its_refusal_then_its_message(site):
    council, voters, secretary = make_council(3)
    session, (dossier,) = make_session(council)
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    device = TOTPDevice.objects.create(user=secretary.user, name="app", confirmed=True)
    page = site.page(secretary.user.username, otp_device=device)
    form_url = f"{site.url}/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/thuc-te/"
    page.goto(form_url)
    page.check(f"input[name=members][value='{voters[0].pk}']")
    page.fill("#id_visited_on", f"{timezone.localdate() - timedelta(days=1):%d/%m/%Y}")
    page.fill("#id_place", "Xưởng gốm Bát Tràng")
    page.fill("#id_report", "Đoàn đã xem xưởng và các tác phẩm.")
    # a program named .pdf: refused by its content
    page.set_input_files(
        "#id_report_upload",
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 200},
    )
    page.evaluate("window.sameDocument = true")  # gone if the browser itself had loaded another page
    page.click("form[data-upload-progress] button[type=submit]")

    page.wait_for_selector("#error-summary")
    assert page.evaluate("window.sameDocument") is True  # the script sent it and showed the answer
    assert page.evaluate("document.activeElement.id") == "error-summary"  # read first by a screen reader
    assert page.title().startswith("Lỗi:")
    assert "PDF" in page.locator("#id_report_upload_error").inner_text()
    assert page.locator("#error-summary a[href='#id_report_upload']").count() == 1
    assert page.locator("#id_place").input_value() == "Xưởng gốm Bát Tràng"  # what was typed is kept
    assert page.url == form_url
    assert not FieldVisit.objects.exists()

    page.set_input_files(
        "#id_report_upload",
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": f.pdf_bytes("bien-ban")},
    )
    with page.expect_navigation():
        page.click("form[data-upload-progress] button[type=submit]")
    page.wait_for_url(f"{site.url}/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/")
    assert "Đã ghi nhận chuyến đi thực tế." in page.locator("main .messages").inner_text()
    assert FieldVisit.objects.count() == 1
