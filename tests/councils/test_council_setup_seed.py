"""The demo's councils are recorded through the services, once."""

import io

import pytest
from django.core.management import call_command

from core.models import ActionRecord
from councils.models import Council, CouncilDecision, Membership
from demo.seed_councils import seed_councils
from dossiers.models import Round

pytestmark = pytest.mark.django_db


def test_seed_demo_records_the_three_councils_once_with_the_demo_members(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Council.objects.count(), Membership.objects.count(), CouncilDecision.objects.count())
    records = ActionRecord.objects.filter(action="council_record").count()
    call_command("seed_demo", stdout=io.StringIO())
    councils = seed_councils(round_=Round.objects.get(number=6))
    assert (Council.objects.count(), Membership.objects.count(), CouncilDecision.objects.count()) == counts
    assert ActionRecord.objects.filter(action="council_record").count() == records == 3
    assert set(councils) == {"provincial", "ministerial", "state"}
    assert {c.level for c in councils.values()} == {"provincial", "ministerial", "state"}

    def role_of(council, username):
        return council.memberships.current().get(user__username=username).role

    provincial = councils["provincial"]
    assert provincial.province.code == "01"
    assert role_of(provincial, "uyvien.hanoi") == Membership.Role.MEMBER
    assert role_of(provincial, "thuky.hanoi") == Membership.Role.SECRETARY
    assert provincial.memberships.current().filter(role__in=Membership.VOTING_ROLES).count() == 11
    for level in ("ministerial", "state"):
        assert role_of(councils[level], "uyvien.bo") == Membership.Role.MEMBER
        assert role_of(councils[level], "thuky.bo") == Membership.Role.SECRETARY
    others = Membership.objects.exclude(
        user__username__in=["uyvien.hanoi", "thuky.hanoi", "uyvien.bo", "thuky.bo"]
    )
    assert all(m.user.email.endswith("@demo.invalid") for m in others.select_related("user"))
