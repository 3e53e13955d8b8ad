"""The system administrators' pages (/quan-tri/nguoi-dung/, /quan-tri/co-quan/): only administrators
reach them; accounts are created with roles and an agency and get an invitation; every change is
recorded; an administrator cannot lock themselves out."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Agency, Invitation, User
from accounts.roles import Role, roles_of
from core.services import action_records_of
from tests import factories as f

pytestmark = pytest.mark.django_db

ADMIN = Role.SYSTEM_ADMINISTRATOR.value


@pytest.fixture
def admin(client):
    user = f.user(ADMIN, f.ministry(), full_name="Quản Trị Viên")
    client.force_login(user)
    client.user = user
    return client


def pages(target: User, agency: Agency) -> list[str]:
    return [
        reverse("admin_user_list"),
        reverse("admin_user_create"),
        reverse("admin_user_edit", args=[target.pk]),
        reverse("admin_user_reset_2fa", args=[target.pk]),
        reverse("admin_agency_list"),
        reverse("admin_agency_create"),
        reverse("admin_agency_edit", args=[agency.pk]),
    ]


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.SYSTEM_ADMINISTRATOR] + [None])
def test_no_other_role_reaches_the_pages_nor_their_writes(client, role):
    target, agency = f.officer("01"), f.department("31")
    client.force_login(f.user(role, f.ministry()))
    for url in pages(target, agency):
        assert client.get(url).status_code == 403, url
    posts = [
        (reverse("admin_user_invite", args=[target.pk]), {}),
        (reverse("admin_user_reset_2fa", args=[target.pk]), {"reason": "x", "confirm": "1"}),
        (reverse("admin_user_create"), {"full_name": "A", "email": "a@example.vn", "roles": [ADMIN]}),
        (reverse("admin_agency_edit", args=[agency.pk]), {"kind": "other", "name": "X", "short_name": "X"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not Invitation.objects.exists() and not User.objects.filter(email="a@example.vn").exists()
    assert Agency.objects.get(pk=agency.pk).kind == Agency.Kind.PROVINCIAL_DEPARTMENT


def test_anonymous_is_sent_to_sign_in():
    response = Client().get(reverse("admin_user_list"))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_administrator_opens_every_page_in_vietnamese(admin):
    target, agency = f.officer("01"), f.department("31")
    for url in pages(target, agency):
        response = admin.get(url)
        assert response.status_code == 200, url
    assert "Quản trị" in admin.get("/").text  # the menu link
    assert "Người dùng" in admin.get(reverse("admin_user_list")).text


def test_search_by_name(admin):
    f.user(full_name="Nguyễn Văn Gốm")
    f.user(full_name="Trần Thị Mây")
    text = admin.get(reverse("admin_user_list"), {"q": "Gốm"}).text
    assert "Nguyễn Văn Gốm" in text and "Trần Thị Mây" not in text


def test_create_an_account_sends_the_invitation_and_is_recorded(admin, django_capture_on_commit_callbacks):
    agency = f.department("01")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("admin_user_create"),
            {
                "full_name": "Lê  Thị Hoa",
                "email": "Le.Hoa@Example.vn",
                "roles": [Role.PROVINCIAL_OFFICER.value, Role.COUNCIL_MEMBER.value],
                "agency": agency.pk,
            },
        )
    user = User.objects.get(email="le.hoa@example.vn")
    assert response.status_code == 302 and response["Location"] == reverse("admin_user_edit", args=[user.pk])
    assert user.full_name == "Lê Thị Hoa" and user.agency == agency and not user.has_usable_password()
    assert roles_of(user) == {Role.PROVINCIAL_OFFICER, Role.COUNCIL_MEMBER}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["le.hoa@example.vn"]
    assert "/tai-khoan/loi-moi/" in mail.outbox[0].body
    records = list(action_records_of(user))
    assert [r.action for r in records] == ["user_created", "invitation_sent"]
    assert all(r.actor == admin.user for r in records)
    # the same e-mail address again is refused beside its field
    again = admin.post(
        reverse("admin_user_create"),
        {"full_name": "Ai Đó", "email": "le.hoa@example.vn", "roles": [Role.COUNCIL_MEMBER.value]},
    )
    assert again.status_code == 200 and "email" in again.context["form"].errors


def test_send_the_invitation_again_voids_the_earlier_one(admin, django_capture_on_commit_callbacks):
    target = f.user(email="moi@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("admin_user_invite", args=[target.pk]))
        admin.post(reverse("admin_user_invite", args=[target.pk]))
    assert len(mail.outbox) == 2
    first, second = Invitation.objects.filter(user=target).order_by("pk")
    assert first.voided_at is not None and second.voided_at is None
    assert [r.action for r in action_records_of(target)] == ["invitation_sent", "invitation_sent"]


def test_edit_roles_agency_and_active(admin):
    target = f.officer("01")
    other = f.department("31")
    response = admin.post(
        reverse("admin_user_edit", args=[target.pk]),
        {
            "full_name": "Cán Bộ Mới",
            "email": "canbo@example.vn",
            "roles": [Role.COUNCIL_SECRETARY.value],
            "agency": other.pk,
        },  # "is_active" unticked: deactivated
    )
    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert not target.is_active and target.agency == other
    assert set(target.groups.values_list("name", flat=True)) == {Role.COUNCIL_SECRETARY.value}
    (record,) = [r for r in action_records_of(target) if r.action == "user_changed"]
    assert record.actor == admin.user and record.data["is_active"] == [True, False]


def test_an_administrator_cannot_lock_themselves_out(admin):
    me = admin.user
    url = reverse("admin_user_edit", args=[me.pk])
    base = {"full_name": me.full_name, "email": "qt@example.vn", "agency": me.agency_id, "is_active": "on"}
    no_admin = admin.post(url, {**base, "roles": [Role.MINISTRY_CLERK.value]})
    assert no_admin.status_code == 200 and "roles" in no_admin.context["form"].errors
    inactive = {k: v for k, v in base.items() if k != "is_active"}
    deactivated = admin.post(url, {**inactive, "roles": [ADMIN]})
    assert deactivated.status_code == 200 and "is_active" in deactivated.context["form"].errors
    me.refresh_from_db()
    assert me.is_active and me.has_role(Role.SYSTEM_ADMINISTRATOR)
    assert not [r for r in action_records_of(me) if r.action == "user_changed"]
    # another administrator may do it
    other = Client()
    other.force_login(f.user(ADMIN, f.ministry()))
    assert other.post(url, {**inactive, "roles": [Role.MINISTRY_CLERK.value]}).status_code == 302
    assert not User.objects.get(pk=me.pk).is_active


def test_reset_the_second_factor_needs_confirmation(admin):
    target = f.user(Role.COUNCIL_MEMBER.value)
    TOTPDevice.objects.create(user=target, name="app", confirmed=True)
    url = reverse("admin_user_reset_2fa", args=[target.pk])
    unconfirmed = admin.post(url, {"reason": "Mất điện thoại"})
    assert unconfirmed.status_code == 200 and "confirm" in unconfirmed.context["form"].errors
    assert TOTPDevice.objects.filter(user=target).exists()
    assert admin.post(url, {"reason": "Mất điện thoại", "confirm": "on"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    (record,) = [r for r in action_records_of(target) if r.action == "second_factor_reset"]
    assert record.reason == "Mất điện thoại" and record.actor == admin.user


def test_agencies_create_and_edit(admin):
    response = admin.post(
        reverse("admin_agency_create"),
        {"kind": "provincial_department", "name": "Sở Công Thương Thử", "short_name": "SCT"},
    )
    assert response.status_code == 200 and "province" in response.context["form"].errors  # needs one
    province = f.province("31")
    response = admin.post(
        reverse("admin_agency_create"),
        {
            "kind": "provincial_department",
            "name": "Sở Công Thương Thử",
            "short_name": "SCT",
            "province": province.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Sở Công Thương Thử")
    assert agency.province == province
    admin.post(
        reverse("admin_agency_edit", args=[agency.pk]),
        {"kind": "other", "name": "Cơ quan khác", "short_name": "CQK", "province": province.pk},
    )
    agency.refresh_from_db()
    assert agency.kind == "other" and agency.province is None and not agency.is_active
    assert [r.action for r in action_records_of(agency)] == ["agency_created", "agency_changed"]
    assert "Cơ quan khác" in admin.get(reverse("admin_agency_list")).text
