"""Advisory notes (hidden until one's own ballot, never with names) and field visits."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from councils.services import (
    advisory_note_record,
    advisory_notes_for,
    ballot_cast,
    ballot_open,
    field_visit_record,
    session_agenda_add,
    session_attendance_record,
)
from tests.councils.conftest import declare_no_conflict, make_council, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_session():
    council, voters, secretary = make_council(11)
    session, (dossier,) = make_session(council)
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, [dossier], voters)
    return council, voters, secretary, session, dossier


def test_others_notes_stay_hidden_until_ones_own_ballot_and_never_carry_names(open_session):
    _council, voters, _secretary, session, dossier = open_session
    advisory_note_record(
        session=session,
        dossier=dossier,
        criterion="trainees",
        assessment="not_met",
        text="Chưa đủ minh chứng người học",
        by=voters[1].user,
    )
    advisory_note_record(
        session=session, dossier=dossier, criterion="trainees", assessment="met", by=voters[2].user
    )
    assert advisory_notes_for(session=session, dossier=dossier, user=voters[0].user) is None
    ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[0].user)
    (summary,) = advisory_notes_for(session=session, dossier=dossier, user=voters[0].user)
    assert (summary.criterion, summary.met, summary.not_met) == ("trainees", 1, 1)
    assert summary.comments == ("Chưa đủ minh chứng người học",)
    assert not any(voters[1].user.username in c or str(voters[1].user) in c for c in summary.comments)


def test_notes_are_recorded_before_voting_and_only_by_voting_members(open_session):
    _council, voters, secretary, session, dossier = open_session
    ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[0].user)
    with pytest.raises(ValidationError):
        advisory_note_record(
            session=session, dossier=dossier, criterion="works", assessment="met", by=voters[0].user
        )
    with pytest.raises(PermissionDenied):
        advisory_note_record(
            session=session, dossier=dossier, criterion="works", assessment="met", by=secretary.user
        )


def test_field_visit_recorded_by_the_secretary_with_its_report(open_session):
    council, voters, secretary, _session, dossier = open_session
    visit = field_visit_record(
        council=council,
        dossier=dossier,
        visited_on=date(2025, 11, 10),
        members=voters[:3],
        report="Đoàn đã xem xưởng và các sản phẩm.",
        by=secretary.user,
    )
    assert visit.members.count() == 3
    with pytest.raises(PermissionDenied):
        field_visit_record(
            council=council,
            dossier=dossier,
            visited_on=date(2025, 11, 10),
            members=voters[:3],
            report="x",
            by=voters[0].user,
        )
    with pytest.raises(ValidationError):
        field_visit_record(
            council=council,
            dossier=dossier,
            visited_on=date(2099, 1, 1),
            members=voters[:3],
            report="x",
            by=secretary.user,
        )
