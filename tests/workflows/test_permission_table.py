"""Every transition × every role, in scope and out of it: allowed exactly as declared, refused with a
reason otherwise (one parametrised test over the whole table)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from tests import factories as f
from tests.workflows.conftest import set_state
from workflows.services import dossier_transition
from workflows.transitions import DossierFlow, transition_meta, transition_names

pytestmark = pytest.mark.django_db
PROVINCIAL_ROLES = {"provincial_officer", "council_member", "council_secretary"}


def one_source(name):
    declared = transition_meta(name)[0]
    return declared.source, declared.custom


def expected(role, custom, same_province):
    if role not in custom["roles"]:
        return False
    ministry = role in {"ministry_clerk", "ministry_leader"}
    if custom["scope"] == "ministry":
        return ministry
    if custom["scope"] == "province":
        return not ministry and same_province
    return ministry or same_province  # "either"


CASES = [(name, role.value, same) for name in transition_names() for role in Role for same in (True, False)]


@pytest.mark.parametrize(("name", "role", "same_province"), CASES)
def test_transition_permission(name, role, same_province):
    source, custom = one_source(name)
    dossier = set_state(f.dossier("01"), source)
    agency = f.department("01" if same_province else "31") if role in PROVINCIAL_ROLES else f.ministry()
    user = f.user(role, agency)
    data = {"reason": "lý do", "decision_number": "1/QĐ-CTN"}
    try:
        dossier_transition(dossier=DossierFlow.objects.get(pk=dossier.pk), name=name, by=user, **data)
        permitted = True
    except PermissionDenied as exc:
        permitted = False
        assert str(exc)  # a refusal says why
    except ValidationError:
        permitted = True  # past the permission check, stopped by a guard or missing data
    assert permitted == expected(role, custom, same_province)


def test_every_transition_declares_roles_scope_and_reason():
    for name in transition_names():
        for t in transition_meta(name):
            assert t.custom["roles"], name
            assert t.custom["scope"] in {"province", "ministry", "either"}, name
            assert isinstance(t.custom["reason_required"], bool), name


def test_every_transition_has_a_label():
    from workflows.transitions import LABELS

    assert set(LABELS) == set(transition_names())
