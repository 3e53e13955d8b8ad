"""The demo round's councils: Hà Nội's provincial council, the ministerial and the State council.

TEMPORARY: built with the models directly, as demo/simulation.py builds its councils, until the council
services that record a council (and their own seed_councils) land; the signature stays the same.
Idempotent: a second run finds the same councils and memberships.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group

from accounts.models import AdministrativeUnit, Agency, User
from accounts.roles import Role
from councils.models import Council, Membership
from dossiers.models import Round

VOTING_MEMBERS = 11  # the chair and ten members

# level, name, demo member, demo secretary, agency name of the other members
COUNCILS = (
    (
        "provincial",
        "Hội đồng xét tặng cấp tỉnh Hà Nội",
        "uyvien.hanoi",
        "thuky.hanoi",
        "Sở Công Thương Hà Nội",
    ),
    ("ministerial", "Hội đồng xét tặng cấp Bộ Công Thương", "uyvien.bo", "thuky.bo", "Bộ Công Thương"),
    ("state", "Hội đồng xét tặng cấp Nhà nước", "uyvien.bo", "thuky.bo", "Bộ Công Thương"),
)


def seed_councils(*, round_: Round) -> dict[str, Council]:
    hanoi = AdministrativeUnit.objects.get(
        level=AdministrativeUnit.Level.PROVINCE, valid_to__isnull=True, code="01"
    )
    councils: dict[str, Council] = {}
    for level, name, member, secretary, agency_name in COUNCILS:
        council, _created = Council.objects.get_or_create(
            round=round_,
            level=level,
            province=hanoi if level == "provincial" else None,
            defaults={
                "name": name,
                "decision_number": f"{10 + len(councils)}/QĐ-{'UBND' if level == 'provincial' else 'BCT'}",
                "decision_date": date(2025, 8, 1),
                "decision_signer": "Chủ tịch" if level == "provincial" else "Bộ trưởng",
            },
        )
        agency = Agency.objects.get(name=agency_name)
        voters = [User.objects.get(username=member)] + [
            _member_account(f"{level}.{i:02d}", agency) for i in range(1, VOTING_MEMBERS)
        ]
        for i, user in enumerate(voters):
            role = Membership.Role.CHAIR if i == 1 else Membership.Role.MEMBER
            Membership.objects.get_or_create(council=council, user=user, defaults={"role": role})
        # The ministry's clerk also keeps the ministerial and State councils' records: only a ministry
        # clerk may record those councils' results in the procedure, which closing a ballot does.
        secretaries = [secretary] if level == "provincial" else [secretary, "chuyenvien.bct"]
        for username in secretaries:
            Membership.objects.get_or_create(
                council=council,
                user=User.objects.get(username=username),
                defaults={"role": Membership.Role.SECRETARY},
            )
        councils[level] = council
    return councils


def _member_account(tag: str, agency: Agency) -> User:
    username = f"uyvien.{tag}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=None,
            agency=agency,
            full_name=f"Ủy viên {tag}",
            email=f"{username}@demo.invalid",
        )
        user.groups.add(Group.objects.get(name=Role.COUNCIL_MEMBER.value))
    return user
