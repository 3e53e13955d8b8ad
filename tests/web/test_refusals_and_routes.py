"""How the pages show a service's refusal (web.errors), and where the site's routes are declared."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import URLPattern, URLResolver, get_resolver

from councils.models import Session
from councils.services import session_agenda_add, session_attendance_record
from dossiers.models import DossierState
from tests import factories as f
from tests.councils.conftest import make_council, make_session
from tests.workflows.conftest import set_state
from web.errors import refusal_as_text, refusal_to_form


class _Form(forms.Form):
    name = forms.CharField()


def _bound():
    form = _Form({"name": "x"})
    assert form.is_valid()
    return form


def test_a_validation_error_goes_beside_its_field_or_to_the_top_of_the_form():
    form = _bound()
    refusal_to_form(form, ValidationError({"name": "Tên sai.", "other": "Lỗi chung."}))
    assert form.errors["name"] == ["Tên sai."]
    assert form.non_field_errors() == ["Lỗi chung."]
    form = _bound()
    refusal_to_form(form, ValidationError(["Một.", "Hai."]))
    assert form.non_field_errors() == ["Một.", "Hai."]


def test_a_permission_refusal_is_the_403_page():
    with pytest.raises(PermissionDenied, match="thư ký"):
        refusal_to_form(_bound(), PermissionDenied("Chỉ thư ký."))


def test_the_text_answer_keeps_the_reason_and_the_status():
    assert refusal_as_text(PermissionDenied("Không.")).status_code == 403
    assert refusal_as_text(PermissionDenied(), default="Mặc định.").content.decode() == "Mặc định."
    answer = refusal_as_text(ValidationError(["Một.", "Hai."]))
    assert answer.status_code == 400 and answer.content.decode() == "Một. Hai."


@pytest.mark.django_db
def test_a_refused_action_answers_403_with_the_reason(client):
    council, voters, secretary = make_council(3)
    session, dossiers = make_session(council, dossiers=1)
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    client.force_login(voters[0].user)
    response = client.post(f"/hoi-dong/phien/{session.pk}/mo-bo-phieu/", {"confirm": "1"})
    assert response.status_code == 403 and "thư ký" in response.content.decode()
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


@pytest.mark.django_db
def test_a_refusal_on_a_form_page_is_in_the_summary_at_the_top(client, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Bạn đã gửi quá nhiều ý kiến.")

    monkeypatch.setattr("web.public_views.comment_submit", refuse)
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    data = {"full_name": "A", "phone": "0912345678", "address": "B", "text": "C"}
    response = client.post(f"/cong-khai/{dossier.pk}/y-kien/", data)
    text = response.content.decode()
    assert response.status_code == 200 and "Bạn đã gửi quá nhiều ý kiến." in text
    assert text.index("Bạn đã gửi quá nhiều ý kiến.") < text.index('name="full_name"')


def _walk(patterns, prefix=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, (*prefix, entry))
        elif isinstance(entry, URLPattern):
            yield prefix, entry


def test_every_web_route_is_declared_in_web():
    """config.urls only includes web.urls (and the admin, the language switch, health)."""
    for prefix, pattern in _walk(get_resolver().url_patterns):
        if pattern.callback.__module__.startswith("web."):
            assert prefix and prefix[0].urlconf_name.__name__ == "web.urls", pattern.name
