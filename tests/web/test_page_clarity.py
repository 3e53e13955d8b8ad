"""What the pages put first and what they leave out: the step that moves a dossier on comes before returns,
refusals and holds, which look secondary; officers see articles, not confidence marks or hashes; the
attendance list names people by name and position; the secretary sees the ballot's progress in counts;
"none" reads "không có"."""

import re

import pytest

from councils.services import ballot_cast, session_agenda_add, session_attendance_record
from dossiers.models import DossierState
from tests import factories as f
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from tests.workflows.conftest import set_state
from workflows.services import council_ballot_open

pytestmark = pytest.mark.django_db


def _step_summaries(page: str) -> list[tuple[str, bool]]:
    """(label, is a detour) of every step on the dossier page, in page order."""
    return [
        (label.strip(), "detour" in classes)
        for classes, label in re.findall(r'<details class="step([^"]*)">\s*<summary>([^<]+)</summary>', page)
    ]


def test_the_main_step_comes_first_and_detours_after_under_their_heading(officer_client):
    dossier = set_state(f.dossier("01"), DossierState.SUBMITTED)
    page = officer_client.get(f"/ho-so/{dossier.pk}/").content.decode()
    steps = _step_summaries(page.split("<h2>Các bước tiếp theo</h2>")[1].split("</section>")[0])
    assert steps, "the officer has steps on a submitted dossier"
    labels = [label for label, _detour in steps]
    assert labels[0] == "Xác nhận hồ sơ hợp lệ"  # Admit
    detours = [label for label, detour in steps if detour]
    assert "Trả lại để bổ sung" in detours and "Không tiếp nhận" in detours
    first_detour = [detour for _label, detour in steps].index(True)
    assert all(detour for _label, detour in steps[first_detour:])  # no main step after a detour
    assert page.count('class="detours"') == 1
    # the detours' buttons are not styled as the main action
    forms = page.split('<details class="step detour">')[1:]
    assert forms and all('class="secondary"' in form.split("</details>")[0] for form in forms)


def test_officers_see_articles_not_confidence_marks_or_hashes(client):
    from documents.kinds import Kind
    from documents.models import GeneratedDocument
    from documents.services import document_generate
    from tests.workflows.conftest import complete_eligible_dossier
    from workflows.services import dossier_transition

    dossier, officer = complete_eligible_dossier()
    dossier_transition(name="submit", dossier=dossier, by=officer)
    document = document_generate(document_id=GeneratedDocument.objects.get(kind=Kind.FORM_02).pk)
    client.force_login(officer)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    eligibility = page.split("<h2>Đối chiếu tiêu chuẩn</h2>")[1].split("</table>")[0]
    assert "Điều" in eligibility
    for mark in ("[SEC]", "[P]", "[C]", "[NF]", "[PRED]"):
        assert mark not in page
    assert f"/ho-so/van-ban/{document.uid}/tai-ve/" in page  # the document's row is on the page
    assert "SHA-256" not in page and document.sha256[:16] not in page


def test_attendance_names_members_by_name_and_position(client):
    _council, voters, secretary, session, _dossiers = _council_with_session()
    voters[0].user.full_name = "Nguyễn Thị Lan"
    voters[0].user.save(update_fields=["full_name"])
    voters[0].position = "Phó Giám đốc Sở Công Thương"
    voters[0].save(update_fields=["position"])
    client.force_login(secretary.user)
    attendance = client.get(f"/hoi-dong/phien/{session.pk}/").content.decode().split("<h2>Điểm danh</h2>")[1]
    assert "Nguyễn Thị Lan, Phó Giám đốc Sở Công Thương" in attendance
    assert voters[0].user.username not in attendance


def _council_with_session():
    council, voters, secretary = make_council(3)
    session, dossiers = make_session(council, dossiers=2)
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    return council, voters, secretary, session, dossiers


def test_the_secretary_sees_how_many_ballots_are_cast_while_voting_is_open(client):
    _council, voters, secretary, session, dossiers = _council_with_session()
    session_attendance_record(session=session, present=voters, by=secretary.user)
    council_ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, dossiers, voters)
    client.force_login(secretary.user)
    url = f"/hoi-dong/phien/{session.pk}/"
    assert (
        "Số phiếu đã bỏ: 0/6; số thành viên đã bỏ phiếu đủ mọi hồ sơ: 0/3."
        in client.get(url).content.decode()
    )
    for dossier in dossiers:
        ballot_cast(session=session, dossier=dossier, choice="agree", by=voters[0].user)
    ballot_cast(session=session, dossier=dossiers[0], choice="disagree", by=voters[1].user)
    page = client.get(url).content.decode()
    assert "Số phiếu đã bỏ: 3/6; số thành viên đã bỏ phiếu đủ mọi hồ sơ: 1/3." in page
    assert "disagree" not in page and "Không đồng ý" not in page.split('id="ballot-progress"')[1][:200]
    # a member does not see the count
    client.force_login(voters[2].user)
    assert 'id="ballot-progress"' not in client.get(url).content.decode()


def test_an_empty_list_reads_none_not_not_yet(officer_client):
    dossier = set_state(f.dossier("01"), DossierState.SUBMITTED)
    page = officer_client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert "<li>không có</li>" in page and "<li>chưa có</li>" not in page


def test_every_criterions_note_is_saved_by_one_button_and_none_is_lost(client):
    from councils.models import AdvisoryNote

    _council, voters, secretary, session, dossiers = _council_with_session()
    session_attendance_record(session=session, present=voters, by=secretary.user)
    client.force_login(voters[1].user)
    url = f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/"
    page = client.get(url).content.decode()
    form = page.split('id="notes-form"')[1].split("</form>")[0]
    keys = re.findall(r'name="assessment-([\w.]+)"', form)
    assert len(keys) >= 3 and form.count('type="submit"') == 1  # one form, one button for every criterion
    posted = {
        f"assessment-{keys[0]}": "met",
        f"text-{keys[0]}": "Đủ năm hành nghề",
        f"assessment-{keys[1]}": "",
        f"text-{keys[1]}": "Cần xem bản gốc giấy khen",  # a text alone is a comment
        f"assessment-{keys[2]}": "",
        f"text-{keys[2]}": "",  # nothing: no note
    }
    response = client.post(url + "ghi-chu/", posted, follow=True)
    assert "Đã lưu ghi chú của bạn (2 tiêu chí)." in response.content.decode()
    notes = {n.criterion: (n.assessment, n.text) for n in AdvisoryNote.objects.filter(membership=voters[1])}
    assert notes == {keys[0]: ("met", "Đủ năm hành nghề"), keys[1]: ("comment", "Cần xem bản gốc giấy khen")}
    # the page shows both back, in their own boxes
    again = client.get(url).content.decode()
    assert "Đủ năm hành nghề</textarea>" in again and "Cần xem bản gốc giấy khen</textarea>" in again
    # an invalid assessment refuses the whole form: nothing half-saved
    client.post(url + "ghi-chu/", {**posted, f"assessment-{keys[2]}": "maybe", f"text-{keys[0]}": "đổi"})
    assert AdvisoryNote.objects.get(membership=voters[1], criterion=keys[0]).text == "Đủ năm hành nghề"
    # clearing a criterion removes its note
    client.post(url + "ghi-chu/", {**posted, f"text-{keys[1]}": ""})
    assert set(AdvisoryNote.objects.filter(membership=voters[1]).values_list("criterion", flat=True)) == {
        keys[0]
    }


def test_the_dossier_shows_where_it_stands_who_holds_it_and_until_when(officer_client):
    from datetime import date, timedelta

    from dossiers.models import Dossier
    from dossiers.rulebook.selectors import rules_for_round
    from tests.web.test_dossier_pages import receive_data
    from workflows.services import dossier_transition

    officer_client.post("/ho-so/tiep-nhan/", receive_data())
    dossier = Dossier.objects.get()
    page = officer_client.get(f"/ho-so/{dossier.pk}/").content.decode()
    progress = page.split('<section aria-labelledby="progress-title"')[1].split("</section>")[0]
    assert 'aria-current="step"><span class="sr-only">đang ở: </span>Đã nộp Sở Công Thương' in progress
    assert (
        progress.count('<li class="ahead"><span class="sr-only">sắp tới: </span>') == 14
    )  # to the conferral
    last = date(2025, 9, 20) + timedelta(days=rules_for_round(dossier.round).value("intake.check_days"))
    assert f"Hạn cuối: ngày {last:%d/%m/%Y}." in progress
    # who holds it: the officers of the department that received it
    assert "Đang chờ: Cán bộ Sở Công Thương (Sở Công Thương Thành phố Hà Nội)." in progress
    # breadcrumbs lead back, and name the dossier by its code
    assert '<nav class="breadcrumbs"' in page and f"{dossier.code} · {dossier.artisan.full_name}" in page

    # returned for supplement: off the main road, said so; the stages already passed stay done
    dossier_transition(
        name="return_for_supplement",
        dossier=dossier,
        by=officer_client.officer,
        reason="Thiếu",
        on=date(2025, 9, 25),
    )
    progress = (
        officer_client.get(f"/ho-so/{dossier.pk}/")
        .content.decode()
        .split('aria-labelledby="progress-title"')[1]
    )
    progress = progress.split("</section>")[0]
    assert "Hiện tại: đã trả lại để bổ sung." in progress
    assert '<li class="done"><span class="sr-only">đã qua: </span>Đã nộp Sở Công Thương' in progress
    assert 'aria-current="step"' not in progress


def test_the_batch_page_offers_steps_in_the_procedures_order_and_each_steps_own_fields(client):
    from workflows.transitions import main_road, step_of

    clerk = f.user("ministry_clerk", f.ministry())
    client.force_login(clerk)
    page = client.get("/bo/buoc-theo-lo/").content.decode()
    select = page.split('name="step"')[1].split("</select>")[0]
    groups = select.split("<optgroup")[1:]
    assert len(groups) == 2 and "Các bước đưa hồ sơ đi tiếp" in groups[0] and "Các bước khác" in groups[1]
    main = re.findall(r'<option value="(\w+)"', groups[0])
    detours = re.findall(r'<option value="(\w+)"', groups[1])
    assert main and detours
    assert not any(step_of(n).detour for n in main) and all(step_of(n).detour for n in detours)
    road = main_road()
    places = [min((road.index(s) for s in step_of(n).sources if s in road), default=len(road)) for n in main]
    assert places == sorted(places)  # along the road (a step from off the road, e.g. a hold, after it)
    # every data field says which steps take it, so that only the chosen step's show
    boxes = re.findall(r'<div data-for-steps="([\w ]+)">', page)
    assert boxes and all(set(b.split()) <= set(main + detours) for b in boxes)


def test_deep_pages_have_a_trail_back_up(client, officer_client):
    _council, voters, _secretary, session, dossiers = _council_with_session()
    client.force_login(voters[0].user)
    trail = client.get(f"/hoi-dong/phien/{session.pk}/ho-so/{dossiers[0].pk}/").content.decode()
    trail = trail.split('<nav class="breadcrumbs"')[1].split("</nav>")[0]
    assert 'href="/hoi-dong/"' in trail and f'href="/hoi-dong/phien/{session.pk}/"' in trail
    assert f'aria-current="page">{dossiers[0].artisan.full_name}</li>' in trail
    dossier = f.dossier("01")
    officer_client.force_login(officer_client.officer)  # the same client as `client`
    page = officer_client.get(f"/ho-so/{dossier.pk}/chung-cu/").content.decode()
    trail = page.split('<nav class="breadcrumbs"')[1].split("</nav>")[0]
    assert f'href="/ho-so/{dossier.pk}/"' in trail and 'href="/ho-so/"' in trail


@pytest.mark.django_db
def test_the_holder_of_a_councils_task_is_the_council_of_the_level_and_province_it_stands_before():
    from datetime import date

    from accounts.roles import Role
    from councils.models import Council
    from tests.workflows.conftest import set_state
    from workflows.selectors import holder_of

    def council(level, code=None, number=6):
        return Council.objects.create(
            round=f.round_(number),
            level=level,
            province=f.province(code) if code else None,
            name=f"Hội đồng {level} {code or ''} lần {number}".strip(),
            decision_number="01/QĐ-UBND",
            decision_date=date(2025, 8, 1),
            decision_signer="Chủ tịch",
        )

    for args in (("provincial", "01"), ("provincial", "31"), ("ministerial",), ("state",)):
        council(*args)
    council("provincial", "01", number=5)  # an earlier round's council of the same province
    dossier = f.dossier("01")
    for state, expected in (
        ("provincial_review", "Hội đồng provincial 01 lần 6"),
        ("provincial_passed", "Hội đồng provincial 01 lần 6"),
        ("ministerial_review", "Hội đồng ministerial lần 6"),
        ("state_review", "Hội đồng state lần 6"),
    ):
        set_state(dossier, state)
        for role in (Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER):
            assert holder_of(dossier, role) == expected, (state, role)
    set_state(dossier, "submitted")
    assert holder_of(dossier, Role.PROVINCIAL_OFFICER) == "Sở Công Thương Thành phố Hà Nội"
    assert holder_of(dossier, Role.COUNCIL_SECRETARY) is None  # no council level in "submitted"
    assert holder_of(dossier, Role.MINISTRY_CLERK) is None  # the role's label names the Ministry
