"""Checks for what people type: CCCD numbers, names, and dates written dd/mm/yyyy.

Hard errors (among them a CCCD province code that was never issued) raise ``ValidationError`` with a
stable ``code`` (tests and callers match on the code, never on
the message, which is Vietnamese or English depending on the active language). Facts that are only
suspicious (a CCCD number has no check digit, so a cross-check can only hint at a typing mistake) come back
as warnings for the officer to confirm.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Gender = Literal["male", "female"]

# --- CCCD (căn cước công dân) --------------------------------------------------------------------------

CCCD_LENGTH = 12
CMND_LENGTH = 9  # the legacy chứng minh nhân dân

# Digit 4 of a CCCD number: (century, gender). Circular 07/2016/TT-BCA and its successors.
CENTURY_GENDER: dict[str, tuple[int, Gender]] = {
    "0": (1900, "male"),
    "1": (1900, "female"),
    "2": (2000, "male"),
    "3": (2000, "female"),
    "4": (2100, "male"),
    "5": (2100, "female"),
    "6": (2200, "male"),
    "7": (2200, "female"),
    "8": (1800, "male"),
    "9": (1800, "female"),
}

# Core sits below accounts (docs/architecture.md §2 and tests/test_architecture.py), so it
# must not import it, not even inside a function. The lookup is named by a dotted path instead, the
# way Django names AUTH_USER_MODEL; a project can point the setting elsewhere.
PROVINCE_LOOKUP_SETTING = "CCCD_PROVINCE_LOOKUP"
DEFAULT_PROVINCE_LOOKUP = "accounts.selectors.former_province_by_cccd_code"

_ASCII_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class CccdCheck:
    """What a CCCD number says about its holder, and what looks wrong with it.

    ``warnings`` are translated messages for display; ``warning_codes`` are their stable codes, in the same
    order. For a legacy 9-digit CMND, ``province_code`` is "" and ``birth_year``/``gender`` are None
    (the CMND encodes neither in the same way).
    """

    number: str
    legacy_cmnd: bool
    province_code: str
    birth_year: int | None
    gender: Gender | None
    warnings: tuple[str, ...] = ()
    warning_codes: tuple[str, ...] = ()


def default_province_exists(code: str) -> bool:
    """True if ``code`` is the CCCD code of one of the 63 former provinces (database lookup).

    The lookup returns the province or None (any falsy value counts as "not found").
    """
    lookup = import_string(getattr(settings, PROVINCE_LOOKUP_SETTING, DEFAULT_PROVINCE_LOOKUP))
    return bool(lookup(code))


def normalise_cccd(value: str | None) -> str:
    """The number with every space removed (people write it in groups: "001 203 004 567")."""
    return "".join((value or "").split())


def _hard_check(value: str | None) -> str:
    number = normalise_cccd(value)
    if not number:
        raise ValidationError(_("Enter the CCCD number."), code="cccd_empty")
    if not _ASCII_DIGITS.fullmatch(number):
        raise ValidationError(_("A CCCD number contains digits only."), code="cccd_not_digits")
    if len(number) not in (CCCD_LENGTH, CMND_LENGTH):
        raise ValidationError(
            _("A CCCD number has 12 digits; this one has %(count)d."),
            code="cccd_length",
            params={"count": len(number)},
        )
    return number


def validate_cccd(value: str | None) -> None:
    """Django validator for model and form fields: the hard errors only (empty, non-digits, length).

    Nine digits (a legacy CMND) pass; use ``check_cccd`` to get the warning that goes with them.
    """
    _hard_check(value)


def check_cccd(
    value: str | None,
    *,
    date_of_birth: date | None = None,
    gender: Gender | None = None,
    province_exists: Callable[[str], object] | None = None,
    today: date | None = None,
) -> CccdCheck:
    """Decode a CCCD number and cross-check it.

    Raises ``ValidationError`` for the hard errors of ``validate_cccd``, and (code
    ``cccd_unknown_province``) when the first three digits are not a code that was issued: the codes of
    the 63 former provinces (``province_exists(code)`` is falsy; by default the ``CCCD_PROVINCE_LOOKUP``
    setting, ``accounts.selectors.former_province_by_cccd_code``), so ``000`` or anything above the
    highest code is refused. Everything else is a warning (a CCCD number has no check digit, so these
    only hint at a typing mistake): the birth year lies after ``today`` (default: today in Vietnam), or
    it disagrees with ``date_of_birth`` or the gender with ``gender`` when those are given.
    """
    if gender not in (None, "male", "female"):
        raise ValueError(f"gender must be 'male', 'female' or None, not {gender!r}")
    number = _hard_check(value)
    warnings: list[tuple[str, str]] = []

    if len(number) == CMND_LENGTH:
        warnings.append(
            (
                "cccd_legacy_cmnd",
                gettext("This is a legacy 9-digit ID card (CMND) number; ask for the 12-digit CCCD number."),
            )
        )
        return _result(
            number, legacy_cmnd=True, province_code="", birth_year=None, gender=None, warnings=warnings
        )

    province_code = number[:3]
    century, encoded_gender = CENTURY_GENDER[number[3]]
    birth_year = century + int(number[4:6])

    lookup = province_exists if province_exists is not None else default_province_exists
    if not lookup(province_code):
        raise ValidationError(
            _(
                "The first three digits of a CCCD number are the code of the province where the birth "
                "was registered; %(code)s is not the code of any province. Check the number on the card."
            ),
            code="cccd_unknown_province",
            params={"code": province_code},
        )
    today = today or timezone.localdate()
    if birth_year > today.year:
        warnings.append(
            (
                "cccd_future_birth_year",
                gettext("The number gives a birth year in the future (%(year)d).") % {"year": birth_year},
            )
        )
    if date_of_birth is not None and date_of_birth.year != birth_year:
        warnings.append(
            (
                "cccd_birth_year_mismatch",
                gettext("The number gives birth year %(cccd_year)d, but the date of birth is in %(year)d.")
                % {"cccd_year": birth_year, "year": date_of_birth.year},
            )
        )
    if gender is not None and gender != encoded_gender:
        warnings.append(
            (
                "cccd_gender_mismatch",
                gettext("The number is that of a man, but the gender given is female.")
                if encoded_gender == "male"
                else gettext("The number is that of a woman, but the gender given is male."),
            )
        )
    return _result(
        number,
        legacy_cmnd=False,
        province_code=province_code,
        birth_year=birth_year,
        gender=encoded_gender,
        warnings=warnings,
    )


def _result(number, *, legacy_cmnd, province_code, birth_year, gender, warnings) -> CccdCheck:
    return CccdCheck(
        number=number,
        legacy_cmnd=legacy_cmnd,
        province_code=province_code,
        birth_year=birth_year,
        gender=gender,
        warnings=tuple(message for _code, message in warnings),
        warning_codes=tuple(code for code, _message in warnings),
    )


# --- Names ---------------------------------------------------------------------------------------------

NAME_MAX_LENGTH = 255
# Cc control, Cf invisible formatting (zero-width, bidirectional overrides), Cs surrogates, Co private use.
_FORBIDDEN_IN_NAMES = frozenset({"Cc", "Cf", "Cs", "Co"})


def validate_nfc_name(value: str) -> None:
    """A person's or a body's name: at least one letter, no control characters, at most 255 characters.

    Does not normalise; store names through ``core.text.to_nfc``. Length is counted in NFC, as stored.
    """
    if any(unicodedata.category(char) in _FORBIDDEN_IN_NAMES for char in value):
        raise ValidationError(
            _("A name cannot contain control or invisible characters."), code="name_control_character"
        )
    if not any(unicodedata.category(char).startswith("L") for char in value):
        raise ValidationError(_("A name must contain at least one letter."), code="name_without_letter")
    length = len(unicodedata.normalize("NFC", value))
    if length > NAME_MAX_LENGTH:
        raise ValidationError(
            _("A name can have at most %(limit)d characters (it has %(count)d)."),
            code="name_too_long",
            params={"limit": NAME_MAX_LENGTH, "count": length},
        )


# --- Dates ---------------------------------------------------------------------------------------------

MIN_YEAR = 1900
MAX_YEAR = 2100
_VN_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")

DATE_FORMAT_MESSAGE = _("Enter the date as dd/mm/yyyy, for example 05/02/2026.")
DATE_NONEXISTENT_MESSAGE = _(
    "This date does not exist. Enter the date as dd/mm/yyyy, for example 05/02/2026."
)
DATE_YEAR_RANGE_MESSAGE = _("Enter a year from %(min)d to %(max)d.")


def parse_vn_date(text: str) -> date:
    """Read a date written dd/mm/yyyy (or d/m/yyyy): 4-digit year from 1900 to 2100, and a real day.

    Raises ``ValidationError`` with code ``invalid`` (not that shape), ``nonexistent`` (31/02/2024) or
    ``year_out_of_range``.
    """
    match = _VN_DATE.fullmatch((text or "").strip())
    if match is None:
        raise ValidationError(DATE_FORMAT_MESSAGE, code="invalid")
    day, month, year = (int(part) for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            DATE_YEAR_RANGE_MESSAGE, code="year_out_of_range", params={"min": MIN_YEAR, "max": MAX_YEAR}
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(DATE_NONEXISTENT_MESSAGE, code="nonexistent") from None
