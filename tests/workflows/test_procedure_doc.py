"""docs/procedure.md is what `manage.py procedure_doc` prints from the declarations, and it shows every
step and state."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from dossiers.models import DossierState
from workflows.transitions import steps_of

DOC = Path(__file__).resolve().parents[2] / "docs" / "procedure.md"


def test_the_committed_procedure_is_the_generated_one():
    out = StringIO()
    call_command("procedure_doc", stdout=out)
    assert DOC.read_text(encoding="utf-8") == out.getvalue(), (
        "docs/procedure.md differs from the declarations: python manage.py procedure_doc > docs/procedure.md"
    )


def test_the_procedure_names_every_step_and_state():
    text = DOC.read_text(encoding="utf-8")
    for name in steps_of():
        assert f"| `{name}` |" in text
    for state in DossierState:
        assert f"| `{state}` |" in text
