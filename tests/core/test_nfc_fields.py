"""Text typed decomposed (NFD) is stored NFC, spaces tidied, by every path that writes it: ``save``,
``objects.create``, ``update()``, ``full_clean`` and the model's form field (core.fields.NFCCharField)."""

import unicodedata
from datetime import date

import pytest
from django import forms

from accounts.models import AdministrativeUnit, Agency, User
from core.fields import NFCMixin
from councils.models import Council, PublicComment
from dossiers.models import Artisan, Award, Craft, CraftPeriod, Round, RoundMilestone, Work
from tests import factories as f

pytestmark = pytest.mark.django_db

TYPED = "  Nguyễn   Thị\u00a0Ngọc Ánh "
STORED = "Nguyễn Thị Ngọc Ánh"
DECOMPOSED = unicodedata.normalize("NFD", TYPED)

NFC_FIELDS = [
    (AdministrativeUnit, "name"),
    (Agency, "name"),
    (Agency, "parent_name"),
    (User, "full_name"),
    (User, "first_name"),
    (User, "last_name"),
    (Craft, "name"),
    (Artisan, "full_name"),
    (Artisan, "ethnicity"),
    (Artisan, "address_detail"),
    (Round, "name"),
    (RoundMilestone, "description"),
    (CraftPeriod, "place"),
    (Work, "name"),
    (Award, "competition"),
    (Award, "organiser"),
    (Council, "name"),
    (PublicComment, "full_name"),
    (PublicComment, "address"),
]


def _instance(model):
    if model is AdministrativeUnit:
        return f.province("01")
    if model is Agency:
        return f.department("01")
    if model is User:
        return f.user()
    if model is Craft:
        return Craft.objects.order_by("code").first()
    if model is Artisan:
        return f.artisan()
    if model is Round:
        return f.round_()
    if model is RoundMilestone:
        return RoundMilestone.objects.create(
            round=f.round_(), level="provincial", description="Nộp hồ sơ", due_on=date(2026, 3, 1)
        )
    dossier = f.dossier()
    if model is CraftPeriod:
        return CraftPeriod.objects.create(dossier=dossier, start=date(2000, 1, 1), end=date(2020, 1, 1))
    if model is Work:
        return Work.objects.create(dossier=dossier, name="Bình gốm", completed_on=date(2019, 1, 1))
    if model is Award:
        return Award.objects.create(
            dossier=dossier,
            competition="Hội chợ",
            organiser="Bộ Công Thương",
            level="first",
            scope="national",
            awarded_on=date(2019, 6, 1),
        )
    if model is Council:
        return Council.objects.create(
            round=dossier.round,
            level="ministerial",
            name="Hội đồng cấp Bộ",
            decision_number="1/QĐ-BCT",
            decision_date=date(2026, 1, 5),
            decision_signer="Bộ trưởng",
        )
    if model is PublicComment:
        return PublicComment.objects.create(
            dossier=dossier,
            full_name="Trần Văn Bình",
            phone="0912345678",
            address="Hà Nội",
            text="Ý kiến",
            posted_state="provincial_posted",
        )
    raise AssertionError(model)


def _stored(model, pk, name):
    return getattr(model.objects.get(pk=pk), name)


def test_typed_text_is_decomposed_and_untidy():
    assert DECOMPOSED != STORED and not unicodedata.is_normalized("NFC", DECOMPOSED)


@pytest.mark.parametrize(("model", "name"), NFC_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_field_is_an_nfc_field(model, name):
    assert isinstance(model._meta.get_field(name), NFCMixin)


@pytest.mark.parametrize(("model", "name"), NFC_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_save_stores_nfc(model, name):
    obj = _instance(model)
    setattr(obj, name, DECOMPOSED)
    obj.save()
    assert getattr(obj, name) == STORED  # the instance holds what was stored
    assert _stored(model, obj.pk, name) == STORED


@pytest.mark.parametrize(("model", "name"), NFC_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_update_stores_nfc(model, name):
    obj = _instance(model)
    model.objects.filter(pk=obj.pk).update(**{name: DECOMPOSED})
    assert _stored(model, obj.pk, name) == STORED


@pytest.mark.parametrize(("model", "name"), NFC_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_form_field_cleans_to_nfc(model, name):
    field = model._meta.get_field(name).formfield()
    assert field.clean(DECOMPOSED) == STORED


def test_create_and_exact_lookup_use_nfc():
    craft = Craft.objects.create(code="khac-go", name=DECOMPOSED)
    assert craft.name == STORED
    assert Craft.objects.get(name=DECOMPOSED) == craft


def test_full_clean_normalises_before_max_length():
    """255 decomposed letters are 765 code points, 255 once stored: within max_length."""
    decomposed = unicodedata.normalize("NFD", "ễ" * 255)
    work = Work(dossier=f.dossier(), name=decomposed, completed_on=date(2019, 1, 1))
    work.full_clean()
    assert work.name == "ễ" * 255
    form_field = Work._meta.get_field("name").formfield()
    assert isinstance(form_field, forms.CharField)
    assert form_field.clean(decomposed) == "ễ" * 255


def test_none_and_blank_stay_as_they_are():
    field = Artisan._meta.get_field("address_detail")
    assert field.to_python(None) is None
    assert field.to_python("") == ""
