"""The dossier code: province code, round number, sequence within the province and the round; unique,
given once; and the folded search text kept current when the artisan's name or craft changes."""

import importlib
import re
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from core.text import fold_for_search
from dossiers.consent import CONSENT_VERSION
from dossiers.models import Craft, Dossier, DossierCodeCounter
from dossiers.services.intake import dossier_receive
from tests import factories as f

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("dossiers.migrations.0018_dossier_code_and_search_text")


def test_code_is_province_round_and_sequence():
    dossier = f.dossier("01")
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", dossier.code)
    assert dossier.code == "01-06-0001"
    dossier.refresh_from_db()
    assert dossier.code == "01-06-0001"


def test_sequence_runs_per_province_and_per_round():
    codes = [f.dossier("01").code, f.dossier("01").code, f.dossier("31").code]
    codes.append(f.dossier("01", round=f.round_(7)).code)
    codes.append(f.dossier("01").code)
    assert codes == ["01-06-0001", "01-06-0002", "31-06-0001", "01-07-0001", "01-06-0003"]
    assert len(set(Dossier.objects.values_list("code", flat=True))) == 5


def test_code_never_changes_on_later_saves():
    dossier = f.dossier("01")
    f.dossier("01")
    dossier.channel = "post"
    dossier.save()
    dossier.refresh_from_db()
    assert dossier.code == "01-06-0001"


def test_code_is_unique_in_the_database():
    first = f.dossier("01")
    second = f.dossier("01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=second.pk).update(code=first.code)


def test_dossier_receive_gives_the_code_in_its_transaction():
    officer = f.officer("01")
    prov = f.province("01")
    dossier, _warnings = dossier_receive(
        by=officer,
        artisan={
            "full_name": "Phạm Thị Hồng",
            "gender": "female",
            "date_of_birth": date(1968, 3, 12),
            "ethnicity": "Kinh",
            "cccd": "001168012345",
            "province": prov,
            "commune": f.commune_of(prov),
            "craft": Craft.objects.order_by("code").first(),
            "consent_version": CONSENT_VERSION,
        },
        dossier={
            "round": f.round_(),
            "title": "excellent",
            "receiving_agency": officer.agency,
            "channel": "post",
            "received_on": date(2025, 9, 20),
        },
    )
    assert dossier.code == "01-06-0001"
    assert DossierCodeCounter.objects.get(province=prov, round=f.round_()).last == 1
    assert dossier.search_text.startswith("pham thi hong 01-06-0001 ")


def test_search_text_follows_the_artisans_name_and_craft():
    dossier = f.dossier("01")
    artisan = dossier.artisan
    craft = Craft.objects.exclude(pk=artisan.craft_id).first()
    artisan.full_name = "Đặng Văn Ưng"
    artisan.craft = craft
    artisan.save()
    dossier.refresh_from_db()
    assert dossier.search_text.startswith("dang van ung 01-06-0001 ")
    assert dossier.search_text.endswith(fold_for_search(craft.name))


def test_search_text_is_not_rewritten_when_other_fields_change(django_assert_num_queries):
    dossier = f.dossier("01")
    artisan = type(dossier.artisan).objects.get(pk=dossier.artisan_id)
    artisan.is_deceased = True
    artisan.date_of_death = date(2025, 1, 1)
    with django_assert_num_queries(1):  # the UPDATE of the artisan only
        artisan.save(update_fields=["is_deceased", "date_of_death"])
    with django_assert_num_queries(1):  # nothing searched changed: no refresh
        artisan.save()


def test_migration_fills_codes_in_the_order_received():
    late = f.dossier("01", received_on=date(2025, 9, 25))
    early = f.dossier("01", received_on=date(2025, 9, 1))
    other = f.dossier("31")
    for i, d in enumerate((late, early, other)):
        Dossier.objects.filter(pk=d.pk).update(code=f"old-{i}", search_text="")
    DossierCodeCounter.objects.all().delete()
    MIGRATION.fill_codes(apps, connection.schema_editor())
    codes = dict(Dossier.objects.values_list("pk", "code"))
    assert codes == {early.pk: "01-06-0001", late.pk: "01-06-0002", other.pk: "31-06-0001"}
    assert Dossier.objects.get(pk=early.pk).search_text.startswith("nguyen van an 01-06-0001 ")
    # a dossier received after the migration continues the sequence
    assert f.dossier("01").code == "01-06-0003"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the reference data stays for the next
def test_receipts_at_the_same_moment_get_distinct_consecutive_codes():
    """Eight dossiers of one province and round received at once (threads, each its own connection): the
    counter row's lock gives each its own number, none twice, none skipped (PostgreSQL in CI; SQLite
    serialises the writers)."""
    import threading

    from django.db import connections

    f.dossier("01")  # the province, round and people exist; the counter starts
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    codes, errors, lock = [], [], threading.Lock()

    def receive():
        barrier.wait()
        try:
            made = f.dossier("01")
            with lock:
                codes.append(made.code)
        except Exception as exc:  # reported below
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receive) for _ in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(codes) == [f"01-06-{n:04d}" for n in range(2, threads_count + 2)]
