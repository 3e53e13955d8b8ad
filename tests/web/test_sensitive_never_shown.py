"""The CCCD and ethnicity never reach council members or the public: not in the agenda pages, not in the
public list, not in any document a council member may download; the officer's reveal is logged without
the value. (Law 91/2025: who sees it is said in the consent text.)"""

import io
import logging

import pytest
from docx import Document

from councils.services import ballot_cast, session_agenda_add, session_attendance_record
from documents.models import GeneratedDocument
from documents.services import document_generate
from dossiers.models import DossierState, SensitiveDataAccess
from tests import factories as f
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from tests.workflows.conftest import set_state
from workflows import services as wf
from workflows.selectors import documents_visible_to

pytestmark = pytest.mark.django_db

NUMBER, ETHNICITY = "001168054321", "Rơ Măm"


def mark(dossier):
    artisan = dossier.artisan
    artisan.cccd, artisan.ethnicity = NUMBER, ETHNICITY
    artisan.save()
    return dossier


def assert_absent(text: str):
    assert NUMBER not in text and "001 168 054 321" not in text
    assert ETHNICITY not in text


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_council_pages_and_every_document_a_member_may_download_hold_neither(client):
    council, voters, secretary = make_council(5)
    session, dossiers = make_session(council, dossiers=1)
    mark(dossiers[0])
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    wf.council_ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, dossiers, voters)
    for member in voters:
        ballot_cast(session=session, dossier=dossiers[0], choice="agree", by=member.user)
    wf.council_ballot_close(session=session, by=secretary.user)
    for pk in GeneratedDocument.objects.values_list("pk", flat=True):
        document_generate(document_id=pk)
    for user in (voters[1].user, secretary.user):
        client.force_login(user)
        for url in (
            "/hoi-dong/",
            f"/hoi-dong/phien/{session.pk}/",
            f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_absent(response.content.decode())
        visible = list(documents_visible_to(user).filter(status="done"))
        assert visible  # the minutes and ballot papers of their council
        assert not any(d.sensitive for d in visible)
        for document in visible:
            response = client.get(f"/ho-so/van-ban/{document.uid}/tai-ve/")
            assert response.status_code == 200
            assert_absent(docx_text(b"".join(response.streaming_content)))
    assert not SensitiveDataAccess.objects.filter(user__in=[v.user for v in voters]).exists()


def test_the_public_list_and_comment_form_hold_neither(client):
    posted = mark(set_state(f.dossier("01"), DossierState.GOV_POSTING))
    for url in ("/cong-khai/", f"/cong-khai/{posted.pk}/y-kien/"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert posted.artisan.full_name in body or url != "/cong-khai/"
        assert_absent(body)


def test_a_council_member_may_not_reveal_and_an_officers_reveal_is_logged_without_the_value(client, caplog):
    dossier = mark(f.dossier("01"))
    member = f.user("council_member", f.department("01"))
    client.force_login(member)
    assert client.post(f"/ho-so/{dossier.pk}/ca-nhan/").status_code in (403, 404)
    officer = f.officer("01")
    client.force_login(officer)
    with caplog.at_level(logging.DEBUG):
        response = client.post(f"/ho-so/{dossier.pk}/ca-nhan/")
        assert NUMBER in response.content.decode()
    assert_absent(caplog.text)
    assert set(SensitiveDataAccess.objects.filter(user=officer).values_list("field", flat=True)) == {
        "cccd",
        "ethnicity",
    }
    assert not SensitiveDataAccess.objects.filter(user=member).exists()


def test_the_lists_decrypt_no_number_and_only_the_reveal_decrypts_both_fields_once(client, monkeypatch):
    """A page that does not show the CCCD or the ethnicity never decrypts them (the lists leave the
    encrypted columns out of their joins); the officer's reveal decrypts each once."""
    import core.crypto

    decrypted = []
    real = core.crypto.decrypt
    monkeypatch.setattr(core.crypto, "decrypt", lambda token: decrypted.append(token) or real(token))
    officer = f.officer("01")
    dossiers = [mark(f.dossier("01")), f.dossier("01"), f.dossier("01")]
    for dossier in dossiers:
        wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    client.force_login(officer)
    for url in (
        "/ho-so/",
        f"/ho-so/?q={dossiers[0].artisan.full_name}",
        "/ho-so/viec-can-lam/",
        "/ho-so/van-ban/",
        "/thong-bao/",
        f"/ho-so/{dossiers[0].pk}/",
    ):
        decrypted.clear()
        assert client.get(url).status_code == 200, url
        assert decrypted == [], url
    decrypted.clear()
    assert NUMBER in client.post(f"/ho-so/{dossiers[0].pk}/ca-nhan/").content.decode()
    assert len(decrypted) == 2
