"""Django admin for the reference data and accounts: usable by the administrator, closed to others."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PAGES = [
    "admin:accounts_administrativeunit_changelist",
    "admin:accounts_agency_changelist",
    "admin:accounts_user_changelist",
    "admin:dossiers_round_changelist",
    "admin:core_workerheartbeat_changelist",
    "admin:auth_group_changelist",
]


@pytest.mark.parametrize("page", PAGES)
def test_administrator_opens_every_admin_page(admin_client, page):
    assert admin_client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("role", ["provincial_officer", "council_member", "ministry_clerk"])
def test_other_roles_are_kept_out_of_the_admin(client, role):
    user = User.objects.create_user(username="u", password="mat-khau-dai-1")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]


def test_admin_can_search_units_and_filter_provinces_in_force(admin_client):
    url = reverse("admin:accounts_administrativeunit_changelist")
    response = admin_client.get(url, {"q": "Hà Giang", "level": "province"})
    assert "Hà Giang" in response.text
    response = admin_client.get(url, {"level": "province", "valid_to__isempty": "1"})
    assert response.context["cl"].result_count == 34


def test_accounts_are_not_made_in_the_django_admin(client):
    """The administrators' pages make accounts (invitation, history); the admin's add form is closed."""
    from django.contrib.auth.models import Group

    from accounts.models import User

    admin_user = User.objects.create_superuser("quantri.test", "qt@example.vn", "mat-khau-dai-1")
    admin_user.groups.add(Group.objects.get(name="system_administrator"))
    from accounts.auth import session_pass_second_factor

    client.force_login(admin_user)
    session = client.session
    session_pass_second_factor(session, admin_user, device_name="app")
    session.save()
    assert client.get("/quan-tri/accounts/user/").status_code == 200
    assert client.get("/quan-tri/accounts/user/add/").status_code == 403
