"""The declaration (Form 01/02) is never built empty: at the receipt when the dossier already has its
evidence, else at the admission, once the evidence entered after the receipt is complete; never twice."""

import pytest

from documents.kinds import Kind
from documents.models import GeneratedDocument
from dossiers.models import CraftPeriod, TraineeRecord, Work
from dossiers.services.intake import PeriodInput, TraineeInput, WorkInput, dossier_update_evidence
from tests.workflows.conftest import complete_eligible_dossier
from workflows import services as wf

pytestmark = pytest.mark.django_db


def declarations(dossier) -> int:
    return GeneratedDocument.objects.filter(dossiers=dossier, kind=Kind.FORM_02).count()


def test_received_with_its_evidence_the_declaration_is_built_at_the_receipt_only():
    dossier, officer = complete_eligible_dossier()
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    assert declarations(dossier) == 1
    wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    assert declarations(dossier) == 1  # not a second one


def test_received_before_its_evidence_the_declaration_waits_for_the_admission():
    dossier, officer = complete_eligible_dossier()
    kept = {
        "periods": [PeriodInput(p.start, p.end, p.place) for p in dossier.craft_periods.all()],
        "works": [WorkInput(w.name, w.completed_on) for w in dossier.works.all()],
        "trainees": [TraineeInput(t.count, t.start, t.end) for t in dossier.trainee_records.all()],
    }
    awards = list(dossier.awards.all())
    for model in (CraftPeriod, TraineeRecord):
        model.objects.filter(dossier=dossier).delete()
    dossier.awards.all().delete()
    Work.objects.filter(dossier=dossier).delete()
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    assert declarations(dossier) == 0  # nothing to declare yet: no empty form

    award = awards[0]
    from dossiers.services.intake import AwardInput

    kept["works"][0] = WorkInput(
        kept["works"][0].name,
        kept["works"][0].completed_on,
        awards=(
            AwardInput(
                award.competition,
                award.organiser,
                award.level,
                award.scope,
                award.awarded_on,
                organiser_is_competent=award.organiser_is_competent,
            ),
        ),
    )
    dossier_update_evidence(dossier=dossier, by=officer, **kept)
    wf.dossier_transition(name="admit", dossier=dossier, by=officer)
    assert declarations(dossier) == 1
    built = GeneratedDocument.objects.get(dossiers=dossier, kind=Kind.FORM_02)
    assert built.requested_by == officer  # built by the admitting officer
