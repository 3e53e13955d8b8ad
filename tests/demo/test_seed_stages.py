"""seed_demo leaves a dossier waiting at every stage of the procedure, built through the services, and a
second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from councils.models import Ballot, BallotParticipation, Council, SealedBallot, Session
from dossiers.models import Dossier
from workflows.selectors import inbox_of  # the member's ballots

pytestmark = pytest.mark.django_db

STAGES = {
    "submitted",
    "needs_supplement",
    "admitted",
    "provincial_review",
    "provincial_passed",
    "provincial_posted",
    "forwarded",
    "ministerial_review",
    "gov_posting",
    "state_review",
    "appraisal",
    "appraisal_agreed",
    "proposed",
    "conferred",
}


def _seed(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def _counts():
    return {
        "dossiers": Dossier.objects.count(),
        "users": User.objects.count(),
        "councils": Council.objects.count(),
        "sessions": Session.objects.count(),
        "ballots": Ballot.objects.count(),
        "sealed": SealedBallot.objects.count(),
        "participations": BallotParticipation.objects.count(),
    }


def test_every_stage_has_a_dossier_and_a_second_run_adds_nothing(settings):
    _seed(settings)
    first = _counts()
    assert set(Dossier.objects.values_list("state", flat=True)) == STAGES
    _seed(settings)
    assert _counts() == first


def test_the_provincial_ballot_is_open_and_waits_for_the_demo_member(settings):
    _seed(settings)
    member = User.objects.get(username="uyvien.hanoi")
    open_sessions = Session.objects.filter(status=Session.Status.BALLOT_OPEN, council__level="provincial")
    assert open_sessions.count() == 1
    session = open_sessions.get()
    assert session.held_on == timezone.localdate()
    assert set(session.agenda.values_list("state", flat=True)) == {"provincial_review"}
    assert session.present.filter(user=member).exists()
    assert not BallotParticipation.objects.filter(session=session, membership__user=member).exists()
    # the other members have voted: their ballots are sealed until the close, none is in clear
    cast = BallotParticipation.objects.filter(session=session).count()
    assert cast > 0 and SealedBallot.objects.filter(session=session).count() == cast
    assert not Ballot.objects.filter(session=session).exists()
    ballots = [item for item in inbox_of(member) if item.ballot_session == session]
    assert len(ballots) == session.agenda.count() == 2


def test_the_posted_lists_are_open_for_comment_today(settings):
    _seed(settings)
    today = timezone.localdate()
    assert Dossier.objects.get(state="provincial_posted").provincial_posted_on == today
    assert Dossier.objects.get(state="gov_posting").gov_posted_on == today


def test_the_conferred_demo_dossier_is_in_the_public_registry(settings, client):
    from dossiers.models import Conferral

    _seed(settings)
    conferred = Dossier.objects.get(state="conferred")
    row = Conferral.objects.get()
    assert row.source_dossier == conferred and row.full_name == "Trịnh Văn Tùng"
    _seed(settings)  # a second run adds no second row
    assert Conferral.objects.count() == 1
    assert "Trịnh Văn Tùng" in client.get("/nghe-nhan/").content.decode()
    assert client.get(f"/nghe-nhan/{row.public_id}/").status_code == 200
