"""Vietnamese is complete, English is the source language, dates are dd/mm/yyyy in both."""

import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django import forms
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def test_every_message_has_a_vietnamese_translation():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue if not e.translated()]
    assert untranslated == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_translations_keep_their_placeholders():
    for entry in polib.pofile(str(PO)):
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(entry.msgstr)), (
            entry.msgid
        )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed (CI has it)")
def test_catalogue_has_every_string_of_the_code(tmp_path):
    """makemessages, run on a copy of the project, finds nothing that the committed catalogue lacks.

    A copy, because makemessages writes into the catalogue it finds under the current directory.
    """
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "__pycache__", ".*_cache", "*.mo"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "vi",
            "--no-obsolete",
            "--no-location",
            "--verbosity",
            "0",
        ],
        cwd=copy,
        check=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "VAR_DIR": str(tmp_path),
        },
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    assert fresh - committed == set(), "run `make messages` and translate the new strings"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_show_and_parse_as_dd_mm_yyyy(language):
    with translation.override(language):
        assert formats.date_format(date(2026, 2, 5), "SHORT_DATE_FORMAT") == "05/02/2026"
        assert formats.date_format(date(2026, 7, 15)) == "15/07/2026"
        assert forms.DateField().clean("05/02/2026") == date(2026, 2, 5)
        with pytest.raises(forms.ValidationError):
            forms.DateField().clean("31/02/2026")


def test_times_are_shown_in_vietnam_time(settings):
    from django.utils import timezone

    utc_midnight = datetime(2026, 11, 27, 17, 30, tzinfo=ZoneInfo("UTC"))
    local = timezone.localtime(utc_midnight)
    assert formats.date_format(local, "SHORT_DATETIME_FORMAT") == "00:30 28/11/2026"
