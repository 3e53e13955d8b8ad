"""A council's secretary schedules its sessions; nobody else does, and never for another council."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from councils.models import Session
from councils.services import session_schedule

from .conftest import make_council

pytestmark = pytest.mark.django_db


def test_the_secretary_schedules_a_planned_session_with_the_place_in_nfc():
    council, _voters, secretary = make_council(9)
    session = session_schedule(
        council=council,
        held_on=date(2025, 11, 20),
        place="Ho\u0302\u0323i tru\u031bo\u031b\u0300ng",
        by=secretary.user,
    )
    assert session.status == Session.Status.PLANNED and session.place == "Hội trường"


@pytest.mark.parametrize("who", ["member", "chair", "secretary of another council"])
def test_no_one_else_schedules(who):
    council, voters, _secretary = make_council(9)
    other = make_council(9, code="79")[2].user
    user = {"member": voters[3].user, "chair": voters[0].user, "secretary of another council": other}[who]
    with pytest.raises(PermissionDenied):
        session_schedule(council=council, held_on=date(2025, 11, 20), place="Hội trường", by=user)
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("held_on", "place", "field"),
    [
        (date(2025, 7, 31), "Hội trường", "held_on"),  # the day before the establishing decision
        (date(2025, 11, 20), "   ", "place"),
    ],
)
def test_impossible_sessions_are_refused_with_the_reason(held_on, place, field):
    council, _voters, secretary = make_council(9)
    with pytest.raises(ValidationError) as refused:
        session_schedule(council=council, held_on=held_on, place=place, by=secretary.user)
    assert field in refused.value.message_dict
    assert not Session.objects.exists()


def test_on_the_decision_day_a_session_is_possible():
    council, _voters, secretary = make_council(9)
    assert session_schedule(council=council, held_on=date(2025, 8, 1), place="Hội trường", by=secretary.user)


def test_the_page_schedules_for_the_secretary_only(client):
    council, voters, secretary = make_council(9)
    client.force_login(voters[1].user)
    assert "Lên lịch phiên họp" not in client.get("/hoi-dong/").content.decode()
    assert (
        client.post(
            f"/hoi-dong/{council.pk}/len-lich/", {"held_on": "20/11/2025", "place": "Hội trường"}
        ).status_code
        == 404
    )
    client.force_login(secretary.user)
    assert "Lên lịch phiên họp" in client.get("/hoi-dong/").content.decode()
    response = client.post(
        f"/hoi-dong/{council.pk}/len-lich/", {"held_on": "31/02/2025", "place": "Hội trường"}
    )
    assert response.status_code == 302 and not Session.objects.exists()
    response = client.post(
        f"/hoi-dong/{council.pk}/len-lich/", {"held_on": "20/11/2025", "place": "Hội trường"}
    )
    session = Session.objects.get()
    assert response["Location"] == f"/hoi-dong/phien/{session.pk}/" and session.held_on == date(2025, 11, 20)
