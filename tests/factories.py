"""Builders for test data on the real models (reference data and rulebook v1 come from migrations)."""

from datetime import date
from itertools import count

from django.contrib.auth.models import Group

from accounts.models import AdministrativeUnit, Agency, User
from dossiers.models import Artisan, Craft, Dossier, Round
from dossiers.rulebook.selectors import rulebook_latest

_seq = count(1)


def province(code: str = "01") -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level="province", code=code, valid_to__isnull=True)


def commune_of(prov: AdministrativeUnit) -> AdministrativeUnit:
    return AdministrativeUnit.objects.filter(parent=prov).order_by("code").first()


def department(code: str = "01") -> Agency:
    prov = province(code)
    agency, _ = Agency.objects.get_or_create(
        kind=Agency.Kind.PROVINCIAL_DEPARTMENT,
        name=f"Sở Công Thương {prov.name}",
        defaults={"short_name": "SCT", "province": prov},
    )
    return agency


def ministry() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        kind=Agency.Kind.MINISTRY_UNIT, name="Bộ Công Thương", defaults={"short_name": "BCT"}
    )
    return agency


def user(role: str | None = None, agency: Agency | None = None, **extra) -> User:
    u = User.objects.create_user(
        username=f"user{next(_seq)}", password="mat-khau-dai-1", agency=agency, **extra
    )
    if role:
        u.groups.add(Group.objects.get(name=role))
    return u


def officer(code: str = "01") -> User:
    return user("provincial_officer", department(code))


def round_(number: int = 6) -> Round:
    obj, _ = Round.objects.get_or_create(
        number=number,
        defaults={
            "name": f"Lần thứ {number}",
            "plan_decision_number": "355/QĐ-BCT",
            "plan_decision_date": date(2025, 2, 10),
            "rulebook": rulebook_latest(),
        },
    )
    return obj


def artisan(code: str = "01", by: User | None = None, **fields) -> Artisan:
    prov = province(code)
    n = next(_seq)
    values = {
        "full_name": "Nguyễn Văn An",
        "gender": "male",
        "date_of_birth": date(1960, 5, 1),
        "ethnicity": "Kinh",
        "cccd": f"0010600{n:05d}",
        "province": prov,
        "commune": commune_of(prov),
        "craft": Craft.objects.order_by("code").first(),
        "created_by": by or user(),
    }
    values.update(fields)
    return Artisan.objects.create(**values)


def dossier(code: str = "01", title: str = "excellent", **fields) -> Dossier:
    agency = department(code)
    values = {
        "round": round_(),
        "artisan": artisan(code),
        "title": title,
        "receiving_agency": agency,
        "province": agency.province,
        "channel": "in_person",
        "received_on": date(2025, 9, 20),
        "created_by": user(),
    }
    values.update(fields)
    return Dossier.objects.create(**values)


def pdf_bytes(label: str = "") -> bytes:
    """A small, well-formed one-page PDF (the upload check opens every PDF), distinct per label."""
    from demo.files import pdf_bytes as make

    return make(label)
