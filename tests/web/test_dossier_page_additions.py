"""The dossier page's additions: the notifications feed, the documents refreshed by htmx while one is
being generated, and the supplement step pre-filled with what is missing."""

import pytest

from documents.models import GeneratedDocument
from notifications.models import EventRecord
from tests import factories as f
from workflows.services import dossier_transition

pytestmark = pytest.mark.django_db


def test_feed_documents_partial_and_supplement_reason(client, django_capture_on_commit_callbacks):
    from datetime import date

    from dossiers.models import CraftPeriod

    officer = f.officer("01")
    dossier = f.dossier("01")
    # some evidence, not all of it: the receipt builds the declaration, the return lists what is missing
    CraftPeriod.objects.create(dossier=dossier, start=date(1990, 1, 1), end=date(2024, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(name="submit", dossier=dossier, by=officer)
    client.force_login(officer)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert 'id="feed"' in page and EventRecord.objects.filter(dossier=dossier).exists()
    reason = page.split('id="reason-return_for_supplement"')[1].split(">", 1)[1].split("</textarea>")[0]
    assert reason.strip()  # what is missing, ready to edit
    GeneratedDocument.objects.filter(dossiers=dossier).update(status="queued")
    partial = client.get(f"/ho-so/{dossier.pk}/?part=documents", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and body.lstrip().startswith("<ul") and 'hx-trigger="every 3s"' in body
    GeneratedDocument.objects.filter(dossiers=dossier).update(status="done")
    assert (
        "hx-trigger"
        not in client.get(f"/ho-so/{dossier.pk}/?part=documents", HTTP_HX_REQUEST="true").content.decode()
    )
