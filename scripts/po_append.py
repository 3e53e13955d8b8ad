"""Append translations to the Vietnamese catalogue without reordering it (so that parallel branches merge
cleanly): `python scripts/po_append.py translations.py`, where the file defines a dict T msgid → msgstr.
Existing msgids are left as they are."""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"


def main(source: str) -> None:
    translations = runpy.run_path(source)["T"]
    catalogue = polib.pofile(str(PO))
    have = {entry.msgid for entry in catalogue}
    added = 0
    for msgid, msgstr in translations.items():
        if msgid not in have:
            flags = ["python-format"] if "%(" in msgid else []
            catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags))
            added += 1
    catalogue.save(str(PO))
    print(f"{added} added")


if __name__ == "__main__":
    main(sys.argv[1])
