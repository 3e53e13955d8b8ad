from datetime import date

import pytest

from dossiers.models import Attachment, Dossier
from dossiers.services.intake import AwardInput, PeriodInput, TraineeInput, WorkInput, dossier_update_evidence
from tests import factories as f


def set_state(dossier, state):
    """Test set-up only: put a dossier in a state without running the procedure."""
    Dossier.objects.filter(pk=dossier.pk).update(state=state)
    dossier.refresh_from_db()
    return dossier


def complete_eligible_dossier(code="01"):
    """An Excellent Artisan dossier that is complete and meets every checkable criterion."""
    officer = f.officer(code)
    dossier = f.dossier(code, title="excellent")
    award = AwardInput(
        "Hội thi toàn quốc",
        "Bộ Công Thương",
        "third",
        "national",
        date(2015, 9, 1),
        organiser_is_competent=True,
    )
    dossier_update_evidence(
        dossier=dossier,
        by=officer,
        periods=[PeriodInput(date(1990, 1, 1), date(2025, 6, 30))],
        works=[
            WorkInput(f"Tác phẩm {n}", date(2000 + n, 1, 1), awards=(award,) if n == 1 else ())
            for n in range(10)
        ],
        trainees=[TraineeInput(120, date(1995, 1, 1), date(2024, 12, 31))],
    )
    for kind in ("declaration", "certified_copy"):
        Attachment.objects.create(
            dossier=dossier,
            kind=kind,
            file=f"attachments/{dossier.pk}/{kind}.pdf",
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=10,
            sha256=kind.ljust(64, "0"),
            uploaded_by=officer,
        )
    return dossier, officer


@pytest.fixture
def ready():
    return complete_eligible_dossier()
