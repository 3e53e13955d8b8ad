"""Receiving an artisan and a dossier: bad input is refused with a clear message and nothing is saved."""

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.validators import check_cccd
from dossiers.consent import CONSENT_VERSION
from dossiers.models import Artisan, CraftPeriod, Dossier, Work
from dossiers.rulebook.services import round_rule_override
from dossiers.services.intake import (
    AwardInput,
    PeriodInput,
    PriorTitleInput,
    TraineeInput,
    WorkInput,
    artisan_create,
    dossier_create,
    dossier_receive,
    dossier_update_evidence,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def artisan_kwargs(**over):
    prov = f.province("01")
    values = {
        "full_name": unicodedata.normalize("NFD", "Nguyễn Thị Hồng"),
        "gender": "female",
        "date_of_birth": date(1968, 3, 12),
        "ethnicity": "Kinh",
        "cccd": "001168012345",
        "province": prov,
        "commune": f.commune_of(prov),
        "craft": f.Craft.objects.first(),
        "consent_version": CONSENT_VERSION,
    }
    values.update(over)
    return values


def test_artisan_name_typed_decomposed_is_stored_nfc_and_cccd_checked():
    officer = f.officer()
    artisan, warnings = artisan_create(by=officer, **artisan_kwargs())
    artisan.refresh_from_db()
    assert artisan.full_name == "Nguyễn Thị Hồng"
    assert unicodedata.is_normalized("NFC", artisan.full_name)
    assert warnings == ()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"cccd": "00116801234"}, "cccd"),  # 11 digits
        ({"cccd": "00116801234X"}, "cccd"),
        ({"date_of_birth": date(2027, 1, 1)}, "date_of_birth"),
        ({"commune": None}, "commune"),  # replaced below by a commune of another province
        ({"date_of_death": date(2020, 1, 1)}, "date_of_death"),  # alive with a death date
    ],
)
def test_bad_artisan_input_is_refused_and_nothing_saved(over, field):
    if "commune" in over:
        over = {"commune": f.commune_of(f.province("31"))}
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        artisan_create(by=f.officer(), **artisan_kwargs(**over))
    assert field in exc.value.message_dict
    assert not Artisan.objects.exists()


def test_cccd_error_is_in_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        artisan_create(by=f.officer(), **artisan_kwargs(cccd="12345"))
    assert "12 chữ số" in exc.value.message_dict["cccd"][0]


def test_unknown_cccd_province_code_is_an_error_not_a_warning():
    # The rule changed: 003 was never issued (Hà Giang is 002, Cao Bằng 004), so the number is refused.
    with pytest.raises(ValidationError) as exc:
        artisan_create(by=f.officer(), **artisan_kwargs(cccd="003168012345"))
    assert "cccd" in exc.value.message_dict
    assert not Artisan.objects.exists()


def test_birth_year_mismatch_is_a_warning():
    _artisan, warnings = artisan_create(by=f.officer(), **artisan_kwargs(cccd="001170012345"))
    assert len(warnings) == 1


def test_same_cccd_twice_is_refused_cleanly():
    artisan_create(by=f.officer(), **artisan_kwargs())
    with pytest.raises(ValidationError) as exc:
        artisan_create(by=f.officer(), **artisan_kwargs())
    assert "cccd" in exc.value.message_dict
    assert Artisan.objects.count() == 1


def dossier_kwargs(officer, **over):
    values = {
        "round": f.round_(),
        "artisan": f.artisan(),
        "title": "excellent",
        "receiving_agency": officer.agency,
        "channel": "post",
        "received_on": date(2025, 9, 20),
    }
    values.update(over)
    return values


def test_officer_receives_a_dossier_for_their_department():
    officer = f.officer("01")
    dossier = dossier_create(by=officer, **dossier_kwargs(officer))
    assert dossier.province == officer.agency.province


def test_officer_of_another_province_cannot_receive_for_this_department():
    officer, other = f.officer("01"), f.officer("31")
    with pytest.raises(PermissionDenied):
        dossier_create(by=other, **dossier_kwargs(officer))
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"received_on": date(2027, 1, 1)}, "received_on"),
        ({"posthumous": True}, "posthumous"),  # the artisan is alive
        ({"channel": "fax"}, "channel"),
        ({"title": "honorary"}, "title"),
    ],
)
def test_bad_dossier_input_is_refused(over, field):
    officer = f.officer()
    with pytest.raises(ValidationError) as exc:
        dossier_create(by=officer, **dossier_kwargs(officer, **over))
    assert field in exc.value.message_dict
    assert not Dossier.objects.exists()


def test_one_dossier_per_artisan_per_round():
    officer = f.officer()
    kwargs = dossier_kwargs(officer)
    dossier_create(by=officer, **kwargs)
    with pytest.raises(ValidationError) as exc:
        dossier_create(by=officer, **{**kwargs, "title": "peoples"})
    assert "artisan" in exc.value.message_dict


GOOD = {
    "periods": [
        PeriodInput(date(1990, 1, 1), date(2004, 12, 31)),
        PeriodInput(date(2006, 1, 1), date(2025, 8, 31)),
    ],
    "works": [
        WorkInput(
            "Bình gốm men lam",
            date(2019, 5, 1),
            awards=(
                AwardInput(
                    "Hội thi sản phẩm thủ công mỹ nghệ",
                    "Bộ Công Thương",
                    "second",
                    "national",
                    date(2019, 9, 1),
                    organiser_is_competent=True,
                ),
            ),
        )
    ],
    "trainees": [TraineeInput(120, date(2000, 1, 1), date(2024, 12, 31))],
}


def test_evidence_is_saved_then_replaced_as_a_whole():
    officer = f.officer()
    dossier = dossier_create(by=officer, **dossier_kwargs(officer))
    dossier_update_evidence(dossier=dossier, by=officer, **GOOD)
    assert dossier.craft_periods.count() == 2 and dossier.works.get().awards.count() == 1
    dossier_update_evidence(dossier=dossier, by=officer, **{**GOOD, "periods": GOOD["periods"][:1]})
    assert dossier.craft_periods.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {
            "periods": [
                PeriodInput(date(2000, 1, 1), date(2010, 1, 1)),
                PeriodInput(date(2009, 6, 1), date(2015, 1, 1)),
            ]
        },
        {"periods": [PeriodInput(date(2010, 1, 1), date(2000, 1, 1))]},
        {"periods": [PeriodInput(date(1950, 1, 1), date(1970, 1, 1))]},  # before birth (1960)
        {"trainees": [TraineeInput(0, date(2000, 1, 1), date(2001, 1, 1))]},
    ],
)
def test_bad_evidence_is_refused_and_the_previous_evidence_kept(bad):
    officer = f.officer()
    dossier = dossier_create(by=officer, **dossier_kwargs(officer))
    dossier_update_evidence(dossier=dossier, by=officer, **GOOD)
    with pytest.raises(ValidationError):
        dossier_update_evidence(dossier=dossier, by=officer, **{**GOOD, **bad})
    assert CraftPeriod.objects.filter(dossier=dossier).count() == 2
    assert Work.objects.filter(dossier=dossier).count() == 1


def test_work_declared_after_the_award_but_dated_before_it_is_refused():
    officer = f.officer()
    dossier = dossier_create(by=officer, **dossier_kwargs(officer, title="peoples"))
    prior = [PriorTitleInput("excellent", "handicraft", "1234/QĐ-CTN", date(2019, 8, 1))]
    works = [WorkInput("Tượng gỗ", date(2019, 8, 1), made_after_title=True)]  # the same day: not after
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        dossier_update_evidence(dossier=dossier, by=officer, **{**GOOD, "works": works}, prior_titles=prior)
    assert "01/08/2019" in exc.value.message_dict["works"][0]
    works = [WorkInput("Tượng gỗ", date(2019, 8, 2), made_after_title=True)]
    dossier_update_evidence(dossier=dossier, by=officer, **{**GOOD, "works": works}, prior_titles=prior)
    assert dossier.artisan.prior_titles.get().decision_number == "1234/QĐ-CTN"


def test_a_work_of_the_title_date_is_accepted_when_the_rounds_rule_counts_it():
    # Eligibility and evidence entry read the same rule of the round (nnnd.work_made_on_title_date_counts).
    officer = f.officer()
    dossier = dossier_create(by=officer, **dossier_kwargs(officer, title="peoples"))
    round_rule_override(
        round=dossier.round,
        key="nnnd.work_made_on_title_date_counts",
        value=True,
        reason="Hướng dẫn của Bộ",
        by=f.user("system_administrator"),
    )
    prior = [PriorTitleInput("excellent", "handicraft", "1234/QĐ-CTN", date(2019, 8, 1))]
    same_day = [WorkInput("Tượng gỗ", date(2019, 8, 1), made_after_title=True)]
    dossier_update_evidence(dossier=dossier, by=officer, **{**GOOD, "works": same_day}, prior_titles=prior)
    assert Work.objects.get(dossier=dossier).completed_on == date(2019, 8, 1)
    day_before = [WorkInput("Tượng gỗ", date(2019, 7, 31), made_after_title=True)]
    with pytest.raises(ValidationError):
        dossier_update_evidence(
            dossier=dossier, by=officer, **{**GOOD, "works": day_before}, prior_titles=prior
        )


def test_officer_of_another_province_cannot_change_the_evidence():
    officer = f.officer("01")
    dossier = dossier_create(by=officer, **dossier_kwargs(officer))
    with pytest.raises(PermissionDenied):
        dossier_update_evidence(dossier=dossier, by=f.officer("31"), **GOOD)


FORMER_PROVINCES = json.loads(
    (Path(__file__).resolve().parents[2] / "accounts/data/former_provinces_2008.json").read_text(
        encoding="utf-8"
    )
)["provinces"]
ISSUED = sorted(p["cccd_code"] for p in FORMER_PROVINCES)


def test_the_63_former_province_codes_are_the_issued_ones():
    assert len(ISSUED) == 63
    for code in ISSUED:
        assert check_cccd(f"{code}168012345").province_code == code


@pytest.mark.parametrize("code", ["000", f"{int(ISSUED[-1]) + 1:03d}", "999"])
def test_a_cccd_whose_province_code_was_never_issued_is_refused_with_nothing_saved(code):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        artisan_create(by=f.officer(), **artisan_kwargs(cccd=f"{code}168012345"))
    assert f"{code} không phải mã của tỉnh nào" in exc.value.message_dict["cccd"][0]
    assert not Artisan.objects.exists()


def test_sex_and_century_remain_warnings_for_an_issued_code():
    artisan, warnings = artisan_create(by=f.officer(), **artisan_kwargs(cccd="001068012345"))  # a man's
    assert artisan.pk and len(warnings) == 1


# --- posthumous nominations ------------------------------------------------------------------------

FILER = {"filer_kind": "relative", "filer_name": "Trần Văn Bình", "filer_relationship": "con trai"}


def deceased(died):
    return f.artisan(is_deceased=True, date_of_death=died)


def test_a_posthumous_dossier_records_who_files_it():
    officer = f.officer()
    dossier = dossier_create(
        by=officer, **dossier_kwargs(officer, artisan=deceased(date(2025, 3, 1)), posthumous=True, **FILER)
    )
    dossier.refresh_from_db()
    assert (dossier.posthumous, dossier.filer_kind, dossier.filer_name, dossier.filer_relationship) == (
        True,
        "relative",
        "Trần Văn Bình",
        "con trai",
    )


@pytest.mark.parametrize(
    ("died", "accepted"),
    [
        (date(2025, 9, 19), True),  # the day before the receipt (20/09/2025)
        (date(2025, 9, 20), False),  # the day of the receipt: not before it
        (date(2025, 9, 21), False),  # after it: a death during the procedure
    ],
)
def test_a_posthumous_dossier_needs_a_death_before_the_receipt(died, accepted):
    officer = f.officer()
    kwargs = dossier_kwargs(officer, artisan=deceased(died), posthumous=True, **FILER)
    if accepted:
        assert dossier_create(by=officer, **kwargs).posthumous
        return
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        dossier_create(by=officer, **kwargs)
    assert "20/09/2025" in exc.value.message_dict["date_of_death"][0]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"filer_kind": ""}, "filer_kind"),
        ({"filer_kind": "neighbour"}, "filer_kind"),
        ({"filer_name": " "}, "filer_name"),
        ({"filer_relationship": ""}, "filer_name"),
    ],
)
def test_a_posthumous_dossier_without_its_filer_is_refused(over, field):
    officer = f.officer()
    kwargs = dossier_kwargs(officer, artisan=deceased(date(2025, 3, 1)), posthumous=True, **{**FILER, **over})
    with pytest.raises(ValidationError) as exc:
        dossier_create(by=officer, **kwargs)
    assert field in exc.value.message_dict


def test_a_posthumous_dossier_without_a_death_date_is_refused():
    officer = f.officer()
    kwargs = dossier_kwargs(officer, artisan=f.artisan(is_deceased=True), posthumous=True, **FILER)
    with pytest.raises(ValidationError) as exc:
        dossier_create(by=officer, **kwargs)
    assert "date_of_death" in exc.value.message_dict


def receive_kwargs(officer, *, cccd, **artisan_over):
    artisan = artisan_kwargs(cccd=cccd, **artisan_over)
    dossier = dossier_kwargs(officer)
    del dossier["artisan"]
    return {"artisan": artisan, "dossier": dossier}


def test_a_deceased_artisans_cccd_is_optional_where_the_rulebook_says_so():
    officer = f.officer()
    args = receive_kwargs(officer, cccd="", is_deceased=True, date_of_death=date(2025, 3, 1))
    args["dossier"].update(posthumous=True, **FILER)
    dossier, warnings = dossier_receive(by=officer, **args)
    assert dossier.artisan.cccd == "" and warnings == ()
    assert dossier.artisan.cccd_index is None
    # a second deceased artisan without a number: no clash on the unique index
    args2 = receive_kwargs(officer, cccd=" ", is_deceased=True, date_of_death=date(2025, 3, 2))
    args2["dossier"].update(posthumous=True, **FILER)
    assert dossier_receive(by=officer, **args2)[0].artisan.cccd == ""


def test_a_deceased_artisans_cccd_is_required_when_the_round_overrides_the_rule():
    officer = f.officer()
    args = receive_kwargs(officer, cccd="", is_deceased=True, date_of_death=date(2025, 3, 1))
    args["dossier"].update(posthumous=True, **FILER)
    round_rule_override(
        round=args["dossier"]["round"],
        key="intake.cccd_required_for_deceased",
        value=True,
        reason="Hướng dẫn của Bộ",
        by=f.user("system_administrator"),
    )
    with pytest.raises(ValidationError) as exc:
        dossier_receive(by=officer, **args)
    assert "cccd" in exc.value.message_dict
    assert not Artisan.objects.filter(is_deceased=True).exists()


def test_a_living_artisans_cccd_is_always_required():
    officer = f.officer()
    with pytest.raises(ValidationError) as exc:
        dossier_receive(by=officer, **receive_kwargs(officer, cccd=""))
    assert "cccd" in exc.value.message_dict


def test_a_deceased_artisans_cccd_when_given_is_still_checked():
    officer = f.officer()
    args = receive_kwargs(officer, cccd="000168012345", is_deceased=True, date_of_death=date(2025, 3, 1))
    args["dossier"].update(posthumous=True, **FILER)
    with pytest.raises(ValidationError) as exc:
        dossier_receive(by=officer, **args)
    assert "cccd" in exc.value.message_dict
