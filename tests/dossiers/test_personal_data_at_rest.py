"""The CCCD number and ethnicity encrypted at rest, found through their blind index; the data of documents
likewise. On SQLite in `make test` and on PostgreSQL with DATABASE_URL."""

import re
from datetime import date

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import translation

from core import crypto
from documents.models import GeneratedDocument
from dossiers.consent import CONSENT_VERSION
from dossiers.models import Artisan
from dossiers.services.intake import artisan_create
from tests import factories as f

pytestmark = pytest.mark.django_db

NUMBER = "001168012345"
ETHNICITY = "Rơ Măm"


def make(**over):
    prov = f.province("01")
    values = {
        "full_name": "Bùi Thị Hoa",
        "gender": "female",
        "date_of_birth": date(1968, 3, 12),
        "ethnicity": ETHNICITY,
        "cccd": NUMBER,
        "province": prov,
        "commune": f.commune_of(prov),
        "craft": f.Craft.objects.first(),
        "consent_version": CONSENT_VERSION,
    }
    values.update(over)
    return artisan_create(by=f.officer(), **values)[0]


def raw_row(artisan) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cccd, ethnicity, cccd_index FROM dossiers_artisan WHERE id = %s", [artisan.pk])
        return cursor.fetchone()


def runs_of(number: str, length: int = 6) -> list[str]:
    return [number[i : i + length] for i in range(len(number) - length + 1)]


def test_database_holds_neither_the_number_nor_the_ethnicity_and_the_model_reads_both_back():
    artisan = make()
    cccd, ethnicity, index = raw_row(artisan)
    for stored in (cccd, ethnicity, index):
        assert NUMBER not in stored
        assert not any(run in stored for run in runs_of(NUMBER))
        assert ETHNICITY not in stored and "Rơ" not in stored
    assert re.fullmatch(r"[0-9a-f]{64}", index)
    assert cccd.startswith("gAAAAA")  # a Fernet token
    fresh = Artisan.objects.get(pk=artisan.pk)
    assert (fresh.cccd, fresh.ethnicity) == (NUMBER, ETHNICITY)
    assert list(Artisan.objects.filter(pk=artisan.pk).values_list("cccd", flat=True)) == [NUMBER]


def test_two_saves_give_two_different_tokens_but_the_same_index():
    artisan = make()
    first = raw_row(artisan)
    artisan.save()
    second = raw_row(artisan)
    assert first[0] != second[0] and first[2] == second[2]


def test_lookup_by_cccd_goes_through_the_blind_index_and_ignores_spaces():
    artisan = make()
    make(cccd="001168012346", full_name="Lò Văn Bình")
    assert list(Artisan.objects.with_cccd(NUMBER)) == [artisan]
    assert list(Artisan.objects.with_cccd("001 168 012 345")) == [artisan]
    assert not Artisan.objects.with_cccd("001168099999").exists()


def test_filtering_on_the_encrypted_column_is_refused_rather_than_silently_empty():
    with pytest.raises(FieldError, match="blind index"):
        Artisan.objects.filter(cccd=NUMBER).exists()
    with pytest.raises(FieldError):
        Artisan.objects.filter(ethnicity__icontains="Rơ").exists()


def test_the_same_cccd_twice_is_still_refused_with_the_vietnamese_message():
    make()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        make(full_name="Người Khác", cccd="001 168 012 345")
    assert exc.value.message_dict["cccd"] == ["Đã có nghệ nhân với số CCCD này trong hệ thống."]
    assert Artisan.objects.count() == 1


def test_the_index_depends_on_its_own_key_not_on_the_encryption_key(settings):
    artisan = make()
    index = raw_row(artisan)[2]
    assert index == crypto.blind_index(NUMBER, purpose="artisan.cccd")
    assert index != crypto.blind_index(NUMBER, purpose="other.purpose")
    with override_settings(FIELD_ENCRYPTION_KEYS=[crypto.new_key(), *settings.FIELD_ENCRYPTION_KEYS]):
        assert crypto.blind_index(NUMBER, purpose="artisan.cccd") == index
    with override_settings(BLIND_INDEX_KEY=crypto.new_key()):
        assert crypto.blind_index(NUMBER, purpose="artisan.cccd") != index


def test_key_rotation_old_key_still_decrypts_after_a_new_first_key_and_rotate_reencrypts(settings):
    from django.core.management import call_command

    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    artisan = make()
    old_token = raw_row(artisan)[0]
    new = crypto.new_key()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, *old_keys]):
        assert Artisan.objects.get(pk=artisan.pk).cccd == NUMBER  # old token, old key (second) opens it
        assert not crypto.is_encrypted_with_first_key(old_token)
        call_command("encryption_rotate", verbosity=0)
        rotated = raw_row(artisan)[0]
        assert rotated != old_token and crypto.is_encrypted_with_first_key(rotated)
        assert Artisan.objects.get(pk=artisan.pk).ethnicity == ETHNICITY
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):  # the old key can now go
        assert Artisan.objects.get(pk=artisan.pk).cccd == NUMBER
    with override_settings(FIELD_ENCRYPTION_KEYS=old_keys), pytest.raises(crypto.DecryptionError) as exc:
        Artisan.objects.get(pk=artisan.pk)
    assert NUMBER not in str(exc.value)


def test_document_data_is_encrypted_for_every_document_and_reads_back():
    document = GeneratedDocument.objects.create(
        kind="result_notice",
        title="Thông báo",
        issued_on=date(2025, 12, 1),
        source_data={"cccd": NUMBER, "ethnicity": ETHNICITY, "n": 1},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT source_data FROM documents_generateddocument WHERE id = %s", [document.pk])
        (stored,) = cursor.fetchone()
    assert NUMBER not in stored and ETHNICITY not in stored and "cccd" not in stored
    assert GeneratedDocument.objects.get(pk=document.pk).source_data == {
        "cccd": NUMBER,
        "ethnicity": ETHNICITY,
        "n": 1,
    }


def every_text_in_the_database() -> str:
    """Every value of every table, as text (small: a test database)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_after_a_submitted_dossier_with_its_declaration_no_table_holds_the_number_or_the_ethnicity():
    from documents.services import document_generate
    from tests.workflows.conftest import complete_eligible_dossier
    from workflows import services as wf

    dossier, officer = complete_eligible_dossier("01")
    artisan = dossier.artisan
    artisan.cccd, artisan.ethnicity = NUMBER, ETHNICITY
    artisan.save()
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    declaration = GeneratedDocument.objects.get(dossier=dossier, sensitive=True)
    document_generate(document_id=declaration.pk)
    assert GeneratedDocument.objects.get(pk=declaration.pk).source_data["cccd"] == NUMBER
    everything = every_text_in_the_database()
    assert NUMBER not in everything
    assert ETHNICITY not in everything
