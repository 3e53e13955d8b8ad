"""`manage.py export_personal_data`: everything held about one artisan, decrypted, and the export logged."""

import json

import pytest
from django.core.management import CommandError, call_command

from documents.services import document_generate
from dossiers.consent import CONSENT_VERSION
from dossiers.models import ConsentRecord, SensitiveDataAccess
from tests import factories as f
from tests.workflows.conftest import complete_eligible_dossier
from workflows import services as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    dossier, officer = complete_eligible_dossier("01")
    artisan = dossier.artisan
    artisan.cccd, artisan.ethnicity = "001168012345", "Rơ Măm"
    artisan.save()
    ConsentRecord.objects.create(
        artisan=artisan, version=CONSENT_VERSION, text_sha256="x", recorded_by=officer
    )
    wf.dossier_transition(name="submit", dossier=dossier, by=officer)
    for document in dossier.documents.all():
        document_generate(document_id=document.pk)
    return dossier, officer


def test_export_by_cccd_holds_everything_about_the_person_and_is_logged(submitted, tmp_path, caplog):
    dossier, _officer = submitted
    clerk = f.user("ministry_clerk", f.ministry())
    out = tmp_path / "export.json"
    call_command(
        "export_personal_data", "--cccd", "001 168 012 345", "--out", str(out), "--by", clerk.username
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["purpose"] == "data-subject request"
    assert data["artisan"]["cccd"] == "001168012345" and data["artisan"]["ethnicity"] == "Rơ Măm"
    assert data["artisan"]["full_name"] == dossier.artisan.full_name
    assert "cccd_index" not in data["artisan"]
    assert [c["version"] for c in data["consents"]] == [CONSENT_VERSION]
    (exported,) = data["dossiers"]
    assert exported["id"] == dossier.pk and exported["state"] == "submitted"
    assert exported["craft_periods"] and exported["works"]
    kinds = {d["kind"] for d in data["documents"]}
    assert kinds and any(d["sensitive"] for d in data["documents"])
    declaration = next(d for d in data["documents"] if d["sensitive"])
    assert declaration["data_it_was_built_from"]["cccd"] == "001168012345"
    assert [e["transition"] for e in data["audit_entries"]] == ["submit"]
    assert {a["purpose"] for a in data["sensitive_data_accesses"]} >= {"declaration"}
    logged = SensitiveDataAccess.objects.filter(user=clerk, purpose="data-subject request")
    assert set(logged.values_list("field", flat=True)) == {"cccd", "ethnicity"}
    assert "001168012345" not in caplog.text and "Rơ Măm" not in caplog.text
    assert out.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_export_by_id_refuses_an_existing_file_and_a_user_who_may_not(submitted, tmp_path):
    dossier, officer = submitted
    out = tmp_path / "export.json"
    arguments = ("--artisan", str(dossier.artisan_id), "--out", str(out), "--by", officer.username)
    call_command("export_personal_data", *arguments)
    with pytest.raises(CommandError, match="already exists"):
        call_command("export_personal_data", *arguments)
    leader = f.user("ministry_leader", f.ministry())
    with pytest.raises(CommandError):
        call_command(
            "export_personal_data",
            "--artisan",
            str(dossier.artisan_id),
            "--out",
            str(tmp_path / "other.json"),
            "--by",
            leader.username,
        )
    assert not (tmp_path / "other.json").exists()
    assert not SensitiveDataAccess.objects.filter(user=leader).exists()


def test_an_unknown_cccd_and_another_provinces_cccd_get_the_same_answer(submitted, tmp_path):
    dossier, _officer = submitted
    other_officer = f.officer("31")  # another province's officer
    answers = []
    for cccd in (dossier.artisan.cccd, "001168099999"):  # held elsewhere; held nowhere
        with pytest.raises(CommandError) as excinfo:
            call_command(
                "export_personal_data",
                "--cccd",
                cccd,
                "--out",
                str(tmp_path / f"{cccd}.json"),
                "--by",
                other_officer.username,
            )
        answers.append(str(excinfo.value))
    assert answers[0] == answers[1]
    assert not list(tmp_path.iterdir())
