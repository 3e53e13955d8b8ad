"""The forms of the steps are built from their declarations: a step's data fields appear on the dossier
page and the batch page because the step declares them, and nothing else is asked."""

import pytest

from dossiers.models import DossierState
from tests import factories as f
from tests.workflows.conftest import set_state
from web.dossier_forms import StepForm
from workflows.transitions import step_of, steps_of

pytestmark = pytest.mark.django_db


def test_each_step_form_asks_exactly_for_the_data_its_declaration_takes():
    for spec in steps_of().values():
        form = StepForm(step=spec)
        assert set(form.data_fields) == set(spec.form_fields()), spec.name
        assert set(form.data_fields) <= set(spec.data_names), spec.name
    assert StepForm(step=step_of("revert")).data_fields == []  # its previous state is read, never typed
    conferral = StepForm(step=step_of("record_conferral"))
    assert conferral["decision_number"].auto_id == "decision_number-record_conferral"
    assert conferral.fields["decision_date"].required and conferral.fields["decision_number"].required


def test_the_dossier_page_shows_the_declared_fields_of_the_steps_offered(client):
    clerk = f.user("ministry_clerk", f.ministry())
    proposed = set_state(f.dossier("01"), DossierState.PROPOSED)
    client.force_login(clerk)
    page = client.get(f"/ho-so/{proposed.pk}/").content.decode()
    assert 'id="decision_number-record_conferral"' in page
    assert 'id="decision_date-record_conferral"' in page
    assert 'id="decision_number-record_non_conferral"' not in page  # that step takes no decision data


def test_a_step_form_refuses_missing_required_data_and_keeps_the_dossier(client):
    clerk = f.user("ministry_clerk", f.ministry())
    proposed = set_state(f.dossier("01"), DossierState.PROPOSED)
    client.force_login(clerk)
    client.post(f"/ho-so/{proposed.pk}/buoc/", {"name": "record_conferral", "confirm": "1"})
    proposed.refresh_from_db()
    assert proposed.state == DossierState.PROPOSED


def test_the_batch_page_offers_the_data_fields_of_the_offered_steps(client):
    client.force_login(f.user("ministry_clerk", f.ministry()))
    page = client.get("/bo/buoc-theo-lo/").content.decode()
    for name in ("on", "decision_number", "decision_date"):
        assert f'name="{name}"' in page
    assert 'name="date_of_death"' not in page  # its step is not offered in batches
