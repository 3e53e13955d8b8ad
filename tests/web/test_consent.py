"""Consent to the processing of personal data at intake (Law 91/2025): shown, required, recorded."""

import pytest
from django.utils import timezone

from dossiers.consent import CONSENT_TEXT, CONSENT_TEXT_SHA256, CONSENT_VERSION
from dossiers.models import Artisan, ConsentRecord, Dossier
from tests.web.test_dossier_pages import receive_data

pytestmark = pytest.mark.django_db


def test_the_receive_page_shows_the_consent_text_its_version_and_a_required_box(officer_client):
    page = officer_client.get("/ho-so/tiep-nhan/").content.decode()
    assert "Nghị định số 43/2024/NĐ-CP" in page and "91/2025/QH15" in page
    assert CONSENT_TEXT.splitlines()[0] in page
    assert CONSENT_VERSION in page
    assert 'name="consent"' in page and 'name="consent_version"' in page


def test_intake_without_the_box_is_refused_in_vietnamese_and_nothing_is_saved(officer_client):
    response = officer_client.post("/ho-so/tiep-nhan/", receive_data(consent=None))
    assert response.status_code == 200
    assert "Hãy xác nhận nghệ nhân đã đồng ý cho xử lý dữ liệu cá nhân của mình." in response.content.decode()
    assert (
        not Artisan.objects.exists() and not Dossier.objects.exists() and not ConsentRecord.objects.exists()
    )


def test_a_consent_given_to_an_older_text_is_refused_and_nothing_is_saved(officer_client):
    response = officer_client.post("/ho-so/tiep-nhan/", receive_data(consent_version="2020-01-v0"))
    assert response.status_code == 200
    assert "Nội dung đồng ý đã thay đổi" in response.content.decode()
    assert not Artisan.objects.exists() and not ConsentRecord.objects.exists()


def test_the_consent_is_recorded_with_its_version_text_hash_time_and_officer(officer_client):
    before = timezone.now()
    response = officer_client.post("/ho-so/tiep-nhan/", receive_data())
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert record.artisan == Dossier.objects.get().artisan
    assert record.version == CONSENT_VERSION
    assert record.text_sha256 == CONSENT_TEXT_SHA256
    assert record.recorded_by == officer_client.officer
    assert before <= record.recorded_at <= timezone.now()


def test_the_service_refuses_an_artisan_without_consent():
    from django.core.exceptions import ValidationError

    from dossiers.services.intake import artisan_create
    from tests import factories as f
    from tests.dossiers.test_intake import artisan_kwargs

    with pytest.raises(ValidationError) as exc:
        artisan_create(by=f.officer(), **artisan_kwargs(consent_version=None))
    assert "consent" in exc.value.message_dict
    assert not Artisan.objects.exists()
