"""CCCD numbers, names and dd/mm/yyyy dates (core/validators.py). Errors are matched by code, not text."""

import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.validators import check_cccd, parse_vn_date, validate_cccd, validate_nfc_name

TODAY = date(2026, 6, 1)
FORMER_PROVINCES = {"001", "079", "096"}  # Hà Nội, TP Hồ Chí Minh, Cà Mau


def known(code):
    return code in FORMER_PROVINCES


def check(value, **kwargs):
    kwargs.setdefault("province_exists", known)
    kwargs.setdefault("today", TODAY)
    return check_cccd(value, **kwargs)


def error_code(call, *args):
    with pytest.raises(ValidationError) as excinfo:
        call(*args)
    return excinfo.value.code


# --- CCCD: hard errors ---------------------------------------------------------------------------------


def test_twelve_digits_decode():
    result = check("001203004567")
    assert result.number == "001203004567"
    assert result.legacy_cmnd is False
    assert result.province_code == "001"
    assert result.birth_year == 2003
    assert result.gender == "male"
    assert result.warnings == ()
    assert result.warning_codes == ()


@pytest.mark.parametrize("value", ["001 203 004 567", " 001203004567 ", "001\u00a0203\t004567"])
def test_spaces_are_stripped(value):
    assert check(value).number == "001203004567"
    validate_cccd(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "cccd_empty"),
        ("   ", "cccd_empty"),
        (None, "cccd_empty"),
        ("00120300456", "cccd_length"),  # 11
        ("0012030045678", "cccd_length"),  # 13
        ("0012030045", "cccd_length"),  # 10
        ("00120300456A", "cccd_not_digits"),
        ("001-203-004-567", "cccd_not_digits"),
        ("００１２０３００４５６７", "cccd_not_digits"),  # fullwidth digits
        ("²01203004567", "cccd_not_digits"),  # str.isdigit() would say yes
    ],
)
def test_hard_errors(value, code):
    assert error_code(validate_cccd, value) == code
    assert error_code(check, value) == code


def test_nine_digits_are_a_legacy_cmnd_with_a_warning():
    validate_cccd("012345678")
    result = check("012 345 678", date_of_birth=date(1970, 1, 1), gender="female")
    assert result.number == "012345678"
    assert result.legacy_cmnd is True
    assert (result.province_code, result.birth_year, result.gender) == ("", None, None)
    assert result.warning_codes == ("cccd_legacy_cmnd",)
    assert len(result.warnings) == 1


# --- CCCD: decoding and soft cross-checks --------------------------------------------------------------


@pytest.mark.parametrize(
    ("digit", "year", "gender"),
    [
        ("0", 1985, "male"),
        ("1", 1985, "female"),
        ("2", 2085, "male"),
        ("3", 2085, "female"),
        ("4", 2185, "male"),
        ("5", 2185, "female"),
        ("6", 2285, "male"),
        ("7", 2285, "female"),
        ("8", 1885, "male"),
        ("9", 1885, "female"),
    ],
)
def test_century_and_gender_digit(digit, year, gender):
    result = check(f"079{digit}85123456")
    assert (result.birth_year, result.gender) == (year, gender)


def test_birth_year_this_year_is_not_future():
    assert check("079326000001").warning_codes == ()  # 2026 == TODAY.year


def test_birth_year_in_the_future_warns():
    result = check("079327000001")  # 2027, a year after TODAY
    assert result.warning_codes == ("cccd_future_birth_year",)
    assert "2027" in result.warnings[0]


def test_a_2100s_number_is_in_the_future():
    assert "cccd_future_birth_year" in check("079400000001").warning_codes


def test_today_defaults_to_the_date_in_vietnam():
    far = check_cccd("079499000001", province_exists=known)  # 2199
    assert far.warning_codes == ("cccd_future_birth_year",)


def test_birth_year_matching_date_of_birth_does_not_warn():
    assert check("079185000001", date_of_birth=date(1985, 12, 31)).warning_codes == ()


def test_birth_year_differing_from_date_of_birth_warns():
    result = check("079185000001", date_of_birth=date(1958, 1, 5))
    assert result.warning_codes == ("cccd_birth_year_mismatch",)


@pytest.mark.parametrize(("number", "gender"), [("079085000001", "female"), ("079185000001", "male")])
def test_gender_differing_warns(number, gender):
    assert check(number, gender=gender).warning_codes == ("cccd_gender_mismatch",)


@pytest.mark.parametrize(("number", "gender"), [("079085000001", "male"), ("079185000001", "female")])
def test_gender_matching_does_not_warn(number, gender):
    assert check(number, gender=gender).warning_codes == ()


def test_unknown_gender_value_is_a_programming_error():
    with pytest.raises(ValueError):
        check("079085000001", gender="M")


@pytest.mark.parametrize("code", ["000", "097", "100", "999"])
def test_unknown_province_code_is_a_hard_error(code):
    # The rule changed: a code that was never issued is refused, not only warned about.
    with pytest.raises(ValidationError) as excinfo:
        check(f"{code}085000001")
    assert excinfo.value.code == "cccd_unknown_province"
    with translation.override("vi"):
        message = excinfo.value.messages[0]
    assert code in message and "không phải mã của tỉnh nào" in message


def test_province_lookup_receives_the_three_digit_code():
    seen = []
    check("096085000001", province_exists=lambda code: seen.append(code) or True)
    assert seen == ["096"]


def test_the_default_province_lookup_is_named_by_a_setting(settings):
    settings.CCCD_PROVINCE_LOOKUP = "tests.core.test_validators.known"
    assert check_cccd("079085000001", today=TODAY).warning_codes == ()
    assert error_code(lambda: check_cccd("080085000001", today=TODAY)) == "cccd_unknown_province"


def test_warnings_accumulate_in_a_stable_order():
    result = check("079327000001", date_of_birth=date(2000, 1, 1), gender="male")
    assert result.warning_codes == (
        "cccd_future_birth_year",
        "cccd_birth_year_mismatch",
        "cccd_gender_mismatch",
    )
    assert len(result.warnings) == 3
    assert all(isinstance(message, str) for message in result.warnings)


def test_check_result_is_frozen():
    result = check("001203004567")
    with pytest.raises(AttributeError):
        result.number = "x"


# --- Names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Nguyễn Thị Lan", "Đặng Văn Ơn", "Y Moan Ênuôl", "A", "Hợp tác xã 19/5"])
def test_ordinary_names_pass(name):
    validate_nfc_name(name)


@pytest.mark.parametrize("name", ["Nguyễn\x00Lan", "Lan\x07", "Lan\u200b", "Lan\u202eabc", "Lan\x7f"])
def test_control_and_invisible_characters_are_rejected(name):
    assert error_code(validate_nfc_name, name) == "name_control_character"


@pytest.mark.parametrize("name", ["", "   ", "123", "-.-", "\u0301\u0323"])
def test_a_name_needs_a_letter(name):
    assert error_code(validate_nfc_name, name) == "name_without_letter"


def test_name_length_limit_is_255_counted_in_nfc():
    validate_nfc_name("a" * 255)
    assert error_code(validate_nfc_name, "a" * 256) == "name_too_long"
    decomposed = unicodedata.normalize("NFD", "ễ" * 255)  # 765 code points, 255 once stored
    validate_nfc_name(decomposed)


# --- Dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/02/2024", date(2024, 2, 29)),
        ("1/2/2026", date(2026, 2, 1)),
        ("05/02/2026", date(2026, 2, 5)),
        (" 05/02/2026 ", date(2026, 2, 5)),
        ("01/01/1900", date(1900, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
    ],
)
def test_valid_dates(text, expected):
    assert parse_vn_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("29/02/2023", "nonexistent"),
        ("31/02/2024", "nonexistent"),
        ("31/04/2025", "nonexistent"),
        ("00/01/2020", "nonexistent"),
        ("32/01/2020", "nonexistent"),
        ("15/13/2020", "nonexistent"),
        ("15/00/2020", "nonexistent"),
        ("01/02/26", "invalid"),
        ("2026-02-01", "invalid"),
        ("01-02-2026", "invalid"),
        ("01.02.2026", "invalid"),
        ("001/02/2026", "invalid"),
        ("01/02/02026", "invalid"),
        ("1/2/2026 10:00", "invalid"),
        ("", "invalid"),
        ("０１/０２/２０２６", "invalid"),
        ("31/12/1899", "year_out_of_range"),
        ("01/01/2101", "year_out_of_range"),
        ("01/01/0000", "year_out_of_range"),
    ],
)
def test_rejected_dates(text, code):
    assert error_code(parse_vn_date, text) == code


def test_date_error_names_the_format_and_an_example():
    with pytest.raises(ValidationError) as excinfo:
        parse_vn_date("2026-02-01")
    message = excinfo.value.messages[0]
    assert "dd/mm/yyyy" in message
    assert "05/02/2026" in message


@hypothesis_settings(database=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_valid_date_round_trips(value):
    assert parse_vn_date(value.strftime("%d/%m/%Y")) == value
    assert parse_vn_date(f"{value.day}/{value.month}/{value.year}") == value
