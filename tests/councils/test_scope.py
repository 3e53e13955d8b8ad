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


def test_the_list_form_of_the_scope_is_the_check_form_read_first(django_assert_num_queries):
    """The list pages filter by the resolved scope (literal ids, provinces and rounds, which PostgreSQL
    serves from its indexes); one dossier is checked with the lazy one (subqueries). Both grant the same
    dossiers to every kind of user, including a member whose council sits in another province, a
    secretary of a round they do not keep, and a member whose council role was withdrawn."""
    from councils.selectors import agenda_scope
    from dossiers.models import Dossier, DossierState
    from tests.workflows.conftest import set_state

    council, voters, secretary = make_council(5)
    session, (on_agenda, waiting) = make_session(council, dossiers=2)
    session_agenda_add(session=session, dossiers=[on_agenda], by=secretary.user)
    waiting_in_31 = set_state(f.dossier("31"), DossierState.PROVINCIAL_REVIEW)  # another province's
    other_round = set_state(f.dossier("01", round=f.round_(7)), DossierState.PROVINCIAL_REVIEW)
    _c, other_voters, other_secretary = make_council(5, code="31")
    withdrawn = voters[1].user
    withdrawn.groups.clear()
    people = [voters[0].user, secretary.user, other_voters[0].user, other_secretary.user, withdrawn]
    people.append(f.officer("01"))
    expected = {
        voters[0].user: {on_agenda},
        secretary.user: {on_agenda, waiting},
        other_voters[0].user: set(),
        other_secretary.user: {waiting_in_31},
        withdrawn: set(),
        people[-1]: set(),
    }
    for user in people:
        user = type(user).objects.get(pk=user.pk)  # no roles remembered from before
        lazy, resolved = agenda_scope(user), agenda_scope(user, resolved=True)
        granted = lambda q: set(Dossier.objects.filter(q)) if q is not None else set()  # noqa: E731
        assert granted(lazy) == granted(resolved) == expected[user], user
        if resolved is not None:
            sql = str(Dossier.objects.filter(resolved).query).upper()
            assert sql.count("SELECT") == 1, sql  # literals only: no subquery left for the planner
    assert other_round not in granted(agenda_scope(secretary.user, resolved=True))
    # a member's list reads their seats and their councils' agendas: one query, whatever their size
    from accounts.roles import roles_of

    member = type(voters[0].user).objects.get(pk=voters[0].user.pk)
    roles_of(member)
    with django_assert_num_queries(1):
        agenda_scope(member, resolved=True)
    officer = type(people[-1]).objects.get(pk=people[-1].pk)
    roles_of(officer)
    with django_assert_num_queries(0):  # no council role: nothing to read
        assert agenda_scope(officer, resolved=True) is None
