"""Account protection (OWASP ASVS 5.0 level 2): the password rules, login throttling per (username,
address), the second factor for the roles that need it, the idle timeout, re-authentication before a
ballot or a decision, and logout everywhere. Sign-ins here go through the login page with a real code
(tests.conftest's force_login shortcut is used only where the sign-in is not the subject)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from councils.models import BallotParticipation
from councils.services import session_agenda_add, session_attendance_record
from dossiers.models import DossierState
from tests import factories as f
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from tests.workflows.conftest import set_state
from workflows.services import council_ballot_open

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dai-1"  # what tests.factories.user sets
START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
A = "203.0.113.10"
B = "198.51.100.20"


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(client, user, ip=A, password=PASSWORD):
    return client.post("/dang-nhap/", {"username": user.username, "password": password}, REMOTE_ADDR=ip)


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


# --- passwords ----------------------------------------------------------------------------------------


def test_password_rules_length_and_common_only_no_composition():
    user = User(username="nguyenvanan")
    with pytest.raises(ValidationError):
        validate_password("kd9#xq2", user)  # 7 characters
    validate_password("kd9#xq2m", user)  # 8
    validate_password("chimsechimsecay", user)  # letters only: no composition rule
    validate_password("58293017", user)  # digits only: no composition rule either
    with pytest.raises(ValidationError):
        validate_password("password123", user)  # a common password
    passphrase = ("đêm trăng rằm gõ nhịp đàn bầu bên sông " * 4)[:128]
    assert len(passphrase) == 128
    validate_password(passphrase, user)


def test_a_128_character_password_signs_in(client):
    passphrase = "x" * 60 + " hoa sen nở trên hồ tây mùa hạ năm ấy có một nghệ nhân làm gốm " + "y" * 4
    passphrase = passphrase[:128]
    user = f.officer()
    user.set_password(passphrase)
    user.save()
    assert sign_in(client, user, password=passphrase).status_code == 302
    assert client.get("/").status_code == 200


# --- login throttling ---------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_user_from_that_address_only(client, time_machine, settings):
    time_machine.move_to(START, tick=False)
    user = f.officer()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user, password="sai-mat-khau").status_code == 200  # the form again
    assert sign_in(client, user, password="sai-mat-khau").status_code == 429  # the fifth locks
    locked = sign_in(client, user)  # the right password, from A
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Quá nhiều lần đăng nhập không thành công" in text and "15 phút" in text
    assert "_auth_user_id" not in client.session
    # the same user from another address signs in
    other = Client()
    assert sign_in(other, user, ip=B).status_code == 302
    assert other.get("/").status_code == 200
    # another user from A is not locked either
    assert sign_in(Client(), f.officer(), ip=A).status_code == 302
    # after the cool-off, from A again
    time_machine.shift(timedelta(minutes=15, seconds=1))
    assert sign_in(client, user).status_code == 302


def test_a_successful_login_resets_the_count(client, settings):
    user = f.officer()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user, password="sai-mat-khau")
    assert sign_in(client, user).status_code == 302
    client.post("/dang-xuat/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user, password="sai-mat-khau")
    assert sign_in(client, user).status_code == 302


def test_a_forwarded_for_header_is_ignored_without_a_trusted_proxy(client, settings):
    user = f.officer()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/dang-nhap/",
            {"username": user.username, "password": "sai"},
            REMOTE_ADDR=A,
            HTTP_X_FORWARDED_FOR=B,  # claims to be B, the user's own address
        )
    assert sign_in(Client(), user, ip=B).status_code == 302  # B is not locked
    assert sign_in(Client(), user, ip=A).status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = f.officer()

    def via_proxy(address, password):
        return Client().post(
            "/dang-nhap/",
            {"username": user.username, "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.99, {address}",  # the first entry is the client's own claim
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy(A, "sai")
    assert via_proxy(A, PASSWORD).status_code == 429
    assert via_proxy(B, PASSWORD).status_code == 302


# --- the second factor --------------------------------------------------------------------------------


def test_a_council_member_enrols_at_the_first_sign_in_then_enters_the_code(client, time_machine):
    time_machine.move_to(START, tick=False)
    _council, voters, _secretary = make_council(3)
    member = voters[0].user
    assert sign_in(client, member).status_code == 302
    # every page but the sign-in steps and the public pages sends to the enrolment
    home = client.get("/ho-so/")
    assert home.status_code == 302 and home["Location"].startswith("/tai-khoan/cai-dat-xac-thuc/?next=")
    assert client.get("/cong-khai/").status_code == 200
    assert client.get("/health/").status_code in (200, 503)
    # the page writes nothing: the set-up is started by a POST, which makes the secret
    start = client.get(home["Location"])
    assert start.status_code == 200 and "<svg" not in start.content.decode()
    assert not TOTPDevice.objects.filter(user=member).exists()
    started = client.post(home["Location"], {"start": "1"})
    assert started.status_code == 302 and started["Location"] == home["Location"]
    page = client.get(home["Location"])
    text = page.content.decode()
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    assert client.post(home["Location"], {"start": "1"}).status_code == 302  # again: the same secret
    assert TOTPDevice.objects.filter(user=member).count() == 1
    secret = page.context["secret"]
    assert secret in text and "otpauth://totp/" in text and "<svg" in text
    assert client.post(home["Location"], {"code": "000000"}).status_code == 200  # wrong: the form again
    time_machine.shift(2)  # the throttle's wait after one wrong code
    done = client.post(home["Location"], {"code": code_of(device)})
    assert done.status_code == 302 and done["Location"] == "/ho-so/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/ho-so/").status_code == 200
    # the next sign-in asks for the code
    client.post("/dang-xuat/")
    time_machine.shift(31)  # a code is good once: the next one
    sign_in(client, member)
    verify = client.get("/ho-so/")
    assert verify["Location"].startswith("/tai-khoan/ma-xac-thuc/?next=")
    wrong = client.post(verify["Location"], {"code": "123456"})
    assert "Mã không đúng" in wrong.content.decode()
    # django-otp's throttle: right after a wrong code, even the right one waits
    throttled = client.post(verify["Location"], {"code": code_of(device)})
    assert "Nhập sai quá nhiều lần" in throttled.content.decode()
    assert client.get("/ho-so/").status_code == 302
    time_machine.shift(2)
    assert client.post(verify["Location"], {"code": code_of(device)})["Location"] == "/ho-so/"
    assert client.get("/ho-so/").status_code == 200


@pytest.mark.parametrize(
    "role",
    ["council_member", "council_secretary", "ministry_clerk", "ministry_leader", "system_administrator"],
)
def test_each_required_role_is_sent_to_the_second_factor(client, role):
    user = f.user(role, f.ministry())
    sign_in(client, user)
    assert client.get("/")["Location"].startswith("/tai-khoan/cai-dat-xac-thuc/")


def test_an_officer_is_not_forced_but_may_enrol_and_is_then_asked(client, time_machine):
    time_machine.move_to(START, tick=False)
    officer = f.officer()
    sign_in(client, officer)
    assert client.get("/").status_code == 200
    account = client.get("/tai-khoan/").content.decode()
    assert "/tai-khoan/cai-dat-xac-thuc/" in account
    client.get("/tai-khoan/cai-dat-xac-thuc/")
    client.post("/tai-khoan/cai-dat-xac-thuc/", {"start": "1"})
    device = TOTPDevice.objects.get(user=officer)
    client.post("/tai-khoan/cai-dat-xac-thuc/", {"code": code_of(device)})
    client.post("/dang-xuat/")
    sign_in(client, officer)
    assert client.get("/")["Location"].startswith("/tai-khoan/ma-xac-thuc/")


def test_the_admin_needs_the_second_factor(client, time_machine):
    time_machine.move_to(START, tick=False)
    admin = f.user("system_administrator", f.ministry(), is_staff=True, is_superuser=True)
    device = device_for(admin)
    # the admin's own login page is the site's
    assert client.get("/quan-tri/login/")["Location"].startswith("/dang-nhap/?next=")
    sign_in(client, admin)
    assert client.get("/quan-tri/")["Location"].startswith("/tai-khoan/ma-xac-thuc/?next=%2Fquan-tri%2F")
    client.post("/tai-khoan/ma-xac-thuc/", {"code": code_of(device)})
    assert client.get("/quan-tri/").status_code == 200


def test_the_next_address_must_stay_on_the_site(client, time_machine):
    time_machine.move_to(START, tick=False)
    clerk = f.user("ministry_clerk", f.ministry())
    device = device_for(clerk)
    sign_in(client, clerk)
    done = client.post("/tai-khoan/ma-xac-thuc/", {"code": code_of(device), "next": "https://evil.example/"})
    assert done["Location"] == "/"


# --- the idle timeout ---------------------------------------------------------------------------------


def test_a_session_idle_longer_than_the_timeout_is_signed_out(client, time_machine, settings):
    time_machine.move_to(START, tick=False)
    client.force_login(f.officer())
    for _ in range(3):  # activity keeps it alive, past the idle time in total
        time_machine.shift(settings.SESSION_IDLE_TIMEOUT_SECONDS - 60)
        assert client.get("/").status_code == 200
    time_machine.shift(settings.SESSION_IDLE_TIMEOUT_SECONDS + 1)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert "_auth_user_id" not in client.session


# --- re-authentication before a ballot and a decision -------------------------------------------------


@pytest.fixture
def open_ballot():
    _council, voters, secretary = make_council(5)
    session, dossiers = make_session(_council, dossiers=1)
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    council_ballot_open(session=session, by=secretary.user)
    return session, dossiers[0], voters


def test_a_ballot_needs_a_recent_authentication(client, time_machine, settings, open_ballot):
    time_machine.move_to(START, tick=False)
    session, dossier, voters = open_ballot
    declare_no_conflict(session, [dossier], voters[:1])
    member = voters[0].user
    client.force_login(member)
    device = TOTPDevice.objects.get(user=member)
    time_machine.shift(settings.REAUTH_MAX_AGE_SECONDS + 1)
    url = f"/hoi-dong/phien/{session.pk}/bo-phieu/"
    ballot = {f"choice-{dossier.pk}": "agree", "confirm": "1"}
    refused = client.post(url, ballot)
    assert refused.status_code == 302
    assert (
        refused["Location"]
        == f"/tai-khoan/xac-nhan-lai/?next=%2Fhoi-dong%2Fphien%2F{session.pk}%2Fbo-phieu%2F"
    )
    assert not BallotParticipation.objects.exists()
    # the endpoint used by make bench too
    api = client.post(f"/hoi-dong/phien/{session.pk}/phieu/", {"dossier": dossier.pk, "choice": "agree"})
    assert api["Location"].startswith("/tai-khoan/xac-nhan-lai/")
    assert not BallotParticipation.objects.exists()
    # a wrong password, then the password and the code: back to the ballot screen
    page = client.get(refused["Location"])
    assert "Xác nhận" in page.content.decode()
    wrong = client.post(refused["Location"], {"password": "sai", "code": code_of(device)})
    assert wrong.status_code == 200 and not BallotParticipation.objects.exists()
    time_machine.shift(31)
    back = client.post(refused["Location"], {"password": PASSWORD, "code": code_of(device)})
    assert back["Location"] == url
    assert client.post(url, ballot).status_code == 302
    assert BallotParticipation.objects.filter(session=session).count() == 1


def test_the_presidents_decision_needs_a_recent_authentication(client, time_machine, settings):
    time_machine.move_to(START, tick=False)
    clerk = f.user("ministry_clerk", f.ministry())
    proposed = set_state(f.dossier("01"), DossierState.PROPOSED)
    client.force_login(clerk)
    device = TOTPDevice.objects.get(user=clerk)
    step = {"name": "record_conferral", "decision_number": "1234/QĐ-CTN", "decision_date": "01/12/2026"}
    step["confirm"] = "1"
    # another step of the same page needs no re-authentication
    time_machine.shift(settings.REAUTH_MAX_AGE_SECONDS + 1)
    refused = client.post(f"/ho-so/{proposed.pk}/buoc/", step)
    assert refused["Location"] == f"/tai-khoan/xac-nhan-lai/?next=%2Fho-so%2F{proposed.pk}%2F"
    proposed.refresh_from_db()
    assert proposed.state == DossierState.PROPOSED
    batch = {"step": "record_conferral", "decision_number": "1234/QĐ-CTN", "decision_date": "01/12/2026"}
    batch.update(dossier=[proposed.pk], confirm="1")
    refused_batch = client.post("/bo/buoc-theo-lo/", batch)
    assert refused_batch["Location"].startswith(
        "/tai-khoan/xac-nhan-lai/?next=%2Fbo%2Fbuoc-theo-lo%2F%3Fstep"
    )
    proposed.refresh_from_db()
    assert proposed.state == DossierState.PROPOSED
    time_machine.shift(31)
    client.post("/tai-khoan/xac-nhan-lai/", {"password": PASSWORD, "code": code_of(device)})
    client.post(f"/ho-so/{proposed.pk}/buoc/", step)
    proposed.refresh_from_db()
    assert proposed.state == DossierState.CONFERRED


def test_other_steps_need_no_re_authentication(client, time_machine, settings):
    time_machine.move_to(START, tick=False)
    ready = set_state(f.dossier("01"), DossierState.FORWARDED)
    client.force_login(f.user("ministry_clerk", f.ministry()))
    time_machine.shift(settings.REAUTH_MAX_AGE_SECONDS + 1)
    client.post(f"/ho-so/{ready.pk}/buoc/", {"name": "send_to_ministerial_council", "confirm": "1"})
    ready.refresh_from_db()
    assert ready.state == DossierState.MINISTERIAL_REVIEW


# --- logout everywhere --------------------------------------------------------------------------------


def test_logout_everywhere_ends_the_other_sessions_too(client):
    user = f.officer()
    laptop, phone = client, Client()
    laptop.force_login(user)
    phone.force_login(user)
    assert phone.get("/").status_code == 200
    # without the confirmation: nothing ends
    laptop.post("/tai-khoan/dang-xuat-moi-thiet-bi/")
    assert phone.get("/").status_code == 200 and laptop.get("/").status_code == 200
    done = laptop.post("/tai-khoan/dang-xuat-moi-thiet-bi/", {"confirm": "1"})
    assert done["Location"] == "/dang-nhap/"
    assert phone.get("/")["Location"].startswith("/dang-nhap/")
    assert laptop.get("/")["Location"].startswith("/dang-nhap/")
    # a new sign-in works
    assert sign_in(Client(), user).status_code == 302


def test_a_new_password_ends_the_other_sessions(client):
    user = f.officer()
    other = Client()
    other.force_login(user)
    user.set_password("mot-mat-khau-moi-dai")
    user.save()
    assert other.get("/")["Location"].startswith("/dang-nhap/")


def test_the_session_key_changes_when_the_second_factor_is_accepted(client, time_machine):
    """A key seen between the password and the code (a shared computer, a proxy's log) must not become
    the key of the fully signed-in session."""
    time_machine.move_to(START, tick=False)
    _council, voters, _secretary = make_council(1)
    member = voters[0].user
    device = TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    sign_in(client, member)
    before_code = client.session.session_key
    verify = client.get("/ho-so/")["Location"]
    assert client.post(verify, {"code": code_of(device)})["Location"] == "/ho-so/"
    assert client.session.session_key != before_code
    assert client.get("/ho-so/").status_code == 200
    old = client.cookies[settings.SESSION_COOKIE_NAME]
    old.set(settings.SESSION_COOKIE_NAME, before_code, before_code)  # replay the key from before the code
    assert client.get("/ho-so/").status_code == 302
