"""Invitations: a new account gets a one-time link by e-mail to choose a password and enrol the second
factor. The token is stored only as a hash, works once (also under two concurrent accepts), expires
exactly at ACCOUNT_INVITATION_DAYS, and every invalid link gets the same answer."""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, User
from accounts.roles import Role
from accounts.services import invitation_accept, invitation_send, member_account_for, token_hash
from core.services import action_records_of
from tests import factories as f

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
NEW_PASSWORD = "gốm bát tràng men lam"
INVALID_TEXT = "Đường dẫn mời này không còn hiệu lực"


def administrator():
    return f.user(Role.SYSTEM_ADMINISTRATOR.value, f.ministry())


def invite_member(capture, email="nguyen.thi.hoa@example.vn"):
    with capture(execute=True):
        user, created = member_account_for(
            full_name="Nguyễn Thị Hoa",
            email=email,
            role=Role.COUNCIL_MEMBER,
            agency=f.department("01"),
            by=f.user(Role.COUNCIL_SECRETARY.value),
        )
    assert created
    return user


def link_in(message) -> str:
    match = re.search(r"https?://\S+/tai-khoan/loi-moi/(\S+)/", message.body)
    assert match, message.body
    return match.group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def accept(client, link: str, password: str, again: str | None = None):
    """What the form of the link's page posts: the token in the body, to the page without it."""
    data = {"token": token_of(link), "password": password, "password2": again or password}
    return client.post("/tai-khoan/loi-moi/", data)


def test_a_new_member_account_gets_an_invitation_by_e_mail(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://nghenhan.example.vn"
    user = invite_member(django_capture_on_commit_callbacks)
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nguyen.thi.hoa@example.vn"]
    assert "tài khoản" in message.subject.lower()  # Vietnamese, the user's language by default
    link = link_in(message)
    assert link.startswith("https://nghenhan.example.vn/tai-khoan/loi-moi/")
    assert user.username in message.body
    # the link opens the set-password form
    response = Client().get(path_of(link))
    assert response.status_code == 200
    assert "Nguyễn Thị Hoa" in response.text and 'name="password"' in response.text
    # and the invitation is in the account's history
    assert [r.action for r in action_records_of(user)] == ["invitation_sent"]


def test_an_existing_account_is_linked_without_a_new_invitation(django_capture_on_commit_callbacks):
    existing = f.user(email="da.co@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        user, created = member_account_for(
            full_name="X", email="DA.CO@example.vn", role=Role.COUNCIL_MEMBER, agency=None, by=None
        )
    assert (user, created) == (existing, False)
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_only_the_hash_of_the_token_is_stored(django_capture_on_commit_callbacks):
    user = invite_member(django_capture_on_commit_callbacks)
    token = token_of(link_in(mail.outbox[0]))
    invitation = Invitation.objects.get(user=user)
    assert invitation.token_hash == token_hash(token) and len(invitation.token_hash) == 64
    # the token appears in no column of the row
    assert all(token not in str(getattr(invitation, field.attname)) for field in Invitation._meta.fields)
    # what a database administrator could read is no usable link
    response = Client().get(f"/tai-khoan/loi-moi/{invitation.token_hash}/")
    assert response.status_code == 200 and INVALID_TEXT in response.text


def test_set_password_then_the_second_factor_enrolment(django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(START, tick=False)
    user = invite_member(django_capture_on_commit_callbacks)
    link = path_of(link_in(mail.outbox[0]))
    client = Client()
    assert 'action="/tai-khoan/loi-moi/"' in client.get(link).text
    weak = accept(client, link, "12345678")
    assert weak.status_code == 200 and "password" in weak.context["form"].errors  # Django's validators
    assert not User.objects.get(pk=user.pk).has_usable_password()
    response = accept(client, link, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/cai-dat-xac-thuc/")  # a council member needs 2FA
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(user=user).used_at == START
    # the enrolment: start, then confirm with a code of the app
    assert client.get("/hoi-dong/").status_code == 302  # nothing else before the second factor
    client.post("/tai-khoan/cai-dat-xac-thuc/", {"start": "1", "next": "/"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    done = client.post("/tai-khoan/cai-dat-xac-thuc/", {"code": code, "next": "/"})
    assert done.status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get("/").status_code == 200
    # single use: the same link again is refused, with the one message
    again = Client().get(link)
    assert again.status_code == 200 and INVALID_TEXT in again.text
    refused = accept(Client(), link, "x" * 12)
    assert INVALID_TEXT in refused.text and 'name="password"' not in refused.text
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_a_role_without_the_second_factor_goes_home(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_account_for(
            full_name="Lê Văn Bình",
            email="binh@example.vn",
            role=Role.PROVINCIAL_OFFICER,
            agency=None,
            by=None,
        )
    response = accept(Client(), link_in(mail.outbox[0]), NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_expiry_exactly_at_the_limit(django_capture_on_commit_callbacks, time_machine, settings):
    settings.ACCOUNT_INVITATION_DAYS = 7
    time_machine.move_to(START, tick=False)
    invite_member(django_capture_on_commit_callbacks)
    link = path_of(link_in(mail.outbox[0]))
    time_machine.move_to(START + timedelta(days=7) - timedelta(microseconds=1), tick=False)
    assert 'name="password"' in Client().get(link).text  # the last moment
    time_machine.move_to(START + timedelta(days=7), tick=False)
    response = Client().get(link)
    assert response.status_code == 200 and INVALID_TEXT in response.text
    refused = accept(Client(), link, NEW_PASSWORD)
    assert INVALID_TEXT in refused.text and "_auth_user_id" not in refused.wsgi_request.session


def test_unknown_used_and_expired_links_get_the_same_answer(django_capture_on_commit_callbacks):
    user = invite_member(django_capture_on_commit_callbacks)
    old_link = path_of(link_in(mail.outbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(user=user, by=administrator())  # replaces the first
    assert len(mail.outbox) == 2
    new_link = path_of(link_in(mail.outbox[1]))
    replaced = Client().get(old_link)
    unknown = Client().get("/tai-khoan/loi-moi/khong-co-loi-moi-nay/")
    assert replaced.status_code == unknown.status_code == 200
    assert INVALID_TEXT in replaced.text

    def strip(response):  # what differs only because the requests differ: CSRF tokens, the page's own path
        return re.sub(r"[A-Za-z0-9]{64}", "", response.text).replace(response.wsgi_request.path, "")

    assert strip(replaced) == strip(unknown)
    assert Client().get(new_link).status_code == 200


def test_only_an_administrator_sends_an_invitation_again():
    from django.core.exceptions import PermissionDenied

    user = f.user(email="a@example.vn")
    with pytest.raises(PermissionDenied):
        invitation_send(user=user, by=f.user(Role.MINISTRY_CLERK.value))
    assert not Invitation.objects.exists()


def test_the_token_is_never_logged(django_capture_on_commit_callbacks, caplog):
    caplog.set_level("DEBUG")
    invite_member(django_capture_on_commit_callbacks)
    token = token_of(link_in(mail.outbox[0]))
    link = link_in(mail.outbox[0])
    Client().get(path_of(link))
    Client().get("/tai-khoan/loi-moi/khong-co/")
    assert accept(Client(), link, NEW_PASSWORD).status_code == 302
    assert "login" in caplog.text  # the sign-in was logged, without the token
    assert token not in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_accepts_one_wins(django_capture_on_commit_callbacks):
    user = invite_member(django_capture_on_commit_callbacks)
    token = token_of(link_in(mail.outbox[0]))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(password):
        barrier.wait()
        try:
            invitation_accept(token=token, password=password)
            result = f"ok:{password}"
        except Exception as exc:
            result = "refused" if "invitation_invalid" in repr(getattr(exc, "code", "")) else repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in ("mat khau thu nhat", "mat khau thu hai")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(o.split(":")[0] for o in outcomes) == ["ok", "refused"], outcomes
    winner = next(o.split(":", 1)[1] for o in outcomes if o.startswith("ok"))
    assert User.objects.get(pk=user.pk).check_password(winner)
    assert Invitation.objects.filter(user=user, used_at__isnull=False).count() == 1
    assert [r.action for r in action_records_of(user)].count("invitation_used") == 1


def test_no_e_mail_address_links_no_account():
    f.user(email="")  # an account without an address is not anyone's
    with pytest.raises(ValidationError):
        member_account_for(full_name="Ai", email=" ", role=Role.COUNCIL_MEMBER, agency=None, by=None)
    assert not User.objects.filter(groups__name=Role.COUNCIL_MEMBER.value).exists()
