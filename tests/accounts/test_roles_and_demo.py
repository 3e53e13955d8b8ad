import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import Agency, User
from accounts.roles import ROLE_PERMISSIONS, Role
from dossiers.models import Round

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_exactly_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held == set(perms), role


def test_only_the_administrator_may_change_reference_data():
    for role in Role:
        group = Group.objects.get(name=role.value)
        can_change = group.permissions.filter(codename="change_administrativeunit").exists()
        assert can_change == (role is Role.SYSTEM_ADMINISTRATOR), role


def test_seed_demo_makes_one_user_per_role_and_is_idempotent(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    assert "canbo.hanoi" in out.getvalue()
    from demo.management.commands.seed_demo import DEMO_USERS

    demo_users = User.objects.filter(username__in=[row[0] for row in DEMO_USERS])
    assert demo_users.count() == len(DEMO_USERS)
    for role in Role:
        assert demo_users.filter(groups__name=role.value).exists(), role
    # the councils' other members are accounts of their own; the other roles have one demo user each
    for role in (
        Role.PROVINCIAL_OFFICER,
        Role.MINISTRY_CLERK,
        Role.MINISTRY_LEADER,
        Role.SYSTEM_ADMINISTRATOR,
    ):
        assert User.objects.filter(groups__name=role.value).count() == 1, role
    officer = User.objects.get(groups__name=Role.PROVINCIAL_OFFICER.value)
    assert officer.province.name == "Thành phố Hà Nội"
    assert officer.agency.kind == Agency.Kind.PROVINCIAL_DEPARTMENT
    login_request = RequestFactory().post("/dang-nhap/")  # django-axes needs the request (its address)
    assert authenticate(login_request, username=officer.username, password=settings.DEMO_PASSWORD) == officer
    assert Agency.objects.filter(kind=Agency.Kind.PROVINCIAL_DEPARTMENT).count() == 3
    round_6 = Round.objects.get()
    assert round_6.legal_basis == "43/2024/NĐ-CP"
    assert (round_6.number, round_6.plan_decision_number, round_6.plan_decision_date.isoformat()) == (
        6,
        "355/QĐ-BCT",
        "2025-02-10",
    )
    # two demo dossiers, received through the services, not duplicated by the second run
    from dossiers.eligibility import evaluate
    from dossiers.facts import facts_from_dossier
    from dossiers.models import Artisan, Dossier
    from dossiers.rulebook.selectors import rules_for_round

    demo = [
        Dossier.objects.get(artisan=Artisan.objects.with_cccd(c).get())
        for c in ("001062000101", "001158000202")
    ]
    outcomes = {d.title: evaluate(facts_from_dossier(d), rules_for_round(d.round)).overall for d in demo}
    assert outcomes == {"excellent": "met", "peoples": "not_met"}
    assert {d.state for d in demo} == {"submitted"}
    admin = User.objects.get(groups__name=Role.SYSTEM_ADMINISTRATOR.value)
    assert admin.is_staff and admin.is_superuser
    assert not officer.is_staff


def test_seed_demo_refuses_a_production_configuration(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-without-debug"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_names_are_stored_in_nfc():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị  Lan ")
    user = User.objects.create_user(username="u1", password="x-long-password", full_name=decomposed)
    user.refresh_from_db()
    assert user.full_name == "Nguyễn Thị Lan"
    assert unicodedata.is_normalized("NFC", user.full_name)


def test_demo_round_has_its_milestones_per_level(settings):
    from dossiers.models import Round

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    milestones = Round.objects.get(number=6).milestones.all()
    assert [m.level for m in milestones] == ["applicant", "provincial", "ministerial", "state"]
    assert milestones[0].due_on.isoformat() == "2025-09-30"


def test_demo_users_of_the_required_roles_have_a_fixed_demo_device(settings, time_machine):
    from datetime import UTC, datetime

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    time_machine.move_to(datetime(2026, 12, 1, 2, 0, tzinfo=UTC), tick=False)  # one code throughout
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent: still one device each
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True))
    assert with_device == {
        "uyvien.hanoi",
        "thuky.hanoi",
        "uyvien.bo",
        "thuky.bo",
        "chuyenvien.bct",
        "lanhdao.bct",
        "quantri",
    }
    assert TOTPDevice.objects.count() == len(with_device)
    device = TOTPDevice.objects.get(user__username="thuky.hanoi")
    assert bytes.fromhex(device.key).startswith(b"demo-otp-thuky.hanoi")
    out = io.StringIO()
    call_command("demo_otp_code", "thuky.hanoi", stdout=out)
    assert out.getvalue().strip() == f"{totp(device.bin_key):06d}"
    with pytest.raises(CommandError):
        call_command("demo_otp_code", "canbo.hanoi", stdout=io.StringIO())  # no device: not required
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_otp_code", "thuky.hanoi", stdout=io.StringIO())
