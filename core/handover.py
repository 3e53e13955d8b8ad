"""The outbox's relay, after a commit: the rows a transaction left for the worker (events to dispatch,
documents to build) are queued on the broker, and each row queued is marked handed over
(`handed_over_at`), so that the sweeps know what nobody queued (a process died after its commit, the
broker was down) and queue it within a minute, and leave alone what is queued already.

The marks of one commit are written together, in one transaction whose COMMIT does not wait for the
disk (PostgreSQL's `synchronous_commit` off, for that transaction only). A mark is a hint, not a fact
anyone relies on: if the database server crashed in the half-second before it reached the disk, the row
would read as never queued and the sweep would queue it once more, and each task is idempotent (an
event is dispatched once, a document built once, an e-mail claimed). What the step itself wrote is
committed the ordinary way, waiting for the disk. A step with events and a document so commits once
and then writes its marks without a second and third wait for the disk.

Callers: `after_commit(publish, model, ids)` where a row is created (inside the transaction);
`gathered()` around a unit of work (a step's transaction, or a council's close with all its result
steps) whose hand-overs are to be run together; `deferred()` around a batch of units each committed on
its own (the same step on a list of dossiers), whose hand-overs are run together every few commits.
Run together, the rows of one table are published in one call: a hundred events of fifty steps travel
in one message to one dispatch, which resolves the recipients they share once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone

log = logging.getLogger(__name__)

# publish(ids) queues the rows on the broker and returns the ids it queued (never raises)
Publish = Callable[[list[int]], list[int]]
Item = tuple[Publish, type[Model], list[int]]

MARKS_PER_STATEMENT = 500

_gathering: ContextVar[list[Item] | None] = ContextVar("handover_gathering", default=None)


def after_commit(publish: Publish, model: type[Model], ids: Iterable[int]) -> None:
    """Once the current transaction commits, queue `ids` with `publish` and mark those queued. Inside
    `gathered()` the marks wait for the end of the unit and are written with the others'; a savepoint
    rolled back drops what was asked inside it (Django's own on_commit does the bookkeeping)."""
    item: Item = (publish, model, list(ids))
    if not item[2]:
        return
    buffer = _gathering.get()
    if buffer is None:
        transaction.on_commit(lambda: _committed([item]), robust=True)
    else:
        transaction.on_commit(lambda: buffer.append(item), robust=True)


@contextmanager
def gathered() -> Iterator[None]:
    """The hand-overs asked for inside are run together once the transaction commits: every message
    published, then one transaction of marks. Use it inside the `transaction.atomic()` it belongs to:
    its own after-commit call is registered on leaving, after every one registered inside, so it runs
    after them. Left by an exception, it registers nothing (the transaction is being undone). Inside
    another `gathered()`, it adds to that one."""
    if _gathering.get() is not None:
        yield
        return
    buffer: list[Item] = []
    token = _gathering.set(buffer)
    try:
        yield
    finally:
        _gathering.reset(token)
    transaction.on_commit(lambda: _committed(buffer), robust=True)


class _Deferred:
    def __init__(self, every: int):
        self.every, self.items, self.units = every, [], 0

    def add(self, items: list[Item]) -> None:
        self.items += items
        self.units += 1
        if self.units >= self.every:
            self.flush()

    def flush(self) -> None:
        items, self.items, self.units = self.items, [], 0
        if items:
            hand_over(items)


_deferring: ContextVar[_Deferred | None] = ContextVar("handover_deferring", default=None)

# Commits of a batch whose hand-overs are run together (a batch of 3,400 dossiers tells the worker every
# fifty, not once per dossier and not only at its end).
DEFERRED_EVERY = 50


@contextmanager
def deferred(every: int | None = None) -> Iterator[None]:
    """Around a batch of units that each commit on their own: their hand-overs are run together, every
    `every` (DEFERRED_EVERY) commits and once more on leaving (also when left by an exception: what
    committed is handed over). A process that dies in between leaves its committed rows unmarked, and
    the sweeps queue them within a minute. Inside another `deferred()`, it adds to that one."""
    if _deferring.get() is not None:
        yield
        return
    batch = _Deferred(every or DEFERRED_EVERY)
    token = _deferring.set(batch)
    try:
        yield
    finally:
        _deferring.reset(token)
        batch.flush()


def _committed(items: list[Item]) -> None:
    """A unit committed: its hand-overs now, or with its batch's."""
    batch = _deferring.get()
    if batch is None:
        hand_over(items)
    elif items:
        batch.add(items)


def hand_over(items: list[Item]) -> dict[type[Model], list[int]]:
    """Publish the items, the ids of one table together in one call, then mark what was published,
    every table in one transaction that does not wait for the disk. Returns the ids queued, by table. A
    failure to mark is logged, never raised: what the rows tell of has committed, and an unmarked row is
    queued once more by the sweep."""
    merged: dict[tuple[Publish, type[Model]], list[int]] = {}
    for publish, model, ids in items:
        merged.setdefault((publish, model), []).extend(ids)
    queued: dict[type[Model], list[int]] = {}
    for (publish, model), ids in merged.items():
        done = publish(list(dict.fromkeys(ids)))  # each once, in order
        if done:
            queued.setdefault(model, []).extend(done)
    if queued:
        try:
            now = timezone.now()
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                for model, ids in queued.items():
                    for start in range(0, len(ids), MARKS_PER_STATEMENT):  # a sweep may queue thousands
                        chunk = ids[start : start + MARKS_PER_STATEMENT]
                        model.objects.filter(pk__in=chunk).update(handed_over_at=now)
        except DatabaseError:
            log.exception("hand-over: could not record %s; the sweep queues them once more", _named(queued))
    return queued


def _named(queued: dict[type[Model], list[int]]) -> str:
    return ", ".join(f"{model._meta.label} {ids}" for model, ids in queued.items())
