"""The documents each step produces, built from the database through the real services, and who may see
them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from councils.models import Tally
from councils.services import ballot_cast, session_agenda_add, session_attendance_record
from documents import storage
from documents.kinds import Kind
from documents.layout import vn_date
from documents.models import GeneratedDocument, NumberRegister
from documents.services import document_generate
from dossiers.models import Dossier, DossierState
from tests import factories as f
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from tests.documents.reading import header_table, lines, reopen, tables
from workflows import permissions, selectors
from workflows import services as wf

from .conftest import complete_eligible_dossier, set_state

pytestmark = pytest.mark.django_db
S = DossierState


def built(document: GeneratedDocument):
    """Run the generation task as the worker does after commit, and reopen the file."""
    document = document_generate(document_id=document.pk)
    assert document.status == GeneratedDocument.Status.DONE, document.error
    return reopen(storage.path_of(document.file_name).read_bytes())


def of_kind(kind, **filters) -> GeneratedDocument:
    return GeneratedDocument.objects.get(kind=kind, **filters)


def test_submitting_a_dossier_prefills_its_declaration(ready):
    dossier, officer = ready
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    document = of_kind(Kind.FORM_02)  # an Excellent Artisan nomination
    assert document.dossier == dossier and document.sensitive and document.province == dossier.province
    text = lines(built(document))
    assert f"1. Họ và tên: {dossier.artisan.full_name}" in text
    assert f"5. Số Căn cước công dân / Căn cước: {dossier.artisan.cccd}" in text
    assert "8. Số năm hành nghề: 35 năm 6 tháng" in text  # 01/01/1990–30/06/2025
    works = tables(built(document))[1]
    assert [row[1] for row in works[1:]] == [f"Tác phẩm {n}" for n in range(10)]


def test_returning_a_dossier_writes_the_letter_with_what_is_missing_and_the_deadline():
    officer = f.officer("01")
    dossier = set_state(f.dossier("01"), S.SUBMITTED)  # no evidence, no attachments
    wf.dossier_transition(
        name="return_for_supplement",
        dossier=dossier,
        by=officer,
        reason="Thiếu ảnh kỹ năng",
        on=date(2025, 9, 25),
    )
    letter = of_kind(Kind.SUPPLEMENT_LETTER)
    assert letter.number_text == "01/SCT"
    doc = built(letter)
    text = lines(doc)
    assert header_table(doc)[1][1].strip() == "Hà Nội, ngày 25 tháng 9 năm 2025"
    assert dossier.artisan.gender == "male"
    assert f"Kính gửi: Ông {dossier.artisan.full_name}" in text and "Ông (Bà)" not in "\n".join(text)
    assert "Ý kiến của cơ quan tiếp nhận: Thiếu ảnh kỹ năng" in text
    due = date(2025, 9, 25) + timedelta(days=15)  # intake.supplement_days
    assert any(f"chậm nhất ngày {due:%d/%m/%Y}" in line and "Trong thời hạn 15 ngày" in line for line in text)
    missing = [line for line in text if line.startswith("- ")]
    assert len(missing) >= 2  # the attachments and the evidence the completeness check names


def test_a_step_that_fails_after_asking_for_documents_leaves_none_and_no_number(ready, monkeypatch):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    dossier = wf.dossier_transition(
        name="return_for_supplement", dossier=dossier, by=officer, reason="Thiếu", on=date(2025, 9, 25)
    )
    before = GeneratedDocument.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(wf.transitions, "batch_documents", broken)
    with pytest.raises(RuntimeError):
        wf.dossier_transition(name="resubmit", dossier=dossier, by=officer, on=date(2025, 10, 1))
    dossier.refresh_from_db()
    assert dossier.state == S.NEEDS_SUPPLEMENT
    assert GeneratedDocument.objects.count() == before
    assert NumberRegister.objects.get().last_number == 1


@pytest.fixture
def voted():
    """A provincial council of 11 that voted on two dossiers: one passed (11/11), one not (9/11)."""
    council, voters, secretary = make_council(11)
    session, dossiers = make_session(council, dossiers=2)
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    wf.council_ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, dossiers, voters)
    for dossier, against in zip(dossiers, (0, 2), strict=True):
        for i, member in enumerate(voters):
            choice = "disagree" if i < against else "agree"
            ballot_cast(session=session, dossier=dossier, choice=choice, by=member.user)
    tallies = wf.council_ballot_close(session=session, by=secretary.user)
    return council, voters, secretary, session, dossiers, tallies


def test_opening_the_ballot_prepares_the_paper_ballots(voted):
    _council, _voters, _secretary, session, dossiers, _tallies = voted
    paper = of_kind(Kind.FORM_08, session_ref=session.pk)  # both dossiers seek Excellent Artisan
    (grid,) = tables(built(paper))
    assert sorted(row[1] for row in grid[1:]) == sorted(d.artisan.full_name for d in dossiers)
    assert not GeneratedDocument.objects.filter(kind=Kind.FORM_07).exists()


def test_closing_the_ballot_writes_the_minutes_and_the_count_with_the_tally_per_dossier(voted):
    _council, voters, secretary, session, dossiers, _tallies = voted
    minutes, count = (
        of_kind(Kind.FORM_05, session_ref=session.pk),
        of_kind(Kind.FORM_06, session_ref=session.pk),
    )
    assert (minutes.number_text, count.number_text) == (
        "01/BB-HĐXT",
        "02/BB-HĐXT",
    )  # the council's own series
    assert set(minutes.dossiers.all()) == set(dossiers)
    text = lines(built(minutes))
    assert f"Chủ trì: {voters[0].user}." in text and f"Thư ký: {secretary.user}." in text
    assert "Số thành viên có mặt: 11/11 thành viên, có Chủ tịch Hội đồng" in text
    (grid,) = tables(built(count))
    for tally, row in zip(
        Tally.objects.filter(session=session).order_by("dossier_id"), grid[1:], strict=True
    ):
        assert row[1] == tally.dossier.artisan.full_name
        assert row[3:9] == [
            str(v) for v in (11, 11, 0, tally.agree + tally.disagree, tally.agree, tally.disagree)
        ]
        assert row[10] == ("Đạt" if tally.passed else "Không đạt")
    assert sorted(row[7] for row in grid[1:]) == ["11", "9"]


def test_forwarding_a_batch_writes_one_submission_one_list_and_a_summary_each(voted):
    council, _voters, _secretary, _session, _dossiers, tallies = voted
    officer = f.officer("01")
    passed = [Dossier.objects.get(pk=t.dossier_id) for t in tallies if t.passed]
    for dossier in passed:
        wf.dossier_transition(
            name="post_provincial_result", dossier=dossier, by=officer, on=date(2025, 11, 25)
        )
    passed = [Dossier.objects.get(pk=d.pk) for d in passed]
    wf.dossiers_transition_batch(dossiers=passed, name="forward_to_ministry", by=officer)
    submission, listing = of_kind(Kind.FORM_03), of_kind(Kind.FORM_04)
    # minutes and count were numbered in 2025 (the session's year); this year: the result notice, then this
    assert submission.council_ref == council.pk and submission.number_text == "02/TTr-HĐXT"
    text = lines(built(submission))
    assert "Kính gửi: Hội đồng chuyên ngành cấp Bộ (qua Bộ Công Thương)" in text
    assert "- Danh hiệu “Nghệ nhân ưu tú”: 1 cá nhân (trong đó truy tặng: 0)." in text
    (grid,) = tables(built(listing))
    assert grid[2][1] == passed[0].artisan.full_name and grid[2][6] == "11/11"
    assert grid[2][8] == f"Hồ sơ {passed[0].code}"  # the code the Ministry quotes back
    summary = of_kind(Kind.FORM_10, dossier=passed[0])
    assert passed[0].artisan.full_name in "\n".join(lines(built(summary)))
    assert GeneratedDocument.objects.filter(kind=Kind.RESULT_NOTICE).count() == 1  # one per posting step


def test_the_council_papers_carry_its_short_name_the_list_its_submission_and_the_notice_its_period(voted):
    council, _voters, _secretary, _session, _dossiers, tallies = voted
    officer = f.officer("01")
    passed = [Dossier.objects.get(pk=t.dossier_id) for t in tallies if t.passed]
    # a full name too long for the header (it would fill five lines), and the department's address
    council.name = "Hội đồng xét tặng danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú” cấp tỉnh Hà Nội"
    council.save()
    department = passed[0].receiving_agency
    department.address = "331 Cầu Giấy, phường Cầu Giấy, thành phố Hà Nội"
    department.save()
    for dossier in passed:
        wf.dossier_transition(
            name="post_provincial_result", dossier=dossier, by=officer, on=date(2025, 11, 25)
        )
    notice = built(of_kind(Kind.RESULT_NOTICE))
    text = lines(notice)
    # the rulebook does not know the provincial period: the first day, and a blank for the last
    assert (
        "Thời gian đăng công khai: kể từ ngày 25/11/2025 đến hết ngày ……/……/……, "
        "theo Kế hoạch xét tặng của Ủy ban nhân dân cấp tỉnh." in text
    )
    comments = next(line for line in text if line.startswith("Ý kiến góp ý"))
    assert f"{department.name} (địa chỉ: {department.address})" in comments and "/cong-khai/" in comments
    assert [
        p.text.replace("\u00a0", " ") for p in notice.tables[0].cell(0, 0).paragraphs if p.text.strip()
    ] == [
        f"UBND {council.province.name}".upper(),
        "HỘI ĐỒNG XÉT TẶNG DANH HIỆU NGHỆ NHÂN CẤP TỈNH",
    ]
    assert any(council.name in line for line in text)  # the full name, in the body
    passed = [Dossier.objects.get(pk=d.pk) for d in passed]
    wf.dossiers_transition_batch(dossiers=passed, name="forward_to_ministry", by=officer)
    submission, listing = of_kind(Kind.FORM_03), of_kind(Kind.FORM_04)
    attached = f"(Kèm theo Tờ trình số {submission.number_text} {vn_date(submission.issued_on)})"
    assert attached in lines(built(listing))
    assert "Căn cứ Quyết định số 355/QĐ-BCT ngày 10/02/2025." in lines(built(submission))


def test_who_sees_which_document(voted, ready):
    _council, voters, secretary, _session, _dossiers, _tallies = voted
    dossier, officer = ready
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    declaration, minutes = of_kind(Kind.FORM_02), of_kind(Kind.FORM_05)
    clerk, leader = f.user("ministry_clerk", f.ministry()), f.user("ministry_leader", f.ministry())
    other_officer = f.officer("79")
    other_member = make_council(11, code="79")[1][0].user
    seen = {
        "officer": officer,
        "member": voters[3].user,
        "secretary": secretary.user,
        "clerk": clerk,
        "leader": leader,
        "other officer": other_officer,
        "other member": other_member,
    }
    expected = {
        "officer": {declaration, minutes},
        "member": {minutes},
        "secretary": {minutes},
        "clerk": {declaration, minutes},
        "leader": {minutes},
        "other officer": set(),
        "other member": set(),
    }
    for who, user in seen.items():
        visible = set(selectors.documents_visible_to(user).filter(pk__in=[declaration.pk, minutes.pk]))
        assert visible == expected[who], who
        for document in (declaration, minutes):
            assert bool(permissions.can_see_document(user, document)) == (document in expected[who]), who


def test_a_declaration_is_rebuilt_only_as_a_correction_by_its_department(ready):
    dossier, officer = ready
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    first = of_kind(Kind.FORM_02)
    with pytest.raises(PermissionDenied):
        wf.declaration_correct(document=first, by=f.officer("79"), reason="Sửa")
    second = wf.declaration_correct(document=first, by=officer, reason="Bổ sung tác phẩm")
    assert second.replaces == first and second.kind == Kind.FORM_02 and second.dossier == dossier


def test_the_council_decision_is_drafted_with_its_given_number_and_members():
    council, voters, _secretary = make_council(11)
    with pytest.raises(PermissionDenied):
        wf.council_decision_issue(council=council, by=voters[0].user)
    document = wf.council_decision_issue(council=council, by=f.officer("01"))
    assert document.number_text == "01/QĐ-UBND" and document.register is None
    doc = built(document)
    assert header_table(doc)[1][0] == "Số: 01/QĐ-UBND"
    text = lines(doc)
    # the Chairman's own decision: signed "CHỦ TỊCH" and the name, with no "TM. ỦY BAN NHÂN DÂN" line
    signature = [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text.strip()]
    assert signature == ["CHỦ TỊCH", council.decision_signer]
    assert not any(line.startswith("TM.") for line in text)
    # the round's plan number is a decision's: named as one
    assert "Căn cứ Quyết định số 355/QĐ-BCT ngày 10/02/2025." in text
    assert not any("Kế hoạch số 355/QĐ-BCT" in line for line in text)
    (grid,) = tables(doc)
    assert grid[1][1] == str(voters[0].user)
    assert grid[1][3] == "Chủ tịch Hội đồng" and grid[-1][3] == "Thư ký"


def test_posting_and_conferral_write_the_national_notices():
    clerk = f.user("ministry_clerk", f.ministry())
    dossiers = [set_state(f.dossier("01"), S.MINISTERIAL_PASSED) for _ in range(2)]
    wf.dossiers_transition_batch(
        dossiers=dossiers, name="post_on_government_portal", by=clerk, on=date(2026, 10, 5)
    )
    notice = of_kind(Kind.POSTING_NOTICE)
    assert notice.province is None and set(notice.dossiers.all()) == set(dossiers)
    text = lines(built(notice))
    assert "Thời gian đăng công khai: 20 ngày, kể từ ngày 05/10/2026 đến hết ngày 24/10/2026." in text
    assert "- Danh hiệu “Nghệ nhân ưu tú”: 2 cá nhân (trong đó truy tặng: 0)." in text
    for dossier in dossiers:
        set_state(dossier, S.PROPOSED)
    wf.dossiers_transition_batch(
        dossiers=dossiers,
        name="record_conferral",
        by=clerk,
        decision_number="1234/QĐ-CTN",
        decision_date=date(2026, 8, 28),
    )
    record = of_kind(Kind.DECISION_RECORD)
    text = lines(built(record))
    assert any("Quyết định số 1234/QĐ-CTN" in line and "cho 2 cá nhân" in line for line in text)
    assert record.number_text == "02/TB-BCT"  # the Ministry's series: the posting letter was 01


def test_complete_eligible_dossier_helper_is_shared():
    assert complete_eligible_dossier("01")[0].title == "excellent"
