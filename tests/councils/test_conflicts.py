"""Conflicts of interest: an append-only history per member and dossier; no ballot without a declaration;
a declared conflict is withdrawn only with a reason and the council secretary's acceptance, and until then
the member neither votes nor reads the other members' notes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from core.models import ActionRecord
from councils.conflicts import conflict_withdrawal_decide, conflict_withdrawal_request, pending_withdrawals
from councils.models import BallotParticipation, ConflictDeclaration
from councils.services import (
    advisory_note_record,
    advisory_notes_for,
    ballot_cast,
    ballot_close,
    ballot_open,
    conflict_declare,
    session_agenda_add,
    session_attendance_record,
)
from tests import factories as f
from tests.councils.conftest import declare_no_conflict, make_council, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_session():
    """A council of 11 voting members, all present, one dossier on the agenda, the ballot open; one other
    member has recorded a note on the dossier."""
    council, voters, secretary = make_council(11)
    session, (dossier,) = make_session(council)
    session_agenda_add(session=session, dossiers=[dossier], by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    ballot_open(session=session, by=secretary.user)
    advisory_note_record(
        session=session,
        dossier=dossier,
        criterion="trainees",
        assessment="not_met",
        text="Ý kiến riêng của một thành viên",
        by=voters[1].user,
    )
    return council, voters, secretary, session, dossier


def declared(session, dossier, member):
    return conflict_declare(
        session=session, dossier=dossier, by=member.user, status="declared", relation="teacher"
    )


def cannot_vote(session, dossier, member) -> str:
    with pytest.raises(PermissionDenied) as exc:
        ballot_cast(session=session, dossier=dossier, choice="agree", by=member.user)
    return str(exc.value)


def test_voting_without_a_declaration_is_refused_with_a_clear_message(open_session):
    _council, voters, _secretary, session, dossier = open_session
    with translation.override("en"):
        message = cannot_vote(session, dossier, voters[0])
    assert message == "Declare first whether you have a conflict of interest with this dossier."
    assert not BallotParticipation.objects.exists()
    conflict_declare(session=session, dossier=dossier, by=voters[0].user, status="none")
    ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[0].user)
    assert BallotParticipation.objects.filter(membership=voters[0]).count() == 1


def test_a_declaration_must_say_none_or_declared(open_session):
    _council, voters, _secretary, session, dossier = open_session
    for status in ("", "maybe"):
        with pytest.raises(ValidationError):
            conflict_declare(session=session, dossier=dossier, by=voters[0].user, status=status)
    assert not ConflictDeclaration.objects.exists()


def test_a_declared_conflict_cannot_be_silently_changed_to_none(open_session):
    _council, voters, _secretary, session, dossier = open_session
    member = voters[3]
    first = declared(session, dossier, member)
    with pytest.raises(ValidationError) as exc:
        conflict_declare(session=session, dossier=dossier, by=member.user, status="none")
    assert exc.value.code == "reason"
    # the declaration is kept as it was, and the member is still recused
    assert list(ConflictDeclaration.objects.filter(membership=member).values_list("pk", "status")) == [
        (first.pk, "declared")
    ]
    cannot_vote(session, dossier, member)


def test_re_declaring_a_conflict_over_no_conflict_is_a_new_entry_and_recuses(open_session):
    _council, voters, _secretary, session, dossier = open_session
    member = voters[2]
    conflict_declare(session=session, dossier=dossier, by=member.user, status="none")
    declared(session, dossier, member)
    history = list(ConflictDeclaration.objects.filter(membership=member).order_by("pk"))
    assert [e.status for e in history] == ["none", "declared"]
    assert all(e.recorded_by == member.user for e in history)
    cannot_vote(session, dossier, member)


def test_a_withdrawal_by_the_member_alone_neither_lets_them_vote_nor_read_the_notes(open_session):
    _council, voters, _secretary, session, dossier = open_session
    member = voters[3]
    declared(session, dossier, member)
    with pytest.raises(ValidationError):
        conflict_withdrawal_request(session=session, dossier=dossier, by=member.user, reason="   ")
    request = conflict_declare(
        session=session, dossier=dossier, by=member.user, status="none", reason="Nhầm người thân"
    )
    assert request.kind == "withdrawal_request" and request.status == "declared"
    with translation.override("en"):
        assert "waiting for the secretary" in cannot_vote(session, dossier, member)
    assert advisory_notes_for(session=session, dossier=dossier, user=member.user) is None
    with pytest.raises(ValidationError) as exc:  # asking twice does not help
        conflict_declare(session=session, dossier=dossier, by=member.user, status="none", reason="Lại")
    assert exc.value.code == "pending"
    assert list(pending_withdrawals(session=session)) == [request]
    record = ActionRecord.objects.get(action="conflict_withdrawal_request")
    assert (record.actor, record.reason, record.object_id) == (
        member.user,
        "Nhầm người thân",
        str(request.pk),
    )


def test_the_secretary_accepts_the_withdrawal_and_the_member_may_vote_and_then_read_notes(open_session):
    _council, voters, secretary, session, dossier = open_session
    member = voters[3]
    declared(session, dossier, member)
    request = conflict_withdrawal_request(
        session=session, dossier=dossier, by=member.user, reason="Khai nhầm"
    )
    decision = conflict_withdrawal_decide(withdrawal=request, accept=True, by=secretary.user)
    assert (decision.kind, decision.status, decision.request, decision.recorded_by) == (
        "withdrawal_accepted",
        "none",
        request,
        secretary.user,
    )
    assert list(pending_withdrawals(session=session)) == []
    ballot_cast(session=session, dossier=dossier, choice="agree", by=member.user)
    (summary,) = advisory_notes_for(session=session, dossier=dossier, user=member.user)
    assert summary.comments == ("Ý kiến riêng của một thành viên",)
    record = ActionRecord.objects.get(action="conflict_withdrawal_accept")
    assert record.actor == secretary.user and record.data["request"] == request.pk
    # the whole history is kept: the declaration, the request, the decision
    kinds = (
        ConflictDeclaration.objects.filter(membership=member).order_by("pk").values_list("kind", flat=True)
    )
    assert list(kinds) == ["declaration", "withdrawal_request", "withdrawal_accepted"]
    with pytest.raises(ValidationError):  # decided once
        conflict_withdrawal_decide(withdrawal=request, accept=False, by=secretary.user)


def test_a_refused_withdrawal_leaves_the_member_recused_and_counted_as_recused(open_session):
    _council, voters, secretary, session, dossier = open_session
    member = voters[3]
    declared(session, dossier, member)
    request = conflict_withdrawal_request(
        session=session, dossier=dossier, by=member.user, reason="Khai nhầm"
    )
    conflict_withdrawal_decide(withdrawal=request, accept=False, note="Là thầy dạy nghề", by=secretary.user)
    cannot_vote(session, dossier, member)
    assert ActionRecord.objects.get(action="conflict_withdrawal_refuse").reason == "Là thầy dạy nghề"
    others = [m for m in voters if m != member]
    declare_no_conflict(session, [dossier], others)
    for m in others:
        ballot_cast(session=session, dossier=dossier, choice="agree", by=m.user)
    (tally,) = ballot_close(session=session, by=secretary.user)
    assert (tally.agree, tally.recused) == (10, 1)


def test_the_count_reads_the_current_declaration_not_every_entry(open_session):
    _council, voters, secretary, session, dossier = open_session
    withdrawn, redeclared = voters[3], voters[4]
    declared(session, dossier, withdrawn)
    request = conflict_withdrawal_request(
        session=session, dossier=dossier, by=withdrawn.user, reason="Khai nhầm"
    )
    conflict_withdrawal_decide(withdrawal=request, accept=True, by=secretary.user)
    conflict_declare(session=session, dossier=dossier, by=redeclared.user, status="none")
    declared(session, dossier, redeclared)
    voting = [m for m in voters if m != redeclared]
    declare_no_conflict(session, [dossier], [m for m in voting if m != withdrawn])
    for m in voting:
        ballot_cast(session=session, dossier=dossier, choice="agree", by=m.user)
    (tally,) = ballot_close(session=session, by=secretary.user)
    assert (tally.agree, tally.recused) == (10, 1)


def test_only_the_councils_secretary_decides_a_withdrawal(open_session):
    _council, voters, _secretary, session, dossier = open_session
    _other, _other_voters, other_secretary = make_council(5, code="31")
    member = voters[3]
    declared(session, dossier, member)
    request = conflict_withdrawal_request(
        session=session, dossier=dossier, by=member.user, reason="Khai nhầm"
    )
    for outsider in (other_secretary.user, voters[0].user, member.user, f.officer("01")):
        with pytest.raises(PermissionDenied):
            conflict_withdrawal_decide(withdrawal=request, accept=True, by=outsider)
    assert ConflictDeclaration.objects.filter(request=request).count() == 0
    assert not ActionRecord.objects.filter(action__startswith="conflict_withdrawal_accept").exists()
    cannot_vote(session, dossier, member)


def test_the_history_cannot_be_changed_or_deleted_by_the_application(open_session):
    _council, voters, _secretary, session, dossier = open_session
    entry = declared(session, dossier, voters[3])
    assert ConflictDeclaration.APPEND_ONLY is True
    entry.status = "none"
    with pytest.raises(ConflictDeclaration.AppendOnly):
        entry.save()
    with pytest.raises(ConflictDeclaration.AppendOnly):
        entry.delete()
    with pytest.raises(ConflictDeclaration.AppendOnly):
        ConflictDeclaration.objects.filter(pk=entry.pk).update(status="none")
    with pytest.raises(ConflictDeclaration.AppendOnly):
        ConflictDeclaration.objects.all().delete()
    assert ConflictDeclaration.objects.get().status == "declared"


def test_postgresql_refuses_update_and_delete_of_the_history(open_session):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only (CI runs this test there)")
    _council, voters, _secretary, session, dossier = open_session
    declared(session, dossier, voters[3])
    for sql in (
        "UPDATE councils_conflictdeclaration SET status = 'none'",
        "DELETE FROM councils_conflictdeclaration",
    ):
        with (
            pytest.raises(DatabaseError, match=r"append-only|permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert ConflictDeclaration.objects.get().status == "declared"


def test_no_declaration_after_voting_or_outside_the_agenda(open_session):
    council, voters, _secretary, session, dossier = open_session
    conflict_declare(session=session, dossier=dossier, by=voters[0].user, status="none")
    ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[0].user)
    with pytest.raises(ValidationError) as exc:
        declared(session, dossier, voters[0])
    assert exc.value.code == "already_voted"
    elsewhere = make_session(council)[1][0]
    with pytest.raises(ValidationError):
        conflict_declare(session=session, dossier=elsewhere, by=voters[1].user, status="none")


def test_the_minutes_list_the_withdrawal_who_why_accepted_by_whom_and_when(open_session):
    from documents.kinds import Kind
    from documents.models import GeneratedDocument
    from tests.documents.reading import lines
    from tests.workflows.test_paperwork import built
    from workflows.services import council_ballot_close

    _council, voters, secretary, session, dossier = open_session
    member = voters[3]
    declared(session, dossier, member)
    request = conflict_withdrawal_request(
        session=session, dossier=dossier, by=member.user, reason="Khai nhầm người"
    )
    decision = conflict_withdrawal_decide(withdrawal=request, accept=True, by=secretary.user)
    declare_no_conflict(session, [dossier], [m for m in voters if m != member])
    for m in voters:
        ballot_cast(session=session, dossier=dossier, choice="agree", by=m.user)
    council_ballot_close(session=session, by=secretary.user)
    text = lines(built(GeneratedDocument.objects.get(kind=Kind.FORM_05, session_ref=session.pk)))
    (row,) = [line for line in text if line.startswith(f"- {member.user}, đối với hồ sơ của")]
    at = timezone.localtime(decision.declared_at)
    assert dossier.artisan.full_name in row and "“Khai nhầm người”" in row
    assert (
        f"được Thư ký Hội đồng {secretary.user} chấp nhận lúc {at:%H} giờ {at:%M} ngày {at:%d/%m/%Y}" in row
    )
