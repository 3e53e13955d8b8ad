"""Batch steps: the same service per dossier, each with its own audit entry and event; refusals reported
one by one without stopping the others (Hypha lost per-applicant messages in batch paths twice)."""

from datetime import date

import pytest

from dossiers.models import DossierState as S
from tests import factories as f
from tests.workflows.conftest import set_state
from workflows.events import dossier_state_changed
from workflows.models import AuditEntry
from workflows.services import dossiers_transition_batch, transition_check

pytestmark = pytest.mark.django_db


def test_batch_forwarding_one_audit_entry_and_one_event_per_dossier(django_capture_on_commit_callbacks):
    officer = f.officer("01")
    ready = [set_state(f.dossier("01"), S.PROVINCIAL_POSTED) for _ in range(3)]
    for d in ready:
        type(d).objects.filter(pk=d.pk).update(provincial_posted_on="2025-12-26")
    not_posted = set_state(f.dossier("01"), S.PROVINCIAL_PASSED)
    other_province = set_state(f.dossier("31"), S.PROVINCIAL_POSTED)
    events = []
    dossier_state_changed.connect(
        lambda sender, **kw: events.append(kw["dossier_id"]), weak=False, dispatch_uid="b"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = dossiers_transition_batch(
                dossiers=[*ready, not_posted, other_province], name="forward_to_ministry", by=officer
            )
    finally:
        dossier_state_changed.disconnect(dispatch_uid="b")
    assert sorted(result.done) == sorted(d.pk for d in ready)
    refused = dict(result.refused)
    assert set(refused) == {not_posted.pk, other_province.pk}
    assert all(refused.values())  # each with its own reason
    assert sorted(events) == sorted(d.pk for d in ready)
    for d in ready:
        assert AuditEntry.objects.filter(dossier=d, transition="forward_to_ministry").count() == 1


def test_preview_says_what_would_happen_without_writing():
    clerk = f.user("ministry_clerk", f.ministry())
    proposed = set_state(f.dossier("01"), S.PROPOSED)
    draft = f.dossier("01")
    data = {"decision_number": "2000/QĐ-CTN", "decision_date": date(2026, 8, 30)}
    assert transition_check(dossier=proposed, name="record_conferral", by=clerk, **data)
    decision = transition_check(dossier=draft, name="record_conferral", by=clerk, **data)
    assert not decision and decision.reason
    assert not AuditEntry.objects.exists()
    proposed.refresh_from_db()
    assert proposed.state == S.PROPOSED
