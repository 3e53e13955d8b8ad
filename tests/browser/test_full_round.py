"""A full round through the pages in a real browser, each person logged in separately: an officer
receives and submits a dossier with attachments, admits it and sends it to the council; the secretary
puts it on the session's agenda, records attendance and opens the ballot; the members vote on the one
ballot screen; the secretary closes it; the officer posts the result and forwards the dossier; a clerk
sends it on from the batch page; the public page lists it, and a comment without a phone number is
refused."""

from datetime import date

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from councils.models import Session
from dossiers.models import Dossier, DossierState
from dossiers.services.intake import AwardInput, PeriodInput, TraineeInput, WorkInput, dossier_update_evidence
from tests import factories as f
from tests.browser.conftest import take_step
from tests.councils.conftest import make_council

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = f.pdf_bytes("ho-so")


def submit_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_a_full_round_through_the_pages(site):
    officer = f.officer("01")
    clerk = f.user("ministry_clerk", f.ministry())
    council, voters, secretary = make_council(5)
    today = timezone.localdate().strftime("%d/%m/%Y")
    # the secretary, the members and the clerk must pass the second factor: each has an authenticator
    # app, here a device whose codes the test computes (tests.browser.conftest.current_code)
    devices = {
        u.username: TOTPDevice.objects.create(user=u, name="app", confirmed=True)
        for u in [secretary.user, clerk, *(v.user for v in voters)]
    }

    # --- the officer receives the dossier (receipt = submission) and attaches its files -------------
    page = site.page(officer.username)
    page.goto(f"{site.url}/ho-so/tiep-nhan/")
    page.fill("#id_full_name", "Trần Thị Duyên")
    page.select_option("#id_gender", "female")
    page.fill("#id_date_of_birth", "12/03/1968")
    page.fill("#id_ethnicity", "Kinh")
    page.fill("#id_cccd", "001168012345")
    page.select_option("#id_commune", index=1)
    page.select_option("#id_craft", index=1)
    page.fill("#id_received_on", today)
    page.check("#id_consent")  # the artisan consented to the processing of their personal data
    page.click("form button.primary")
    page.wait_for_url("**/ho-so/*/")
    dossier = Dossier.objects.get(artisan__full_name="Trần Thị Duyên")
    assert dossier.state == DossierState.SUBMITTED
    for kind, name in (("declaration", "ban-khai.pdf"), ("certified_copy", "ban-sao.pdf")):
        page.select_option("#id_kind", kind)
        page.set_input_files(
            "#id_file", {"name": name, "mimeType": "application/pdf", "buffer": f.pdf_bytes(name)}
        )
        page.click("form[data-upload-progress] button[type=submit]")
        page.wait_for_selector(f"text={name}")
    assert dossier.attachments.count() == 2
    # the evidence (periods, works, trainees) through its service: its own page is tested elsewhere
    dossier_update_evidence(
        dossier=dossier,
        by=officer,
        periods=[PeriodInput(date(1990, 1, 1), date(2025, 6, 30))],
        works=[
            WorkInput(
                f"Tác phẩm {n}",
                date(2000 + n, 1, 1),
                awards=(
                    AwardInput(
                        "Hội thi toàn quốc",
                        "Bộ Công Thương",
                        "third",
                        "national",
                        date(2015, 9, 1),
                        organiser_is_competent=True,
                    ),
                )
                if n == 1
                else (),
            )
            for n in range(10)
        ],
        trainees=[TraineeInput(120, date(1995, 1, 1), date(2024, 12, 31))],
    )
    page.reload()
    take_step(page, "admit")
    take_step(page, "send_to_provincial_council")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROVINCIAL_REVIEW

    # --- the secretary: schedules the session, sets agenda and attendance, opens the ballot -----------
    sec = site.page(secretary.user.username, otp_device=devices[secretary.user.username])
    sec.goto(f"{site.url}/hoi-dong/")
    sec.fill(f"#held-on-{council.pk}", today)
    sec.fill(f"#place-{council.pk}", "Sở Công Thương")
    submit_and_wait(sec, "button:has-text('Lên lịch phiên họp')")
    session = Session.objects.get(council=council)
    assert sec.url.endswith(f"/hoi-dong/phien/{session.pk}/")
    sec.locator("details.step summary").click()
    sec.check(f"#cand-{dossier.pk}")
    submit_and_wait(sec, "button:has-text('Đưa vào chương trình')")
    for voter in voters:
        sec.check(f"#present-{voter.pk}")
    submit_and_wait(sec, "button:has-text('Ghi nhận điểm danh')")
    sec.check("#confirm-open")
    submit_and_wait(sec, "button:has-text('Mở bỏ phiếu')")
    assert sec.locator("#quorum").inner_text() == "đủ", sec.locator("main").inner_text()[:500]
    assert Session.objects.get(pk=session.pk).status == Session.Status.BALLOT_OPEN, sec.locator(
        ".messages"
    ).inner_text()

    # --- each member votes on the one ballot screen -------------------------------------------------
    for voter in voters:
        member = site.page(voter.user.username, otp_device=devices[voter.user.username])
        member.goto(f"{site.url}/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/")
        assert not member.is_checked("#id_status_0") and not member.is_checked("#id_status_1")
        member.check("#id_status_0")  # no conflict of interest: declared before voting
        submit_and_wait(member, "#conflict button[type=submit]")
        member.goto(f"{site.url}/hoi-dong/phien/{session.pk}/bo-phieu/")
        member.check(f"#agree-{dossier.pk}")
        member.check("#confirm-ballot")
        submit_and_wait(member, "#ballot button[type=submit]")
        member.wait_for_selector("ul.voted")
        assert member.locator(f"#agree-{dossier.pk}").count() == 0  # read-only after casting

    # --- the secretary closes and sees the tally -----------------------------------------------------
    sec.reload()
    sec.check("#confirm-close")
    submit_and_wait(sec, "button:has-text('Kết thúc bỏ phiếu')")
    sec.wait_for_selector("#tally")
    assert "đạt" in sec.locator("#tally").inner_text()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROVINCIAL_PASSED

    # --- the officer posts the result; the public page lists it; a comment needs a phone -----------
    page.goto(f"{site.url}/ho-so/{dossier.pk}/")
    take_step(page, "post_provincial_result", on=today)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROVINCIAL_POSTED
    public = site.page()
    public.goto(f"{site.url}/cong-khai/")
    assert "Trần Thị Duyên" in public.content()
    assert "001168012345" not in public.content()
    public.goto(f"{site.url}/cong-khai/{dossier.pk}/y-kien/")
    public.fill("#id_full_name", "Lê Văn Tâm")
    public.fill("#id_address", "Số 5, phường Ba Đình, Hà Nội")
    public.fill("#id_text", "Tôi xin góp ý về nghệ nhân.")
    submit_and_wait(public, "main form button[type=submit]")
    assert public.locator("#id_phone_error").is_visible()  # refused by the server, beside the field
    assert public.locator("#id_full_name").input_value() == "Lê Văn Tâm"  # what was typed is kept
    assert not dossier.public_comments.exists()

    # --- the officer forwards to the Ministry; the clerk sends it on from the batch page ----------
    take_step(page, "forward_to_ministry")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.FORWARDED
    desk = site.page(clerk.username, otp_device=devices[clerk.username])
    desk.goto(f"{site.url}/bo/tong-hop/")
    assert "Hà Nội" in desk.locator("#pipeline").inner_text()
    desk.goto(f"{site.url}/bo/buoc-theo-lo/")
    desk.select_option("#id_step", "send_to_ministerial_council")
    submit_and_wait(desk, "button:has-text('Xem trước')")
    desk.wait_for_selector("#batch-preview")
    assert desk.locator(f"#pick-{dossier.pk}").is_checked()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.FORWARDED  # the preview wrote nothing
    desk.check("#confirm-batch")
    submit_and_wait(desk, "button:has-text('Thực hiện')")
    desk.wait_for_selector("#batch-result")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.MINISTERIAL_REVIEW
    # the dossier page shows the whole history and the notifications feed
    desk.goto(f"{site.url}/ho-so/{dossier.pk}/")
    assert desk.locator("ol.timeline li").count() == 7  # submit … send_to_ministerial_council
    assert desk.locator("#feed li").count() >= 1
