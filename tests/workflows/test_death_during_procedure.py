"""A death recorded during the procedure: an audited step with a reason and the date, that leaves the
state as it is and makes the dossier posthumous from then on, on its documents too."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dossiers.models import DossierState as S
from workflows import services as wf
from workflows.document_data import person_of
from workflows.models import AuditEntry
from workflows.transitions import step_of

pytestmark = pytest.mark.django_db


def test_the_death_step_keeps_the_state_and_turns_the_dossier_posthumous(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    died = timezone.localdate() - timedelta(days=1)
    dossier = wf.dossier_transition(
        name="record_death", dossier=dossier, by=officer, reason="Giấy chứng tử số 12", date_of_death=died
    )
    dossier.refresh_from_db()
    dossier.artisan.refresh_from_db()
    assert dossier.state == S.SUBMITTED and dossier.posthumous
    assert dossier.artisan.is_deceased and dossier.artisan.date_of_death == died
    entry = AuditEntry.objects.get(transition="record_death")
    assert (entry.from_state, entry.to_state, entry.actor, entry.reason) == (
        S.SUBMITTED,
        S.SUBMITTED,
        officer,
        "Giấy chứng tử số 12",
    )
    assert person_of(dossier).posthumous  # the documents say "truy tặng" from then on
    dossier = wf.dossier_transition(name="admit", dossier=dossier, by=officer)  # the procedure goes on
    assert dossier.state == S.ADMITTED


def test_the_death_step_needs_a_reason_and_a_date_not_in_the_future(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    today = timezone.localdate()
    for reason, data in (
        ("", {"date_of_death": today}),
        ("Giấy chứng tử", {}),
        ("Giấy chứng tử", {"date_of_death": today + timedelta(days=1)}),
        ("Giấy chứng tử", {"date_of_death": dossier.artisan.date_of_birth - timedelta(days=1)}),
    ):
        with pytest.raises(ValidationError):
            wf.dossier_transition(name="record_death", dossier=dossier, by=officer, reason=reason, **data)
    dossier.refresh_from_db()
    assert not dossier.posthumous and not AuditEntry.objects.filter(transition="record_death").exists()


def test_a_death_is_recorded_once(ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    today = timezone.localdate()
    dossier = wf.dossier_transition(
        name="record_death", dossier=dossier, by=officer, reason="Giấy chứng tử", date_of_death=today
    )
    with pytest.raises(ValidationError) as exc:
        wf.dossier_transition(
            name="record_death", dossier=dossier, by=officer, reason="lần hai", date_of_death=today
        )
    assert exc.value.code == "guard"


def test_the_step_is_declared_for_officers_and_clerks_with_its_data():
    spec = step_of("record_death")
    assert spec.reason_required and spec.data_names == ("date_of_death",)
    assert {str(r) for r in spec.roles} == {"provincial_officer", "ministry_clerk"}
    assert S.SUBMITTED in spec.sources and S.ON_HOLD in spec.sources and S.CONFERRED not in spec.sources


def test_the_dossier_page_asks_for_the_date_and_a_confirmation(client, ready):
    dossier, officer = ready
    dossier = wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    client.force_login(officer)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    form = page.split('value="record_death"')[1].split("</form>")[0]
    assert 'name="date_of_death"' in form and 'name="confirm"' in form
    response = client.post(
        f"/ho-so/{dossier.pk}/buoc/",
        {"name": "record_death", "reason": "Giấy chứng tử", "date_of_death": "01/01/2025", "confirm": "on"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.posthumous and dossier.artisan.date_of_death.year == 2025
