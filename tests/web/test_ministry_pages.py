"""The ministry's pages: national pipeline (one aggregate query), batch steps with a preview that writes
nothing, public comments to complaints; and each role's home with what to do next."""

import pytest
from django.core.cache import cache

from councils.models import PublicComment
from dossiers.models import DossierState
from tests import factories as f
from tests.workflows.conftest import set_state
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def clerk():
    return f.user("ministry_clerk", f.ministry())


def test_pipeline_counts_by_province_and_state(client):
    for code, state in [("01", DossierState.SUBMITTED), ("01", DossierState.SUBMITTED), ("31", "forwarded")]:
        set_state(f.dossier(code), state)
    client.force_login(clerk())
    page = client.get("/bo/tong-hop/")
    assert page.status_code == 200
    rows = {r["name"]: r for r in page.context["rows"]}
    assert sum(rows[f.province("01").name]["cells"]) == 2
    assert sum(rows[f.province("31").name]["cells"]) == 1
    assert page.context["grand_total"] == 3


def test_an_officer_sees_only_their_province_in_the_pipeline(client):
    set_state(f.dossier("01"), DossierState.SUBMITTED)
    set_state(f.dossier("31"), DossierState.SUBMITTED)
    client.force_login(f.officer("01"))
    page = client.get("/bo/tong-hop/")
    assert [r["name"] for r in page.context["rows"]] == [f.province("01").name]


def test_batch_preview_writes_nothing_then_the_confirmed_batch_runs_each(client):
    ready = [set_state(f.dossier(code), DossierState.FORWARDED) for code in ("01", "31")]
    user = clerk()
    client.force_login(user)
    preview = client.get("/bo/buoc-theo-lo/", {"step": "send_to_ministerial_council"})
    assert preview.status_code == 200
    assert [row["decision"].allowed for row in preview.context["preview"]] == [True, True]
    assert not AuditEntry.objects.exists()
    # not confirmed: nothing
    client.post("/bo/buoc-theo-lo/", {"step": "send_to_ministerial_council", "dossier": [ready[0].pk]})
    assert not AuditEntry.objects.exists()
    done = client.post(
        "/bo/buoc-theo-lo/",
        {"step": "send_to_ministerial_council", "dossier": [ready[0].pk], "confirm": "1"},
    )
    assert done.status_code == 200 and done.context["result"]["done"] == [ready[0].artisan.full_name]
    for dossier, state in zip(ready, [DossierState.MINISTERIAL_REVIEW, DossierState.FORWARDED], strict=True):
        dossier.refresh_from_db()
        assert dossier.state == state
    # none refused reads "none" under its heading, not "not yet"
    result = done.content.decode().split('id="batch-result"')[1]
    refused = result.split("<h2>Bị từ chối</h2>")[1].split("</ul>")[0]
    assert "<li>không có</li>" in refused and "chưa có" not in result


def test_batch_preview_shows_why_a_step_would_be_refused(client):
    dossier = set_state(f.dossier("01"), DossierState.PROPOSED)
    client.force_login(clerk())
    preview = client.get("/bo/buoc-theo-lo/", {"step": "record_conferral"})
    (row,) = preview.context["preview"]
    assert row["dossier"].pk == dossier.pk and not row["decision"].allowed
    assert "Chủ tịch nước" in row["decision"].reason or "quyết định" in row["decision"].reason


def test_an_officer_cannot_batch_another_provinces_dossiers(client):
    other = set_state(f.dossier("31"), DossierState.PROVINCIAL_PASSED)
    client.force_login(f.officer("01"))
    response = client.post(
        "/bo/buoc-theo-lo/",
        {"step": "post_provincial_result", "dossier": [other.pk], "confirm": "1", "on": "01/12/2025"},
    )
    assert response.status_code == 200 and "result" not in (response.context or {})
    other.refresh_from_db()
    assert other.state == DossierState.PROVINCIAL_PASSED


def test_a_council_member_has_no_batch_or_comment_pages(client):
    client.force_login(f.user("council_member", f.department("01")))
    assert client.get("/bo/buoc-theo-lo/").status_code == 403
    assert client.get("/bo/y-kien/").status_code == 403


def _comment(dossier):
    return PublicComment.objects.create(
        dossier=dossier,
        full_name="Lê Văn Tâm",
        phone="0912345678",
        address="Hà Nội",
        text="Xin góp ý",
        posted_state=dossier.state,
    )


def test_a_comment_becomes_a_complaint_after_confirmation(client):
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    comment = _comment(dossier)
    client.force_login(clerk())
    page = client.get("/bo/y-kien/").content.decode()
    assert "Xin góp ý" in page
    client.post(f"/bo/y-kien/{comment.pk}/khieu-nai/", {"note": "Có dấu hiệu sai sự thật"})
    comment.refresh_from_db()
    assert comment.status == PublicComment.Status.RECEIVED  # not confirmed
    client.post(f"/bo/y-kien/{comment.pk}/khieu-nai/", {"note": "Có dấu hiệu sai sự thật", "confirm": "1"})
    comment.refresh_from_db()
    dossier.refresh_from_db()
    assert comment.status == PublicComment.Status.COMPLAINT and dossier.state == DossierState.ON_HOLD


def test_another_provinces_comment_answers_404_to_an_officer(client):
    comment = _comment(set_state(f.dossier("31"), DossierState.PROVINCIAL_POSTED))
    client.force_login(f.officer("01"))
    assert "Xin góp ý" not in client.get("/bo/y-kien/").content.decode()
    response = client.post(f"/bo/y-kien/{comment.pk}/khieu-nai/", {"note": "x", "confirm": "1"})
    assert response.status_code == 404


def test_the_officers_home_shows_what_to_do_next_and_the_states(client):
    officer = f.officer("01")
    set_state(f.dossier("01"), DossierState.SUBMITTED)
    client.force_login(officer)
    page = client.get("/")
    assert page.status_code == 200
    assert page.context["by_state"] and 'id="next"' in page.content.decode()


def test_the_members_home_lists_their_sessions(client):
    from tests.councils.conftest import make_council, make_session

    council, voters, _secretary = make_council(3)
    session, _ = make_session(council, dossiers=0)
    client.force_login(voters[0].user)
    page = client.get("/").content.decode()
    assert f"/hoi-dong/phien/{session.pk}/" in page


def test_the_presidents_decision_is_recorded_for_a_batch(client):
    proposed = [set_state(f.dossier(code), DossierState.PROPOSED) for code in ("01", "31")]
    client.force_login(clerk())
    response = client.post(
        "/bo/buoc-theo-lo/",
        {
            "step": "record_conferral",
            "decision_number": "1234/QĐ-CTN",
            "decision_date": "01/12/2026",
            "dossier": [d.pk for d in proposed],
            "confirm": "1",
        },
    )
    assert len(response.context["result"]["done"]) == 2
    for dossier in proposed:
        dossier.refresh_from_db()
        assert dossier.state == DossierState.CONFERRED
