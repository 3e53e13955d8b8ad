"""simulate_round drives a whole synthetic round to the end through the real services."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dossiers.models import TERMINAL_STATES

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("simulate_round", *args, "--json", "--allow-without-debug", stdout=out)
    return json.loads(out.getvalue())


def test_three_provinces_of_ten_dossiers_end_in_terminal_states_fully_audited():
    report = run("--provinces", "3", "--dossiers-per-province", "10", "--seed", "7")
    assert report["dossiers"] == 30
    assert sum(report["final_states"].values()) == 30
    assert set(report["final_states"]) <= {s.value for s in TERMINAL_STATES}
    assert report["audit_entries"] == report["transitions"] > 30
    assert report["final_states"].get("conferred", 0) > 0
    assert report["ballots"] > 0
    for key in ("ballots", "documents", "notifications", "seconds"):
        assert key in report


def test_the_same_seed_gives_the_same_outcome_and_rounds_do_not_collide():
    first = run("--provinces", "2", "--dossiers-per-province", "5", "--seed", "3")
    second = run("--provinces", "2", "--dossiers-per-province", "5", "--seed", "3")
    assert second["round"] == first["round"] + 1
    assert first["final_states"] == second["final_states"]
    assert first["transitions"] == second["transitions"]


def test_refuses_without_debug_unless_told():
    with pytest.raises(CommandError):
        call_command("simulate_round", "--provinces", "1", "--dossiers-per-province", "1")
