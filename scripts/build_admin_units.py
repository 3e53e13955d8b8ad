"""Build accounts/data/administrative_units_2025.json from the vietnam-provinces package's data.

    python scripts/build_admin_units.py /path/to/vietnam_provinces/data/nested-divisions.json

The package (GPL-3.0, newer versions need Python 3.12) is not a dependency of the project: install it in
a scratch virtualenv, run this script once, and commit the JSON it writes. The output is deterministic
(sorted by code, one commune a line), so a rebuild from the same data gives the same file.

The script also checks accounts/data/former_provinces_2008.json (hand-maintained) against the new data:
every former province's successor must be one of the provinces written here, each of them must have at
least one predecessor, and a province whose name did not change (11 of them) exactly one.
See accounts/data/README.md.
"""

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "accounts" / "data" / "administrative_units_2025.json"
DEFAULT_FORMER = ROOT / "accounts" / "data" / "former_provinces_2008.json"
DEFAULT_SOURCE = "vietnam-provinces==2025.10.1 (PyPI, GPL-3.0), catalogue of the National Statistics Office"
VALID_FROM = "2025-07-01"

PROVINCE_TYPES = {"tỉnh", "thành phố trung ương"}
COMMUNE_TYPES = {"xã", "phường", "đặc khu"}
UNCHANGED_PROVINCES = 11  # Resolution 202/2025/QH15: 11 provinces kept, 23 formed by merging 52 others
_SPACES = re.compile(r"\s+")


def clean(value: str) -> str:
    """The same normalisation as core.text.to_nfc: NFC, inner runs of space collapsed, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def build(nested: list[dict]) -> list[dict]:
    provinces = []
    for p in sorted(nested, key=lambda p: int(p["code"])):
        division_type = clean(p["division_type"])
        if division_type not in PROVINCE_TYPES:
            raise SystemExit(f"province {p['code']}: unknown division type {division_type!r}")
        communes = []
        for w in sorted(p["wards"], key=lambda w: int(w["code"])):
            ward_type = clean(w["division_type"])
            if ward_type not in COMMUNE_TYPES:
                raise SystemExit(f"commune {w['code']}: unknown division type {ward_type!r}")
            communes.append([f"{int(w['code']):05d}", clean(w["name"]), ward_type])
        provinces.append(
            {
                "code": f"{int(p['code']):02d}",
                "name": clean(p["name"]),
                "division_type": division_type,
                "communes": communes,
            }
        )
    province_codes = [p["code"] for p in provinces]
    commune_codes = [c[0] for p in provinces for c in p["communes"]]
    for label, codes, width in (("province", province_codes, 2), ("commune", commune_codes, 5)):
        duplicates = sorted(code for code, n in Counter(codes).items() if n > 1)
        if duplicates:
            raise SystemExit(f"duplicate {label} codes: {', '.join(duplicates)}")
        if any(len(code) != width for code in codes):
            raise SystemExit(f"a {label} code is longer than {width} digits")
    return provinces


def render(provinces: list[dict], source: str) -> str:
    """JSON with one commune a line: small, and readable in a diff."""

    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        "{",
        f'  "edition": {dump("34 provinces and their communes, in force since 01/07/2025")},',
        f'  "source": {dump(source)},',
        f'  "valid_from": {dump(VALID_FROM)},',
        '  "valid_to": null,',
        '  "commune_fields": ["code", "name", "division_type"],',
        '  "provinces": [',
    ]
    for i, p in enumerate(provinces):
        head = {k: p[k] for k in ("code", "name", "division_type")}
        lines.append(f"    {dump(head)[:-1]}, " + '"communes": [')
        lines.append(",\n".join(f"      {dump(c)}" for c in p["communes"]))
        lines.append("    ]}" + ("," if i < len(provinces) - 1 else ""))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def check_former(former_path: Path, provinces: list[dict]) -> list[str]:
    """Problems of the hand-maintained former-provinces file against the new provinces (empty if none)."""
    former = json.loads(former_path.read_text(encoding="utf-8"))["provinces"]
    current = {p["code"]: p for p in provinces}
    problems = []
    if len(former) != 63:
        problems.append(f"{len(former)} former provinces, expected 63")
    predecessors: dict[str, list[str]] = {code: [] for code in current}
    for f in former:
        if clean(f["name"]) != f["name"]:
            problems.append(f"former {f['code']}: name is not NFC or has stray spaces")
        if f["cccd_code"] != "0" + f["code"]:
            problems.append(f"former {f['code']}: CCCD code {f['cccd_code']!r} is not 0 + the code")
        if f["division_type"] not in PROVINCE_TYPES:
            problems.append(f"former {f['code']}: unknown division type {f['division_type']!r}")
        successor = current.get(f["successor"])
        if successor is None:
            problems.append(
                f"former {f['code']} {f['name']}: successor {f['successor']} is not a current province"
            )
            continue
        if f.get("successor_name", successor["name"]) != successor["name"]:
            problems.append(
                f"former {f['code']}: successor {f['successor']} is {successor['name']}, "
                f"not {f['successor_name']}"
            )
        predecessors[f["successor"]].append(f["code"])
    without = sorted(code for code, codes in predecessors.items() if not codes)
    if without:
        problems.append(f"current provinces without a predecessor: {', '.join(without)}")
    single = [code for code, codes in predecessors.items() if len(codes) == 1]
    if len(single) != UNCHANGED_PROVINCES:
        problems.append(f"{len(single)} provinces with a single predecessor, expected {UNCHANGED_PROVINCES}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nested_json", type=Path, help="vietnam_provinces/data/nested-divisions.json")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--former", type=Path, default=DEFAULT_FORMER, help="file to check successors of")
    parser.add_argument("--source", default=DEFAULT_SOURCE, help="package and version, recorded in the file")
    args = parser.parse_args(argv)

    provinces = build(json.loads(args.nested_json.read_text(encoding="utf-8")))
    problems = check_former(args.former, provinces)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    args.output.write_text(render(provinces, args.source), encoding="utf-8")

    by_type = Counter(p["division_type"] for p in provinces)
    communes = Counter(c[2] for p in provinces for c in p["communes"])
    print(f"wrote {args.output}")
    print(f"  {len(provinces)} provinces: " + ", ".join(f"{n} {t}" for t, n in sorted(by_type.items())))
    print(
        f"  {sum(communes.values())} communes: " + ", ".join(f"{n} {t}" for t, n in sorted(communes.items()))
    )
    print(f"  {args.former.name}: successors check out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
