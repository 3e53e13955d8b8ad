"""The President's decision remembered on the artisan: the registry row written by the step
`record_conferral` in its own transaction, and counted by a later People's Artisan nomination."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import AdministrativeUnit
from dossiers.eligibility import evaluate
from dossiers.eligibility.results import MET
from dossiers.facts import facts_from_dossier
from dossiers.models import Conferral, DossierState, PriorTitle
from dossiers.rulebook.selectors import rules_for_round
from dossiers.services.conferrals import conferral_import
from dossiers.services.intake import PriorTitleInput, dossier_update_evidence
from tests import factories as f
from tests.workflows.conftest import complete_eligible_dossier, set_state
from workflows import services as wf
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

DECISION = {"decision_number": "1234/QĐ-CTN", "decision_date": date(2025, 8, 30)}


def clerk():
    return f.user("ministry_clerk", f.ministry())


def conferred(dossier, by=None, **decision):
    set_state(dossier, DossierState.PROPOSED)
    return wf.dossier_transition(
        name="record_conferral", dossier=dossier, by=by or clerk(), **{**DECISION, **decision}
    )


def test_the_conferral_step_writes_the_registry_row_and_the_title_held():
    dossier, _officer = complete_eligible_dossier()
    conferred(dossier)
    row = Conferral.objects.get()
    assert row.source_dossier_id == dossier.pk
    assert row.artisan_id == dossier.artisan_id
    assert (row.title, row.round_number, row.year) == ("excellent", 6, 2025)
    assert row.decision_number == DECISION["decision_number"]
    assert row.decision_date == DECISION["decision_date"]
    assert row.province_id == row.current_province_id == dossier.province_id
    assert row.craft_id == dossier.artisan.craft_id
    assert row.full_name == dossier.artisan.full_name
    assert row.search_text.startswith("nguyen van an")
    held = PriorTitle.objects.get(artisan=dossier.artisan)
    assert (held.title, held.field, held.conferral_id) == ("excellent", "handicraft", row.pk)
    entry = AuditEntry.objects.get(transition="record_conferral")
    assert entry.to_state == DossierState.CONFERRED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nothing_is_kept_when_the_step_fails_after_the_row_was_written():
    """Committed transactions, not a test's savepoint: the registry row goes with the failed step."""
    dossier, _officer = complete_eligible_dossier()
    set_state(dossier, DossierState.PROPOSED)
    with (
        mock.patch.object(AuditEntry.objects, "create", side_effect=RuntimeError("lost")),
        pytest.raises(RuntimeError),
    ):
        wf.dossier_transition(name="record_conferral", dossier=dossier, by=clerk(), **DECISION)
    assert not Conferral.objects.exists()
    assert not PriorTitle.objects.exists()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROPOSED


def test_a_retried_or_stale_step_does_not_write_it_twice():
    dossier, _officer = complete_eligible_dossier()
    stale = type(dossier).objects.get(pk=dossier.pk)
    set_state(stale, DossierState.PROPOSED)
    by = clerk()
    conferred(dossier, by=by)
    with pytest.raises(wf.StaleTransition):  # the other tab, loaded while it was proposed
        wf.dossier_transition(name="record_conferral", dossier=stale, by=by, **DECISION)
    with pytest.raises(ValidationError):  # the same request again, now from `conferred`
        wf.dossier_transition(name="record_conferral", dossier=dossier, by=by, **DECISION)
    assert Conferral.objects.count() == 1
    assert PriorTitle.objects.count() == 1


def test_the_writer_called_again_for_the_same_dossier_finds_its_row():
    from dossiers.services.conferrals import conferral_record

    dossier, _officer = complete_eligible_dossier()
    conferred(dossier)
    dossier.refresh_from_db()
    with transaction.atomic():
        again = conferral_record(dossier, by=None)
    assert again == Conferral.objects.get()
    assert PriorTitle.objects.count() == 1


def test_reverting_the_conferral_removes_it_from_the_registry():
    dossier, _officer = complete_eligible_dossier()
    by = clerk()
    dossier = conferred(dossier, by=by)
    wf.dossier_transition(name="revert", dossier=dossier, by=by, reason="Ghi nhầm hồ sơ")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROPOSED
    assert not Conferral.objects.exists()
    assert not PriorTitle.objects.exists()


def test_a_later_peoples_artisan_nomination_counts_the_title_without_re_entry():
    first, officer = complete_eligible_dossier()
    conferred(first)
    later = f.dossier(title="peoples", artisan=first.artisan, round=f.round_(7))
    facts = facts_from_dossier(later)
    assert [(t.title, t.decision_number) for t in facts.prior_titles] == [("excellent", "1234/QĐ-CTN")]
    report = evaluate(facts, rules_for_round(later.round))
    assert report["prior_title"].outcome == MET
    assert report["prior_title"].figures["decision_number"] == "1234/QĐ-CTN"
    # the evidence form does not carry the registry's title, and saving it keeps that title
    dossier_update_evidence(dossier=later, by=officer, periods=[], works=[], trainees=[], prior_titles=[])
    assert PriorTitle.objects.filter(artisan=first.artisan, conferral__isnull=False).count() == 1
    dossier_update_evidence(
        dossier=later,
        by=officer,
        periods=[],
        works=[],
        trainees=[],
        prior_titles=[PriorTitleInput("excellent", "heritage", "9/QĐ-CTN", date(2020, 1, 1))],
    )
    assert PriorTitle.objects.filter(artisan=first.artisan).count() == 2


def test_an_earlier_round_entered_by_hand_counts_too_and_keeps_its_former_province():
    artisan = f.artisan(full_name="Lê Văn Đức")
    former = (
        AdministrativeUnit.objects.filter(level="province", valid_to__isnull=False, successor__isnull=False)
        .order_by("code")
        .first()
    )
    row = conferral_import(
        by=clerk(),
        artisan=artisan,
        title="excellent",
        round_number=4,
        decision_number="77/QĐ-CTN",
        decision_date=date(2019, 8, 30),
        province=former,
    )
    assert row.source_dossier is None
    assert row.province == former
    assert row.current_province == former.successor
    assert row.current_province.valid_to is None
    assert "le van duc" in row.search_text
    later = f.dossier(title="peoples", artisan=artisan)
    assert [t.decision_number for t in facts_from_dossier(later).prior_titles] == ["77/QĐ-CTN"]


def test_a_title_already_held_by_another_decision_is_refused():
    dossier, _officer = complete_eligible_dossier()
    conferral_import(
        by=clerk(),
        artisan=dossier.artisan,
        title="excellent",
        round_number=5,
        decision_number="5/QĐ-CTN",
        decision_date=date(2022, 8, 30),
        province=dossier.province,
    )
    with pytest.raises(ValidationError):
        conferred(dossier)
    assert Conferral.objects.count() == 1
