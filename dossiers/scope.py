"""Read scope granted by the apps above this one, without this app importing them.

A council's members must see the dossiers on their sessions' agendas, but councils sit above dossiers.
The councils app registers a provider at start-up; `dossiers_visible_to` and `can_view_dossier` add what
the providers grant. A provider returns a Q on Dossier for a user, or None; called with `resolved=True`
it may read what it needs first and return literals (the form a list page filters by, which PostgreSQL
serves from indexes), and must return the same condition.
"""

from collections.abc import Callable

from django.db.models import Q

_providers: list[Callable[..., Q | None]] = []


def register_scope(provider: Callable[..., Q | None]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def granted_scope(user, *, resolved: bool = False) -> Q | None:
    combined = None
    for provider in _providers:
        q = provider(user, resolved=resolved)
        if q is not None:
            combined = q if combined is None else combined | q
    return combined
