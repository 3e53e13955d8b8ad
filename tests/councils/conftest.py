from datetime import date

import pytest

from councils.models import Council, Membership, Session
from dossiers.models import DossierState
from tests import factories as f
from tests.workflows.conftest import set_state


def make_council(members: int = 11, code: str = "01", level: str = "provincial"):
    """A council of `members` voting members (the first is the chair) and a secretary."""
    council = Council.objects.create(
        round=f.round_(),
        level=level,
        province=f.province(code) if level == "provincial" else None,
        name=f"Hội đồng xét tặng cấp tỉnh {code}",
        decision_number="01/QĐ-UBND",
        decision_date=date(2025, 8, 1),
        decision_signer="Chủ tịch UBND",
    )
    voters = []
    for i in range(members):
        role = Membership.Role.CHAIR if i == 0 else Membership.Role.MEMBER
        voters.append(
            Membership.objects.create(
                council=council, user=f.user("council_member", f.department(code)), role=role
            )
        )
    secretary = Membership.objects.create(
        council=council, user=f.user("council_secretary", f.department(code)), role=Membership.Role.SECRETARY
    )
    return council, voters, secretary


def make_session(council, *, dossiers=1, code="01"):
    session = Session.objects.create(
        council=council, held_on=date(2025, 11, 20), place="Trụ sở Sở Công Thương"
    )
    items = [set_state(f.dossier(code), DossierState.PROVINCIAL_REVIEW) for _ in range(dossiers)]
    return session, items


@pytest.fixture
def council11():
    return make_council(11)


def declare_no_conflict(session, dossiers, memberships):
    """Each member declares, before voting, that they have no conflict of interest with each dossier
    (no ballot without a declaration)."""
    from councils.conflicts import conflict_declare

    for dossier in dossiers:
        for membership in memberships:
            conflict_declare(session=session, dossier=dossier, by=membership.user, status="none")
