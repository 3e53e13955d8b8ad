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


def test_the_round_reports_its_documents_by_kind_and_every_session_has_its_minutes():
    from councils.models import Session
    from documents.models import GeneratedDocument

    report = run("--provinces", "2", "--dossiers-per-province", "6", "--seed", "5")
    documents = report["documents"]
    sessions = Session.objects.filter(council__round__number=report["round"])
    assert sessions.count() == 4  # two provincial councils, the ministerial and the State council
    for session in sessions:
        kinds = set(GeneratedDocument.objects.filter(session_ref=session.pk).values_list("kind", flat=True))
        assert {"form_05", "form_06"} <= kinds, session
    assert documents["form_05"] == documents["form_06"] == 4
    assert documents["council_decision"] == 4
    assert documents["form_02"] + documents.get("form_01", 0) == report["dossiers"]  # a declaration each
    assert documents["posting_notice"] == 1 and documents["decision_record"] == 1
    assert documents["result_notice"] == 2  # one per province, for its batch
    assert documents["form_03"] == documents["form_04"] == 4  # two provinces, ministerial, State
    assert sum(documents.values()) == GeneratedDocument.objects.count()
    # queued until their transaction commits (the test's never does); build them as the worker would
    from documents.services import document_generate

    for pk in GeneratedDocument.objects.values_list("pk", flat=True):
        built = document_generate(document_id=pk)
        assert built.status == "done", built.error


def test_the_same_seed_gives_the_same_outcome_and_rounds_do_not_collide():
    first = run("--provinces", "2", "--dossiers-per-province", "5", "--seed", "3")
    second = run("--provinces", "2", "--dossiers-per-province", "5", "--seed", "3")
    assert second["round"] == first["round"] + 1
    assert first["final_states"] == second["final_states"]
    assert first["transitions"] == second["transitions"]


def test_refuses_without_debug_unless_told():
    with pytest.raises(CommandError):
        call_command("simulate_round", "--provinces", "1", "--dossiers-per-province", "1")


def test_a_later_round_has_the_same_people_and_tells_them_no_more_than_the_first():
    """Officers and clerks stay from round to round; only the councils are new. Otherwise each round would
    notify one more clerk per step, and the benchmark's larger round would pay for the smaller one."""
    from accounts.models import User
    from councils.models import Membership

    first = run("--provinces", "2", "--dossiers-per-province", "4", "--seed", "9")
    users = User.objects.count()
    second = run("--provinces", "2", "--dossiers-per-province", "4", "--seed", "9")
    assert User.objects.count() == users
    assert second["notifications"] == first["notifications"] > 0
    seats = Membership.objects.filter
    assert (
        seats(council__round__number=second["round"]).count()
        == seats(council__round__number=first["round"]).count()
    )
