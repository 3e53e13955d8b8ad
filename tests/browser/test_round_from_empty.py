"""A whole round from an empty database, by the people whose job it is, through the pages alone.

The start is what an installation has after `migrate`: the reference data (provinces, communes, crafts,
the rulebook) and one administrator with an authenticator app. Everything after that is done in Chromium
through the pages: the administrator creates the agencies and the accounts; each person opens the
invitation from their e-mail, sets a password and enrols the second factor (the code is computed from the
secret the enrolment page shows, as an authenticator app would); the Ministry creates the round; the
Department records its provincial council and receives two dossiers (one meeting every criterion, one
with a request that the council judge it); the councils vote by secret ballot at all three levels; the
results are posted; the Government posting, the appraisal, the proposal and the conferral follow. On the
way the test checks that each step's document exists and that the next actor was told.

The test reads the database only to check, never to act."""

import base64
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import Q
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AdministrativeUnit, User
from councils.models import Council, Session
from documents.models import GeneratedDocument
from dossiers.models import Dossier, DossierState
from notifications.models import Notification
from tests import factories as f
from tests.browser.conftest import take_step as _take_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Mat-khau-rat-dai-2026!"
S = DossierState


def dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


def code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"


def take_step(page, name, **fields):
    _take_step(page, name, password=PASSWORD, **fields)


def submit(page, selector="main form button.primary"):
    with page.expect_navigation():
        page.click(selector)


class People:
    """Each person's own browser context, kept open for the whole round (a person signs in once)."""

    def __init__(self, site):
        self.site = site
        self.pages = {}
        self.mail_seen = 0

    def invitation_link(self, email: str) -> str:
        for message in mail.outbox:
            if email in message.to:
                match = re.search(r"https?://[^/\s]+(/tai-khoan/loi-moi/[^/\s]+/)", message.body)
                if match:
                    return match.group(1)
        raise AssertionError(f"no invitation was e-mailed to {email}")

    def accept(self, key: str, email: str):
        """Open the invitation, set the password, enrol the authenticator app; stay signed in."""
        page = self.site.page()
        page.goto(self.site.url + self.invitation_link(email))
        page.fill("#id_password", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        submit(page)
        if "/cai-dat-xac-thuc/" in page.url:
            submit(page)  # "Start the set-up": a new secret, shown as a QR code and as text
            secret = page.locator("#otp-secret").inner_text().strip()
            page.fill("#id_code", code_from_secret(secret))
            submit(page)
        assert page.url.rstrip("/") == self.site.url, page.url
        self.pages[key] = page
        return page

    def __getitem__(self, key):
        return self.pages[key]


def create_agency(page, url, *, kind, name, short, parent="", province=None):
    page.goto(f"{url}/quan-tri/co-quan/tao/")
    page.select_option("#id_kind", kind)
    page.fill("#id_name", name)
    page.fill("#id_short_name", short)
    if parent:
        page.fill("#id_parent_name", parent)
    if province:
        page.select_option("#id_province", label=province)
    submit(page)


def create_account(page, url, *, full_name, email, role, agency):
    page.goto(f"{url}/quan-tri/nguoi-dung/tao/")
    page.fill("#id_full_name", full_name)
    page.fill("#id_email", email)
    page.check(f"input[name=roles][value={role}]")
    page.select_option("#id_agency", label=agency)
    submit(page)


def record_council(page, url, *, level, name, members, size_reason=""):
    """members: (full name, e-mail, role); the first row's person chairs."""
    page.goto(f"{url}/hoi-dong/thiet-lap/moi/?rows={len(members)}")
    page.select_option("#id_level", level)
    page.fill("#id_name", name)
    page.fill("#id_decision_number", "15/QĐ-UBND" if level == "provincial" else "210/QĐ-BCT")
    page.fill("#id_decision_date", dmy(timezone.localdate() - timedelta(days=30)))
    page.fill("#id_decision_signer", "Nguyễn Văn Quyết")
    if size_reason:
        page.fill("#id_size_reason", size_reason)
    for i, (full_name, email, role) in enumerate(members):
        page.fill(f"#id_members-{i}-full_name", full_name)
        page.fill(f"#id_members-{i}-email", email)
        page.fill(f"#id_members-{i}-position", "Chuyên gia")
        page.select_option(f"#id_members-{i}-role", role)
    page.check("#id_confirm")
    submit(page)
    return Council.objects.get(name=name)


def receive(page, url, *, full_name, cccd, born, works: int, today):
    """Receive a dossier (receipt = submission), enter its evidence and attach its files."""
    page.goto(f"{url}/ho-so/tiep-nhan/")
    page.fill("#id_full_name", full_name)
    page.select_option("#id_gender", "female")
    page.fill("#id_date_of_birth", born)
    page.fill("#id_ethnicity", "Kinh")
    page.fill("#id_cccd", cccd)
    page.select_option("#id_commune", index=1)
    page.select_option("#id_craft", index=1)
    page.select_option("#id_title", "excellent")
    page.fill("#id_received_on", dmy(today))
    page.check("#id_consent")
    submit(page, "form button.primary")
    page.wait_for_url("**/ho-so/*/")
    dossier = Dossier.objects.get(artisan__full_name=full_name)
    evidence = f"{url}/ho-so/{dossier.pk}/chung-cu/"
    done = 0
    while done < works:  # the works form offers blank rows a few at a time
        page.goto(evidence)
        if done == 0:
            page.fill("#id_periods-0-start", "01/01/1990")
            page.fill("#id_periods-0-end", "30/06/2025")
            page.fill("#id_trainees-0-count", "120")
            page.fill("#id_trainees-0-start", "01/01/2000")
            page.fill("#id_trainees-0-end", "31/12/2024")
        blank = page.locator("input[name$='-name'][name^='works-']").evaluate_all(
            "els => els.filter(e => !e.value).map(e => e.name)"
        )
        assert blank, "the evidence page offers no blank row for a work"
        for field in blank:
            if done >= works:
                break
            row = field.removesuffix("-name")
            page.fill(f"[name='{row}-name']", f"Tác phẩm {full_name} số {done + 1}")
            page.fill(f"[name='{row}-completed_on']", f"01/03/{2005 + done}")
            if done == 0:  # one prized work: a national third prize from a competent organiser
                page.fill(f"[name='{row}-award_competition']", "Hội thi sản phẩm thủ công mỹ nghệ")
                page.fill(f"[name='{row}-award_organiser']", "Bộ Công Thương")
                page.check(f"[name='{row}-award_competent']")
                page.select_option(f"[name='{row}-award_level']", "third")
                page.select_option(f"[name='{row}-award_scope']", "national")
                page.fill(f"[name='{row}-award_on']", "15/10/2006")
            done += 1
        submit(page, "main form button.primary")
        assert "/chung-cu/" not in page.url, page.locator("main").inner_text()[:800]
    assert dossier.works.count() == works
    page.goto(f"{url}/ho-so/{dossier.pk}/")
    for kind, name in (("declaration", "ban-khai.pdf"), ("certified_copy", "giay-chung-nhan.pdf")):
        page.select_option("#id_kind", kind)
        page.set_input_files(
            "#id_file",
            {"name": name, "mimeType": "application/pdf", "buffer": f.pdf_bytes(f"{full_name} {name}")},
        )
        page.click("form[data-upload-progress] button[type=submit]")
        page.wait_for_selector(f"text={name}")
    return dossier


def run_session(people, url, *, secretary, voters, council, dossiers, today):
    """The secretary schedules the session with the waiting dossiers, records attendance and opens the
    ballot; each voter votes on the one ballot screen; the secretary closes it and sees the tally."""
    sec = people[secretary]
    sec.goto(f"{url}/hoi-dong/")
    sec.fill(f"#held-on-{council.pk}", dmy(today))
    sec.fill(f"#starts-at-{council.pk}", "08:30")
    sec.fill(f"#place-{council.pk}", "Hội trường tầng 3")
    submit(sec, f"form:has(#place-{council.pk}) button")
    session = Session.objects.filter(council=council).latest("pk")
    sec.goto(f"{url}/hoi-dong/phien/{session.pk}/")
    sec.locator("details.step summary").first.click()
    for dossier in dossiers:
        sec.check(f"#cand-{dossier.pk}")
    submit(sec, "button:has-text('Đưa vào chương trình')")
    for membership in council.memberships.filter(role__in=["chair", "vice_chair", "member"]):
        sec.check(f"#present-{membership.pk}")
    submit(sec, "button:has-text('Ghi nhận điểm danh')")
    sec.check("#confirm-open")
    submit(sec, "button:has-text('Mở bỏ phiếu')")
    assert Session.objects.get(pk=session.pk).status == Session.Status.BALLOT_OPEN, sec.locator(
        "main"
    ).inner_text()[:800]
    for key in voters:
        member = people[key]
        for dossier in dossiers:  # no ballot without a declaration of (no) conflict of interest
            member.goto(f"{url}/hoi-dong/phien/{session.pk}/ho-so/{dossier.pk}/")
            member.check("#id_status_0")  # "no conflict": nothing is checked until the member chooses
            submit(member, "#conflict button[type=submit]")
        member.goto(f"{url}/hoi-dong/phien/{session.pk}/bo-phieu/")
        for dossier in dossiers:
            member.check(f"#agree-{dossier.pk}")
        member.check("#confirm-ballot")
        submit(member, "#ballot button[type=submit]")
        member.wait_for_selector("ul.voted")
    sec.goto(f"{url}/hoi-dong/phien/{session.pk}/")
    sec.check("#confirm-close")
    submit(sec, "button:has-text('Kết thúc bỏ phiếu')")
    sec.wait_for_selector("#tally")
    return session


def assert_documents(dossier, *kinds):
    """The documents of a dossier: its own (declaration, summary) and the lists that cover it."""
    made = set(
        GeneratedDocument.objects.filter(Q(dossier=dossier) | Q(dossiers=dossier)).values_list(
            "kind", flat=True
        )
    )
    assert set(kinds) <= made, (kinds, made)
    assert not GeneratedDocument.objects.filter(Q(dossier=dossier) | Q(dossiers=dossier), status="failed")


def assert_told(user, dossier):
    assert Notification.objects.filter(recipient=user, event__dossier=dossier).exists(), user


def test_round_from_an_empty_database_through_the_pages(site, settings):
    settings.SITE_URL = site.url
    url = site.url
    today = timezone.localdate()
    hanoi = AdministrativeUnit.objects.get(level="province", code="01", valid_to__isnull=True)
    admin_user = f.user("system_administrator", is_staff=True)  # the one administrator of the start
    admin_device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    people = People(site)

    # --- the administrator: agencies and the first accounts ----------------------------------------
    admin = site.page(admin_user.username, otp_device=admin_device)
    create_agency(
        admin,
        url,
        kind="provincial_department",
        name="Sở Công Thương Hà Nội",
        short="SCT",
        parent="UBND THÀNH PHỐ HÀ NỘI",
        province=hanoi.name,
    )
    create_agency(admin, url, kind="ministry_unit", name="Bộ Công Thương", short="BCT")
    staff = {
        "officer": (
            "Nguyễn Thị Lan",
            "lan.sct@hanoi.example.vn",
            "provincial_officer",
            "Sở Công Thương Hà Nội",
        ),
        "clerk": ("Phạm Quốc Huy", "huy.bct@moit.example.vn", "ministry_clerk", "Bộ Công Thương"),
        "leader": ("Hoàng Đức Thắng", "thang.bct@moit.example.vn", "ministry_leader", "Bộ Công Thương"),
    }
    for full_name, email, role, agency in staff.values():
        create_account(admin, url, full_name=full_name, email=email, role=role, agency=agency)
    for key, (_name, email, _role, _agency) in staff.items():
        people.accept(key, email)
    officer, clerk = people["officer"], people["clerk"]

    # --- the Ministry creates the round from its plan ------------------------------------------------
    clerk.goto(f"{url}/bo/dot/tao-moi/")
    clerk.fill("#id_number", "7")
    clerk.fill("#id_name", "Xét tặng danh hiệu nghệ nhân trong lĩnh vực nghề thủ công mỹ nghệ lần thứ 7")
    clerk.fill("#id_plan_decision_number", "120/QĐ-BCT")
    clerk.fill("#id_plan_decision_date", dmy(today - timedelta(days=60)))
    for i, days in enumerate((30, 120, 240, 330)):
        clerk.fill(f"#id_ms-{i}-description", f"Mốc {i + 1}")
        clerk.fill(f"#id_ms-{i}-due_on", dmy(today + timedelta(days=days)))
    submit(clerk)
    assert "/bo/dot/7/" in clerk.url, clerk.locator("main").inner_text()[:800]

    # --- the Department records its provincial council; each member accepts the invitation ---------
    voters = [(f"Thành viên {n}", f"thanhvien{n}@hoidong.example.vn") for n in range(1, 10)]
    provincial = record_council(
        officer,
        url,
        level="provincial",
        name="Hội đồng xét tặng cấp tỉnh Hà Nội",
        members=[
            *[(name, email, "chair" if n == 0 else "member") for n, (name, email) in enumerate(voters)],
            ("Lê Thu Hà", "thuky@hoidong.example.vn", "secretary"),
        ],
    )
    assert provincial.memberships.count() == 10
    for n, (_name, email) in enumerate(voters):
        people.accept(f"voter{n}", email)
    people.accept("secretary", "thuky@hoidong.example.vn")

    # --- the officer receives two dossiers ----------------------------------------------------------
    complete = receive(
        officer,
        url,
        full_name="Trần Thị Duyên",
        cccd="001168012345",
        born="12/03/1968",
        works=10,
        today=today,
    )
    short = receive(
        officer, url, full_name="Đỗ Thị Hương", cccd="001170054321", born="05/07/1970", works=9, today=today
    )
    # received before their evidence was entered: no declaration yet (it would be empty) ...
    assert not GeneratedDocument.objects.filter(
        Q(dossier=complete) | Q(dossiers=complete), kind="form_02"
    ).exists()
    officer_user, clerk_user = (User.objects.get(email=staff[k][1]) for k in ("officer", "clerk"))
    for dossier in (complete, short):
        officer.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(officer, "admit")
    assert_documents(complete, "form_02")  # ... built at the admission, from the evidence entered
    # the second dossier has 9 works where the rules ask 10: it goes to the council with a reason
    officer.goto(f"{url}/ho-so/{short.pk}/")
    request = officer.locator("form[action$='/de-nghi-hoi-dong-xem-xet/']")
    request.locator("[name=reason]").fill(
        "Nghệ nhân giữ kỹ thuật khảm trai cổ duy nhất còn lại ở địa phương."
    )
    request.locator("[name=confirm]").check()
    submit(officer, "form[action$='/de-nghi-hoi-dong-xem-xet/'] button")
    for dossier in (complete, short):
        officer.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(officer, "send_to_provincial_council")
        dossier.refresh_from_db()
        assert dossier.state == S.PROVINCIAL_REVIEW
    secretary_user = provincial.memberships.get(role="secretary").user
    assert_told(secretary_user, complete)

    # --- the provincial session: agenda, attendance, secret ballot, tally -------------------------
    session = run_session(
        people,
        url,
        secretary="secretary",
        voters=[f"voter{n}" for n in range(9)],
        council=provincial,
        dossiers=[complete, short],
        today=today,
    )
    people["secretary"].goto(f"{url}/hoi-dong/phien/{session.pk}/ho-so/{short.pk}/")
    assert "khảm trai" in people["secretary"].locator("main").inner_text()  # the reason, on the agenda
    for dossier in (complete, short):
        dossier.refresh_from_db()
        assert dossier.state == S.PROVINCIAL_PASSED
    for kind in ("form_05", "form_06"):  # the minutes and the vote-counting minutes
        assert GeneratedDocument.objects.filter(session_ref=session.pk, kind=kind).exists(), kind
    assert_told(officer_user, complete)  # the officer's next task: post the result

    # --- posting and forwarding (the posting is recorded as it happened, its period over) ---------
    posted_on = today - timedelta(days=30)
    for dossier in (complete, short):
        officer.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(officer, "post_provincial_result", on=dmy(posted_on))
    public = site.page()
    public.goto(f"{url}/cong-khai/")
    assert "Trần Thị Duyên" in public.content() and "001168012345" not in public.content()
    for dossier in (complete, short):
        officer.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(officer, "forward_to_ministry")
        dossier.refresh_from_db()
        assert dossier.state == S.FORWARDED
        assert_documents(dossier, "form_02", "result_notice", "form_10", "form_03", "form_04")
        assert_told(clerk_user, dossier)

    # --- the Ministry's councils: the clerk keeps their minutes as secretary -----------------------
    experts = [(f"Chuyên gia {n}", f"chuyengia{n}@bo.example.vn") for n in range(1, 4)]
    clerk_email = staff["clerk"][1]
    council_members = [
        *[(name, email, "chair" if n == 0 else "member") for n, (name, email) in enumerate(experts)],
        ("Phạm Quốc Huy", clerk_email, "secretary"),
    ]
    ministerial = record_council(
        clerk, url, level="ministerial", name="Hội đồng xét tặng cấp Bộ", members=council_members
    )
    state = record_council(
        clerk,
        url,
        level="state",
        name="Hội đồng xét tặng cấp Nhà nước",
        members=council_members,
        size_reason="Thử nghiệm quy trình với hội đồng rút gọn, đã được Lãnh đạo Bộ đồng ý.",
    )
    assert state.decisions.get().size_reason
    for n, (_name, email) in enumerate(experts):
        people.accept(f"expert{n}", email)
    # the clerk was linked, not invited: the same account, now also the councils' secretary
    clerk.reload()

    for dossier in (complete, short):
        clerk.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(clerk, "send_to_ministerial_council")
    run_session(
        people,
        url,
        secretary="clerk",
        voters=[f"expert{n}" for n in range(3)],
        council=ministerial,
        dossiers=[complete, short],
        today=today,
    )
    gov_on = today - timedelta(days=25)
    for dossier in (complete, short):
        dossier.refresh_from_db()
        assert dossier.state == S.MINISTERIAL_PASSED
        clerk.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(clerk, "post_on_government_portal", on=dmy(gov_on))
        clerk.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(clerk, "send_to_state_council")
        dossier.refresh_from_db()
        assert dossier.state == S.STATE_REVIEW
        assert_documents(dossier, "posting_notice")
    run_session(
        people,
        url,
        secretary="clerk",
        voters=[f"expert{n}" for n in range(3)],
        council=state,
        dossiers=[complete, short],
        today=today,
    )

    # --- appraisal, proposal, conferral ---------------------------------------------------------------
    for dossier in (complete, short):
        dossier.refresh_from_db()
        assert dossier.state == S.STATE_PASSED
        clerk.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(clerk, "send_to_appraisal")
        clerk.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(
            clerk,
            "record_appraisal_agreed",
            appraisal_letter_number="45/BTĐKT-VP",
            appraisal_letter_date=dmy(today),
        )
        clerk.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(clerk, "propose_to_prime_minister")
        clerk.goto(f"{url}/ho-so/{dossier.pk}/")
        take_step(clerk, "record_conferral", decision_number="1234/QĐ-CTN", decision_date=dmy(today))
        dossier.refresh_from_db()
        assert dossier.state == S.CONFERRED, dossier.state
        assert_documents(dossier, "decision_record")
    # every step is in the audit log with its author, the exception request among them
    steps = list(short.audit_entries.values_list("transition", flat=True))
    assert "request_council_judgement" in steps and steps[-1] == "record_conferral"
    assert not short.audit_entries.filter(actor__isnull=True).exists()
    # the people told along the way read it on their notifications page
    people["leader"].goto(f"{url}/thong-bao/")
    officer.goto(f"{url}/thong-bao/")
    assert "Trần Thị Duyên" in officer.locator("main").inner_text()
