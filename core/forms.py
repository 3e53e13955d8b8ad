"""Form fields for what Vietnamese users type: dates dd/mm/yyyy, CCCD numbers, names."""

from collections.abc import Callable
from datetime import date, datetime

from django import forms

from core.text import to_nfc
from core.validators import CccdCheck, check_cccd, parse_vn_date, validate_cccd, validate_nfc_name


class VNDateField(forms.DateField):
    """A date typed dd/mm/yyyy (or d/m/yyyy), read by ``parse_vn_date`` whatever the active language.

    Errors keep the codes of ``parse_vn_date``: ``invalid``, ``nonexistent``, ``year_out_of_range``.
    """

    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return parse_vn_date(str(value))


class CccdField(forms.CharField):
    """A CCCD number: spaces removed, the hard checks of ``validate_cccd`` as field errors.

    After the form is cleaned, the decoded number and its warnings are on the form's copy of the field::

        check = form.fields["cccd"].cccd_check   # CccdCheck, or None if empty or invalid
        check.warnings                            # translated messages to show beside the field

    That check knows only the number. To cross-check it with other fields, do it in the form's
    ``clean()`` and keep the result, for example::

        def clean(self):
            cleaned = super().clean()
            if cleaned.get("cccd"):
                self.cccd_check = check_cccd(
                    cleaned["cccd"], date_of_birth=cleaned.get("date_of_birth"), gender=cleaned.get("gender")
                )
            return cleaned

    ``province_exists`` is passed to ``check_cccd`` (None: the default database lookup).
    """

    default_validators = [validate_cccd]

    def __init__(self, *, province_exists: Callable[[str], object] | None = None, **kwargs):
        self.province_exists = province_exists
        self.cccd_check: CccdCheck | None = None
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(value.split()) if value else value

    def clean(self, value):
        self.cccd_check = None
        number = super().clean(value)
        if number:
            self.cccd_check = check_cccd(number, province_exists=self.province_exists)
        return number


class NFCCharField(forms.CharField):
    """One-line text cleaned to Unicode NFC with its spaces tidied (``to_nfc``), as the model field
    ``core.fields.NFCCharField`` stores it (and its default form field): ``max_length`` and the validators
    see the stored text."""

    def to_python(self, value):
        value = super().to_python(value)
        return to_nfc(value) if value else value


class NameField(NFCCharField):
    """A name, stored in Unicode NFC with its spaces tidied (``to_nfc``), checked by ``validate_nfc_name``."""

    default_validators = [validate_nfc_name]
