"""Form fields for dd/mm/yyyy dates, CCCD numbers and names (core/forms.py)."""

import unicodedata
from datetime import date, datetime

import pytest
from django import forms
from django.utils import translation

from core.forms import CccdField, NameField, VNDateField
from core.validators import check_cccd

TODAY = date(2026, 6, 1)


def known(code):
    return code in {"001", "079"}


class PersonForm(forms.Form):
    full_name = NameField()
    cccd = CccdField(province_exists=known)
    date_of_birth = VNDateField(required=False)


def error_codes(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


# --- VNDateField ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("text", "expected"), [("05/02/2026", date(2026, 2, 5)), ("1/2/2026", date(2026, 2, 1))]
)
def test_date_field_reads_dd_mm_yyyy_in_both_languages(language, text, expected):
    with translation.override(language):
        assert VNDateField().clean(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/02/2024", "nonexistent"),
        ("2026-02-01", "invalid"),
        ("01/02/26", "invalid"),
        ("01/01/1899", "year_out_of_range"),
    ],
)
def test_date_field_errors_keep_the_parser_codes(text, code):
    with pytest.raises(forms.ValidationError) as excinfo:
        VNDateField().clean(text)
    assert excinfo.value.code == code


def test_date_field_empty_and_required():
    assert VNDateField(required=False).clean("") is None
    with pytest.raises(forms.ValidationError) as excinfo:
        VNDateField().clean("")
    assert excinfo.value.code == "required"


def test_date_field_accepts_date_objects():
    assert VNDateField().clean(date(2026, 2, 5)) == date(2026, 2, 5)
    assert VNDateField().clean(datetime(2026, 2, 5, 10, 30)) == date(2026, 2, 5)


def test_date_widget_has_placeholder_and_shows_dd_mm_yyyy():
    html = VNDateField().widget.render("d", date(2026, 2, 5))
    assert 'placeholder="dd/mm/yyyy"' in html
    # No inputmode="numeric": the iPhone numeric keypad has no "/" and the date could not be typed.
    assert "inputmode" not in html
    assert 'value="05/02/2026"' in html


def test_date_field_has_not_changed_when_the_same_date_is_retyped():
    assert VNDateField().has_changed(date(2026, 2, 5), "5/2/2026") is False
    assert VNDateField().has_changed(date(2026, 2, 5), "31/02/2026") is True


# --- CccdField -----------------------------------------------------------------------------------------


def test_cccd_field_strips_spaces_and_exposes_the_check():
    form = PersonForm(data={"full_name": "Lan", "cccd": " 001 203 004 567 "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cccd"] == "001203004567"
    result = form.fields["cccd"].cccd_check
    assert (result.province_code, result.birth_year, result.gender) == ("001", 2003, "male")
    assert result.warnings == ()


def test_cccd_field_keeps_warnings_of_a_legacy_cmnd():
    form = PersonForm(data={"full_name": "Lan", "cccd": "012345678"})
    assert form.is_valid(), form.errors
    assert form.fields["cccd"].cccd_check.warning_codes == ("cccd_legacy_cmnd",)


def test_cccd_field_refuses_a_province_code_that_was_never_issued():
    # The rule changed: an unknown province code was a warning, it is now a field error.
    form = PersonForm(data={"full_name": "Lan", "cccd": "999203004567"})
    assert not form.is_valid()
    assert form.errors.as_data()["cccd"][0].code == "cccd_unknown_province"
    assert form.fields["cccd"].cccd_check is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("00120300456", "cccd_length"),
        ("0012030045678", "cccd_length"),
        ("0012030045", "cccd_length"),
        ("00120300456A", "cccd_not_digits"),
        ("", "required"),
        ("   ", "required"),
    ],
)
def test_cccd_field_hard_errors(value, code):
    form = PersonForm(data={"full_name": "Lan", "cccd": value})
    assert not form.is_valid()
    assert error_codes(form, "cccd") == [code]
    assert form.fields["cccd"].cccd_check is None


def test_each_form_has_its_own_check():
    first = PersonForm(data={"full_name": "Lan", "cccd": "001203004567"})
    second = PersonForm(data={"full_name": "Lan", "cccd": "079185000001"})
    assert first.is_valid() and second.is_valid()
    assert first.fields["cccd"].cccd_check.province_code == "001"
    assert second.fields["cccd"].cccd_check.province_code == "079"
    assert PersonForm.base_fields["cccd"].cccd_check is None


def test_cccd_widget_asks_for_a_numeric_keyboard():
    assert 'inputmode="numeric"' in str(PersonForm()["cccd"])


def test_cross_field_checks_in_the_form_clean_as_documented():
    class ArtisanForm(PersonForm):
        def clean(self):
            cleaned = super().clean()
            if cleaned.get("cccd"):
                self.cccd_check = check_cccd(
                    cleaned["cccd"],
                    date_of_birth=cleaned.get("date_of_birth"),
                    province_exists=known,
                    today=TODAY,
                )
            return cleaned

    form = ArtisanForm(data={"full_name": "Lan", "cccd": "079185000001", "date_of_birth": "05/02/1958"})
    assert form.is_valid(), form.errors
    assert form.cccd_check.warning_codes == ("cccd_birth_year_mismatch",)


# --- NameField -----------------------------------------------------------------------------------------


def test_name_field_normalises_decomposed_vietnamese_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị Lan ")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    cleaned = NameField().clean(decomposed)
    assert cleaned == "Nguyễn Thị Lan"
    assert unicodedata.is_normalized("NFC", cleaned)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Nguyễn\x07Lan", "name_control_character"),
        ("12345", "name_without_letter"),
        ("a" * 256, "name_too_long"),
        ("", "required"),
    ],
)
def test_name_field_errors(value, code):
    form = PersonForm(data={"full_name": value, "cccd": "001203004567"})
    assert not form.is_valid()
    assert error_codes(form, "full_name") == [code]


def test_name_field_empty_when_optional():
    assert NameField(required=False).clean("  ") == ""
