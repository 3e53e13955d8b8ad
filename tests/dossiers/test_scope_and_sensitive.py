"""Read scope and action checks for dossiers, for every role, in and out of scope."""

import logging

import pytest

from dossiers.models import SensitiveDataAccess
from dossiers.permissions import can_edit_dossier, can_view_dossier, can_view_sensitive
from dossiers.selectors import dossiers_visible_to
from dossiers.sensitive import artisan_sensitive_read
from tests import factories as f

pytestmark = pytest.mark.django_db

# role → (sees own-province dossier, sees other province's, may edit own, may read sensitive of own)
MATRIX = {
    "provincial_officer": (True, False, True, True),
    "council_member": (False, False, False, False),
    "council_secretary": (False, False, False, False),
    "ministry_clerk": (True, True, False, True),
    "ministry_leader": (True, True, False, False),
    "system_administrator": (False, False, False, False),
}


@pytest.fixture
def dossiers():
    return f.dossier("01"), f.dossier("31")


@pytest.mark.parametrize("role", MATRIX)
def test_every_role_in_and_out_of_scope(role, dossiers):
    own, other = dossiers
    agency = f.department("01") if role in {"provincial_officer", "council_member"} else f.ministry()
    user = f.user(role, agency)
    sees_own, sees_other, edits_own, sensitive_own = MATRIX[role]
    visible = set(dossiers_visible_to(user))
    assert (own in visible, other in visible) == (sees_own, sees_other)
    assert bool(can_view_dossier(user, own)) == sees_own
    assert bool(can_view_dossier(user, other)) == sees_other
    assert bool(can_edit_dossier(user, own)) == edits_own
    assert not can_edit_dossier(user, other)
    assert bool(can_view_sensitive(user, own)) == sensitive_own
    for decision in (can_view_dossier(user, other), can_edit_dossier(user, other)):
        if not decision:
            assert decision.reason  # a refusal always says why


def test_anonymous_and_inactive_users_see_nothing(dossiers):
    from django.contrib.auth.models import AnonymousUser

    assert not dossiers_visible_to(AnonymousUser()).exists()
    officer = f.officer("01")
    officer.is_active = False
    assert not dossiers_visible_to(officer).exists()


def test_list_query_count_does_not_grow_with_rows(django_assert_num_queries):
    clerk = f.user("ministry_clerk", f.ministry())
    f.dossier("01")
    with django_assert_num_queries(2):  # roles, then the joined list
        list(dossiers_visible_to(clerk))
    for code in ("31", "48", "79"):
        f.dossier(code)
    clerk = type(clerk).objects.get(pk=clerk.pk)
    with django_assert_num_queries(2):
        rows = list(dossiers_visible_to(clerk))
        [(d.artisan.craft.name, d.province.name, d.round.name, d.receiving_agency.name) for d in rows]


def test_sensitive_read_is_logged_without_the_value(dossiers, caplog):
    own, _other = dossiers
    officer = f.officer("01")
    with caplog.at_level(logging.INFO, logger="nghenhan.sensitive"):
        data = artisan_sensitive_read(dossier=own, by=officer, purpose="check")
    assert data.cccd == own.artisan.cccd
    logged = SensitiveDataAccess.objects.filter(user=officer, artisan=own.artisan)
    assert set(logged.values_list("field", flat=True)) == {"cccd", "ethnicity"}
    assert own.artisan.cccd not in caplog.text
    assert own.artisan.ethnicity not in caplog.text


def test_sensitive_read_refused_for_a_council_member_and_nothing_logged(dossiers):
    from django.core.exceptions import PermissionDenied

    own, _other = dossiers
    member = f.user("council_member", f.department("01"))
    with pytest.raises(PermissionDenied):
        artisan_sensitive_read(dossier=own, by=member, purpose="check")
    assert not SensitiveDataAccess.objects.exists()
