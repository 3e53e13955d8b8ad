from datetime import date

import pytest
from django.contrib.auth.models import Group

from councils.models import Council, Membership, Session
from dossiers.models import DossierState
from notifications.events import EventType
from notifications.models import Preference
from tests import factories as f
from tests.workflows.conftest import set_state


def person(role: str, agency=None, *, language: str = "vi"):
    u = f.user(role, agency, language=language)
    u.email = f"{u.username}@example.vn"
    u.full_name = f"Người dùng {u.username}"
    u.save()
    return u


class People:
    """Every role, in Hà Nội (01) and in Hải Phòng (31), and the ministry."""

    def __init__(self):
        self.officer = person("provincial_officer", f.department("01"))
        self.officer_en = person("provincial_officer", f.department("01"), language="en")
        self.other_officer = person("provincial_officer", f.department("31"))
        self.secretary = person("council_secretary", f.department("01"))
        self.clerk = person("ministry_clerk", f.ministry())
        self.leader = person("ministry_leader", f.ministry())
        self.admin = person("system_administrator", f.ministry())
        self.outsider = person("council_member", f.department("01"))  # on no council

    def everyone(self):
        return [v for v in vars(self).values()]

    def mail_state_changes_at_once(self):
        """Everyone chooses to have each state change mailed at once (by default it waits for the daily
        digest: it asks nothing of them)."""
        for user in self.everyone():
            Preference.objects.create(
                user=user, event_type=EventType.DOSSIER_STATE_CHANGED, mode=Preference.Mode.IMMEDIATE
            )


@pytest.fixture
def people(db):
    return People()


@pytest.fixture
def dossier(people):
    return f.dossier("01")


def make_council(code="01", members=4):
    council = Council.objects.create(
        round=f.round_(),
        level="provincial",
        province=f.province(code),
        name=f"Hội đồng xét tặng cấp tỉnh {code}",
        decision_number="01/QĐ-UBND",
        decision_date=date(2025, 8, 1),
        decision_signer="Chủ tịch UBND",
    )
    voters = [
        Membership.objects.create(
            council=council,
            user=person("council_member", f.department(code)),
            role=Membership.Role.CHAIR if i == 0 else Membership.Role.MEMBER,
        )
        for i in range(members)
    ]
    secretary = Membership.objects.create(
        council=council, user=person("council_secretary", f.department(code)), role=Membership.Role.SECRETARY
    )
    return council, voters, secretary


@pytest.fixture
def council_session(people):
    council, voters, secretary = make_council()
    session = Session.objects.create(
        council=council, held_on=date(2025, 11, 20), place="Trụ sở Sở Công Thương"
    )
    items = [set_state(f.dossier("01"), DossierState.PROVINCIAL_REVIEW) for _ in range(2)]
    for d in items:
        session.agenda.add(d)
    session.present.set(voters)
    return session, voters, secretary, items


def group(name):
    return Group.objects.get(name=name)
