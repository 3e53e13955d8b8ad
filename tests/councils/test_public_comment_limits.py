"""The public comment form's limits hold under parallel clients, are counted in the database (shared by
every process), are keyed on the client's address as resolved behind the trusted proxies, and a ceiling
caps the comments one nominee receives in a day."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from core.models import RateCounter
from councils.models import PublicComment
from councils.public import comment_submit
from dossiers.models import DossierState
from tests import factories as f
from tests.workflows.conftest import set_state

GOOD = {
    "full_name": "Lê Văn Tâm",
    "phone": "0912 345 678",
    "address": "Số 5, phường Ba Đình, Hà Nội",
    "text": "Tôi biết nghệ nhân nhiều năm, xin góp ý như sau.",
}
CLIENTS, POSTS_EACH = 20, 10


def _submit(dossier, client):
    try:
        comment_submit(dossier_id=dossier.pk, client=client, **GOOD)
        return "ok"
    except ValidationError as exc:
        return exc.code
    except Exception as exc:  # a database error is an outcome the test must see
        return f"error {exc!r}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_hundred_parallel_posts_from_one_address_store_exactly_the_limit(settings):
    settings.PUBLIC_COMMENTS_PER_WINDOW = 5
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    barrier = threading.Barrier(CLIENTS)
    outcomes, lock = [], threading.Lock()

    def client():
        barrier.wait()
        try:
            for _ in range(POSTS_EACH):
                result = _submit(dossier, "203.0.113.7")
                with lock:
                    outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(set(outcomes)) == ["ok", "rate"], outcomes
    assert outcomes.count("ok") == 5
    assert PublicComment.objects.count() == 5
    # the flood never refuses someone else
    assert _submit(dossier, "198.51.100.20") == "ok"


@pytest.mark.django_db
def test_the_limit_is_exact_and_ends_with_its_window(settings):
    settings.PUBLIC_COMMENTS_PER_WINDOW = 2
    settings.PUBLIC_COMMENT_WINDOW_SECONDS = 3600
    dossier = set_state(f.dossier("01"), DossierState.PROVINCIAL_POSTED)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=2, minutes=1)
    with time_machine.travel(start, tick=False):
        assert [_submit(dossier, "203.0.113.7") for _ in range(3)] == ["ok", "ok", "rate"]
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert _submit(dossier, "203.0.113.7") == "rate"  # same window
    with time_machine.travel(start + timedelta(minutes=60), tick=False):
        assert _submit(dossier, "203.0.113.7") == "ok"  # the next one
    assert PublicComment.objects.count() == 3


@pytest.mark.django_db
def test_the_counters_never_hold_an_address(settings):
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    assert _submit(dossier, "203.0.113.7") == "ok"
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all("203.0.113" not in k and len(k) == 64 for k in keys)


@pytest.mark.django_db
def test_a_refused_comment_gives_its_use_back(settings):
    settings.PUBLIC_COMMENTS_PER_WINDOW = 1
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    other = f.dossier("01")  # not posted: refused after the address's use was taken
    with pytest.raises(ValidationError):
        comment_submit(dossier_id=other.pk, client="203.0.113.7", **GOOD)
    assert _submit(dossier, "203.0.113.7") == "ok"


@pytest.mark.django_db
def test_one_nominee_takes_at_most_the_daily_ceiling_whoever_writes(settings):
    settings.PUBLIC_COMMENTS_PER_DOSSIER_PER_DAY = 3
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    other = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    results = [_submit(dossier, f"198.51.100.{n}") for n in range(4)]
    assert results == ["ok", "ok", "ok", "rate_dossier"]
    assert _submit(other, "198.51.100.9") == "ok"  # another nominee is not affected


@pytest.mark.django_db
def test_behind_the_proxy_one_citizens_flood_does_not_block_another(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PUBLIC_COMMENTS_PER_WINDOW = 2
    dossier = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    url = f"/cong-khai/{dossier.pk}/y-kien/"
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from nginx
    for _ in range(4):
        client.post(url, GOOD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert PublicComment.objects.count() == 2
    response = client.post(url, GOOD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
    assert response.status_code == 200 and "Quá nhiều" not in response.content.decode()
    assert PublicComment.objects.count() == 3
    # an address the client wrote itself in front of the proxy's entry is not believed
    client.post(url, GOOD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", **proxy)
    assert PublicComment.objects.count() == 3
