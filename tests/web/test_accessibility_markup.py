"""What a screen reader is told, read from the HTML the pages answer (the browser tests in
tests/browser/test_accessibility.py check the same in Chromium, with axe-core): a field's errors sit in
the one element its aria-describedby names; a failed form has an error summary linking each error to its
field and a title starting with "Lỗi:"; the unread count is part of the notification link's text; the
accessibility statement is public and linked from every page."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django import forms
from django.core.cache import cache
from django.template.loader import render_to_string

from dossiers.models import DossierState
from tests import factories as f
from tests.web.test_dossier_pages import receive_data
from tests.workflows.conftest import set_state
from web.templatetags.form_errors import error_summary

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()
        self.references = []  # (attribute, id) of every aria-describedby / aria-labelledby
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        for name in ("aria-describedby", "aria-labelledby"):
            for ref in (attrs.get(name) or "").split():
                self.references.append((name, ref))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parsed(response) -> Ids:
    parser = Ids()
    parser.feed(response.content.decode())
    return parser


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_every_error_of_the_receive_form_is_where_its_field_says(officer_client):
    response = officer_client.post(
        "/ho-so/tiep-nhan/", receive_data(full_name="", cccd="12", received_on="2025-09-20", consent=None)
    )
    assert response.status_code == 200
    page = parsed(response)
    broken = [(name, ref) for name, ref in page.references if page.ids[ref] != 1]
    assert broken == []
    described = {ref for name, ref in page.references if name == "aria-describedby"}
    assert {"id_full_name_error", "id_cccd_error", "id_received_on_error", "id_consent_error"} <= described
    # the summary: one link per field in error, to the field itself
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    for field in ("full_name", "cccd", "received_on", "consent"):
        assert f'href="#id_{field}"' in summary
    assert title(response).startswith("Lỗi:")


def test_two_errors_on_one_field_give_one_element():
    """A rule of the service named after a field adds a second error to it: still one container."""

    class One(forms.Form):
        name = forms.CharField(min_length=5)

    form = One({"name": "ab"})
    form.is_valid()
    form.add_error("name", "Một lỗi nữa.")
    html = render_to_string("dossiers/_field.html", {"field": form["name"]})
    assert html.count('id="id_name_error"') == 1
    assert "Một lỗi nữa." in html
    assert 'aria-describedby="id_name_error"' in html
    assert [item["field_id"] for item in error_summary(form)] == ["id_name", "id_name"]


def test_a_page_without_errors_has_no_summary_and_a_plain_title(officer_client):
    response = officer_client.get("/ho-so/tiep-nhan/")
    assert 'id="error-summary"' not in response.content.decode()
    assert not title(response).startswith("Lỗi:")


def test_the_public_comment_form_in_error(client):
    cache.clear()  # the comment form is rate-limited
    posted = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    response = client.post(f"/cong-khai/{posted.pk}/y-kien/", {"full_name": "Lê Văn Tâm", "text": ""})
    page = parsed(response)
    assert [(name, ref) for name, ref in page.references if page.ids[ref] != 1] == []
    assert {"#id_phone", "#id_address", "#id_text"} <= set(page.links)
    assert title(response).startswith("Lỗi:")


def test_failed_sign_in_has_a_summary_and_an_error_title(client):
    response = client.post("/dang-nhap/", {"username": "nobody", "password": "wrong"})
    assert 'id="error-summary"' in response.content.decode()
    assert title(response).startswith("Lỗi:")


def test_the_accessibility_statement_is_public_and_linked_from_every_page(client):
    response = client.get("/kha-nang-tiep-can/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Thông tư số 26/2020/TT-BTTTT" in text and "Ngoại lệ đã biết" in text and "Liên hệ" in text
    assert "/kha-nang-tiep-can/" in parsed(client.get("/cong-khai/")).links
    assert "/kha-nang-tiep-can/" in parsed(client.get("/dang-nhap/")).links


def test_a_step_refused_on_the_dossier_page_is_shown_like_a_failed_form(officer_client):
    """A step is posted from the dossier page and refused there after the redirect: its reasons in the
    same summary, focused, and the title says so."""
    dossier = f.dossier("01")
    response = officer_client.post(f"/ho-so/{dossier.pk}/buoc/", {"name": "admit"}, follow=True)
    html = response.content.decode()
    assert 'id="message-errors"' in html and "data-error-summary" in html
    assert title(response).startswith("Lỗi:")
    page = parsed(response)
    assert [(name, ref) for name, ref in page.references if page.ids[ref] != 1] == []
