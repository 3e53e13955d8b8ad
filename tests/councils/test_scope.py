"""A council's members see the dossiers on their sessions' agendas, and nothing else; its secretary also the
dossiers waiting for the council; never the CCCD."""

import pytest

from councils.services import session_agenda_add
from dossiers.permissions import can_edit_dossier, can_view_dossier, can_view_sensitive
from dossiers.selectors import dossiers_visible_to
from tests import factories as f
from tests.councils.conftest import make_council, make_session

pytestmark = pytest.mark.django_db


def test_members_see_their_agenda_only(client):
    council, voters, secretary = make_council(9)
    session, (on_agenda, not_on_agenda) = make_session(council, dossiers=2)
    session_agenda_add(session=session, dossiers=[on_agenda], by=secretary.user)
    _other, other_voters, _s = make_council(9, code="31")
    member = voters[0].user
    assert list(dossiers_visible_to(member)) == [on_agenda]
    assert can_view_dossier(member, on_agenda) and not can_view_dossier(member, not_on_agenda)
    assert not can_edit_dossier(member, on_agenda)
    assert not can_view_sensitive(member, on_agenda)
    assert list(dossiers_visible_to(other_voters[0].user)) == []
    # the secretary prepares the agenda: they also see their province's dossiers waiting for the council
    assert set(dossiers_visible_to(secretary.user)) == {on_agenda, not_on_agenda}
    assert dossiers_visible_to(secretary.user).count() == 2  # each once
    assert list(dossiers_visible_to(_s.user)) == []  # another province's secretary: nothing
    client.force_login(member)
    assert client.get(f"/ho-so/{on_agenda.pk}/").status_code == 200
    assert client.get(f"/ho-so/{not_on_agenda.pk}/").status_code == 404
    assert client.post(f"/ho-so/{on_agenda.pk}/ca-nhan/").status_code == 403


def test_the_officer_scope_is_unchanged():
    f.dossier("01")
    assert dossiers_visible_to(f.officer("31")).count() == 0
