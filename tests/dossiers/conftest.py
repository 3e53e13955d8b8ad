"""Fixtures of the dossier tests."""

import json
from pathlib import Path

import pytest

from dossiers.rulebook import Rule, Rules

RULEBOOK_V1 = Path(__file__).resolve().parents[2] / "dossiers" / "rulebook" / "43-2024-ND-CP.v1.json"


@pytest.fixture(scope="session")
def rules_v1() -> Rules:
    """Rulebook v1 of Decree 43/2024 read straight from its JSON data (no database). Rules is immutable,
    so one instance serves the whole session (and Hypothesis tests, which refuse function-scoped
    fixtures)."""
    data = json.loads(RULEBOOK_V1.read_text(encoding="utf-8"))
    return Rules(
        {
            p["key"]: Rule(
                key=p["key"],
                value=p["value"],
                article=p["article"],
                confidence=p["confidence"],
                description_vi=p["description_vi"],
                description_en=p["description_en"],
            )
            for p in data["parameters"]
        },
        legal_basis=data["legal_basis"],
        version=data["version"],
    )
