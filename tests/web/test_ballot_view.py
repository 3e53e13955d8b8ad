"""The ballot endpoint: login and CSRF required, one ballot stored per member and dossier, every refusal
answered with its reason in Vietnamese."""

import pytest
from django.test import Client
from django.urls import reverse

from councils.models import Ballot, BallotParticipation, SealedBallot, Tally
from councils.services import ballot_close, ballot_open, session_agenda_add, session_attendance_record
from tests.councils.conftest import declare_no_conflict, make_council, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_session():
    council, voters, secretary = make_council(11)
    session, items = make_session(council, dossiers=2)
    session_agenda_add(session=session, dossiers=items, by=secretary.user)
    session_attendance_record(session=session, present=voters[:10], by=secretary.user)
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, items, voters)
    return session, items, voters, secretary


def post(client, session, dossier, choice="agree"):
    return client.post(
        reverse("ballot_cast", args=[session.pk]),
        {"dossier": dossier.pk if dossier else "", "choice": choice},
    )


def test_a_member_votes_once_and_the_second_ballot_is_refused(client, open_session):
    session, items, voters, secretary = open_session
    client.force_login(voters[0].user)
    response = post(client, session, items[0])
    assert response.status_code == 302 and response["Location"] == reverse("task_inbox")
    again = post(client, session, items[0], "disagree")
    assert again.status_code == 400
    assert again.content.decode() == "Bạn đã bỏ phiếu cho hồ sơ này."
    assert BallotParticipation.objects.filter(session=session).count() == 1
    assert SealedBallot.objects.filter(session=session).count() == 1  # sealed while the ballot is open
    assert not Ballot.objects.filter(session=session).exists()
    ballot_close(session=session, by=secretary.user)
    assert list(Ballot.objects.filter(session=session).values_list("choice", flat=True)) == ["agree"]
    assert Tally.objects.get(session=session, dossier=items[0]).agree == 1


def test_refusals_carry_their_reason(client, open_session):
    session, items, voters, secretary = open_session
    client.force_login(voters[10].user)  # not present
    assert post(client, session, items[0]).status_code == 403
    client.force_login(secretary.user)  # does not vote
    assert post(client, session, items[0]).status_code == 403
    client.force_login(voters[1].user)
    assert post(client, session, items[0], "maybe").status_code == 400
    assert post(client, session, None).status_code == 400
    assert not BallotParticipation.objects.exists()


def test_login_and_csrf_are_required(open_session):
    session, items, voters, _secretary = open_session
    anonymous = Client()
    assert post(anonymous, session, items[0]).status_code == 302  # to the login page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(voters[0].user)
    assert post(strict, session, items[0]).status_code == 403
    assert not BallotParticipation.objects.exists()
    assert Client().get(reverse("ballot_cast", args=[session.pk])).status_code in (302, 405)


def test_an_error_report_of_a_ballot_never_shows_the_choice(client, open_session, monkeypatch):
    """A crash while casting (an error e-mail, a tracker) reports the request's POST data: the choice is
    hidden there, on the endpoint and on the ballot screen."""
    from django.core.signals import got_request_exception
    from django.views.debug import SafeExceptionReporterFilter

    session, items, voters, _secretary = open_session

    def crashes(**kwargs):
        raise RuntimeError("crash while casting")

    monkeypatch.setattr("web.ballot_views.ballot_cast", crashes)
    monkeypatch.setattr("web.council_views.ballot_paper_cast", crashes)
    reported = []

    def report(sender, request, **kwargs):
        reported.append(SafeExceptionReporterFilter().get_post_parameters(request))

    got_request_exception.connect(report)
    try:
        client.raise_request_exception = False
        client.force_login(voters[0].user)
        post(client, session, items[0], "disagree")
        screen = reverse("council_ballot", args=[session.pk])
        client.post(screen, {f"choice-{d.pk}": "disagree" for d in items} | {"confirm": "1"})
    finally:
        got_request_exception.disconnect(report)
    assert len(reported) == 2
    for parameters in reported:
        assert "disagree" not in parameters.values() and parameters  # hidden, not dropped
