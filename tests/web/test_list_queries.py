"""Every list page runs the same number of SQL queries for 10 rows as for 200."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils.models import AgendaItem, PublicComment, Session
from councils.services import session_attendance_record
from documents.models import GeneratedDocument
from dossiers.models import DossierState
from notifications.models import EventRecord, Notification
from tests import factories as f
from tests.councils.conftest import make_council
from tests.workflows.conftest import set_state
from workflows.services import council_ballot_open, dossier_transition

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def same_for_10_and_200(client, url: str, add_rows) -> None:
    add_rows(10)
    client.get(url)  # warm-up: one-time caches (content types, rulebook) are not the page's
    ten = count_queries(client, url)
    add_rows(190)
    two_hundred = count_queries(client, url)
    assert ten == two_hundred, f"{url}: {ten} queries for 10 rows, {two_hundred} for 200"


def _dossiers(state, code="01"):
    return lambda n: [set_state(f.dossier(code), state) for _ in range(n)]


def test_dossier_list(client):
    client.force_login(f.officer("01"))
    same_for_10_and_200(client, "/ho-so/", _dossiers(DossierState.SUBMITTED))


def test_task_inbox_and_home(client):
    officer = f.officer("01")
    client.force_login(officer)

    def add(n):
        for _ in range(n):
            dossier_transition(name="submit", dossier=f.dossier("01"), by=officer)

    same_for_10_and_200(client, "/ho-so/viec-can-lam/", add)
    # paginated (25 a page): a later page of 200 runs what the first runs
    assert count_queries(client, "/ho-so/viec-can-lam/?trang=4") == count_queries(
        client, "/ho-so/viec-can-lam/"
    )
    client.force_login(officer)
    before = count_queries(client, "/")
    add(10)
    assert count_queries(client, "/") == before


def test_public_list(client):
    same_for_10_and_200(client, "/cong-khai/", _dossiers(DossierState.GOV_POSTING))


def test_pipeline(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))

    def add(n):
        for i in range(n):
            set_state(f.dossier(("01", "31", "48")[i % 3]), (DossierState.SUBMITTED, "forwarded")[i % 2])

    same_for_10_and_200(client, "/bo/tong-hop/", add)


def test_public_comments(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)

    def add(n):
        PublicComment.objects.bulk_create(
            PublicComment(
                dossier=dossier,
                full_name="Lê Văn Tâm",
                phone="0912345678",
                address="Hà Nội",
                text="Góp ý",
                posted_state="gov_posting",
            )
            for _ in range(n)
        )

    same_for_10_and_200(client, "/bo/y-kien/", add)


def test_documents_list(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))

    def add(n):
        GeneratedDocument.objects.bulk_create(
            GeneratedDocument(
                kind="result_notice", title="Thông báo", issued_on=date(2025, 12, 1), source_data={}
            )
            for _ in range(n)
        )

    same_for_10_and_200(client, "/ho-so/van-ban/", add)


def test_notifications_list(client):
    user = f.officer("01")
    client.force_login(user)
    dossier = f.dossier("01")

    def add(n):
        for _ in range(n):
            event = EventRecord.objects.create(
                type="dossier_state_changed",
                dossier=dossier,
                data={"from_state": "draft", "to_state": "submitted", "transition": "submit"},
            )
            Notification.objects.create(event=event, recipient=user)

    same_for_10_and_200(client, "/thong-bao/", add)


def test_council_sessions_list(client):
    council, voters, _secretary = make_council(3)
    client.force_login(voters[0].user)

    def add(n):
        start = Session.objects.count()
        Session.objects.bulk_create(
            Session(council=council, held_on=date(2025, 1, 1) + timedelta(days=start + i), place="Sở")
            for i in range(n)
        )

    same_for_10_and_200(client, "/hoi-dong/", add)


@pytest.mark.parametrize("who", ["member", "secretary"])
def test_session_agenda(client, who):
    council, voters, secretary = make_council(3)
    session = Session.objects.create(council=council, held_on=date(2025, 11, 20), place="Sở")
    client.force_login(voters[0].user if who == "member" else secretary.user)

    def add(n):
        for _ in range(n):
            AgendaItem.objects.create(
                session=session, dossier=set_state(f.dossier("01"), DossierState.PROVINCIAL_REVIEW)
            )
            set_state(f.dossier("01"), DossierState.PROVINCIAL_REVIEW)  # a candidate for the agenda

    same_for_10_and_200(client, f"/hoi-dong/phien/{session.pk}/", add)


def test_ballot_screen(client):
    council, voters, secretary = make_council(3)
    session = Session.objects.create(council=council, held_on=date(2025, 11, 20), place="Sở")
    AgendaItem.objects.create(
        session=session, dossier=set_state(f.dossier("01"), DossierState.PROVINCIAL_REVIEW)
    )
    session_attendance_record(session=session, present=voters, by=secretary.user)
    council_ballot_open(session=session, by=secretary.user)
    client.force_login(voters[0].user)

    def add(n):
        for _ in range(n):
            AgendaItem.objects.create(
                session=session, dossier=set_state(f.dossier("01"), DossierState.PROVINCIAL_REVIEW)
            )

    same_for_10_and_200(client, f"/hoi-dong/phien/{session.pk}/bo-phieu/", add)


def test_batch_preview(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))
    same_for_10_and_200(
        client, "/bo/buoc-theo-lo/?step=send_to_ministerial_council", _dossiers(DossierState.FORWARDED)
    )
