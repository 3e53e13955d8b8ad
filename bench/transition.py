"""One step as the request sees it, beside the least the database must do for it.

`workflows.services.dossier_transition` is timed on a typical step (by default `submit`: the row lock, the
checks, the state, the inbox tasks, the audit entry, the declaration requested with its number, the
events written and, after the commit, handed to the broker — the worker builds and dispatches them
later: CELERY_TASK_ALWAYS_EAGER is off), each repetition on a dossier of its own. Between repetitions, two
floors doing the essential work of a step in one transaction, committed: lock the dossier row, update its
state, insert one audit row and three notification rows — once through the Django ORM, once as plain SQL
on a connection of its own (psycopg; sqlite3 on SQLite). The floors work on a throw-away dossier of their
own (its state flips back and forth; its audit rows say they are the bench's) and delete their
notifications afterwards, untimed: the rounds are unchanged.
"""

from __future__ import annotations

import random
import statistics
import time
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone

# Steps measured on dossiers of their own, prepared through the steps before them (untimed).
PATH = ("submit", "admit", "send_to_provincial_council")
FLOOR_STEP = "bench_floor"  # the audit entries of the floors, on their throw-away dossier


class Counting:
    """Counts what one piece of work asks of the database, on Django's default connection:

    - `queries`: every SQL statement executed (an execute_wrapper sees each, SAVEPOINT and RELEASE too;
      what on_commit callbacks run is included, since they run inside the counted call);
    - `commits`: transactions committed, i.e. each COMMIT Django issues (the end of an outermost atomic
      block: `connection.commit()` counted) plus each INSERT, UPDATE or DELETE run outside any atomic
      block, which autocommit makes a transaction of its own. A SELECT outside a block commits nothing
      and is not counted; a savepoint is not a commit."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self, alias: str = "default"):
        self.connection = connections[alias]
        self.queries = self.commits = self.savepoints = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        head = sql.lstrip()[:16].upper()
        if head.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
            self.savepoints += 1
        elif not self.connection.in_atomic_block and head.startswith(self.WRITES):
            self.commits += 1
        return execute(sql, params, many, context)

    @contextmanager
    def counting(self):
        connection = self.connection
        commit = connection.commit

        def counted_commit():
            self.commits += 1
            return commit()

        connection.commit = counted_commit  # Atomic.__exit__ calls connection.commit()
        try:
            with connection.execute_wrapper(self):
                yield self
        finally:
            del connection.commit  # the class's method again


class TasksQueued:
    """Celery messages published during the work (the after-commit hand-over to the worker)."""

    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1

    @contextmanager
    def counting(self):
        from celery.signals import before_task_publish

        before_task_publish.connect(self, weak=False)
        try:
            yield self
        finally:
            before_task_publish.disconnect(self)


def measure_transition(opened, *, repeat: int, step: str = "submit", seed: int = 1) -> dict:
    """`repeat` steps `step` (of PATH) on as many dossiers of the open round's first province, received
    here for it, each followed by the two floors; medians of each."""
    from demo import simulation as sim
    from dossiers.models import Craft, Dossier
    from notifications.events import EventType
    from notifications.models import EventRecord
    from workflows.services import dossier_transition

    if step not in PATH:
        raise ValueError(f"step {step!r}: one of {', '.join(PATH)}")
    rng = random.Random(seed)  # noqa: S311  (reproducible synthetic data)
    first = opened.sessions[0]
    round_ = first.session.council.round
    province_id = first.session.council.province_id
    officer = opened.actors.officers[province_id]
    department = opened.actors.departments[province_id]
    from accounts.models import AdministrativeUnit

    commune = AdministrativeUnit.objects.filter(parent_id=province_id).order_by("code").first()
    crafts = list(Craft.objects.order_by("code"))

    # Untimed: 1 warm-up dossier, `repeat` measured ones, and the floors' throw-away dossier, received
    # and taken up to the step's source state. Serials from 9000 on: distinct from the open round's.
    ready: list[Dossier] = []
    serials = iter(range(9000, 9999))
    while len(ready) < repeat + 1:
        d = sim._receive(rng, round_, officer, department, commune, crafts, next(serials))
        try:
            for before in PATH[: PATH.index(step)]:
                d = sim._step(d, before, officer)
        except ValidationError:  # a guard refuses this one (not eligible): take another
            continue
        ready.append(d)
    floor = sim._receive(rng, round_, officer, department, commune, crafts, 9999)
    recipients = [officer.pk, first.secretary.pk, opened.actors.clerk.pk]
    event = EventRecord.objects.create(  # dispatched already: no worker ever takes it
        type=EventType.DOSSIER_STATE_CHANGED, dossier=floor, data={}, dispatched_at=timezone.now()
    )
    floors = Floors(floor, event, recipients, actor_id=officer.pk)

    def one(dossier, i):
        counter, queued = Counting(), TasksQueued()
        fresh = Dossier.objects.get(pk=dossier.pk)  # as a view loads it (untimed)
        with counter.counting(), queued.counting():
            started = time.perf_counter()
            dossier_transition(dossier=fresh, name=step, by=officer, request_id=f"bench-step-{i}")
            ms = (time.perf_counter() - started) * 1000
        return ms, counter, queued.count

    one(ready[0], 0)  # warm-up: first use of each code path and prepared cache
    floors.orm(), floors.raw()
    steps, orm, raw = [], [], []
    for i, dossier in enumerate(ready[1:], start=1):
        steps.append(one(dossier, i))
        orm.append(floors.orm())
        raw.append(floors.raw())
    floors.close()
    event.delete()  # with its notifications (none left: each floor deletes its own)

    ms = statistics.median(x[0] for x in steps)
    orm_ms = statistics.median(x[0] for x in orm)
    raw_ms = statistics.median(raw)
    return {
        "step": step,
        "repetitions": len(steps),
        "queries": round(statistics.median(x[1].queries for x in steps)),
        "queries_max": max(x[1].queries for x in steps),
        "savepoints": round(statistics.median(x[1].savepoints for x in steps)),
        "commits": round(statistics.median(x[1].commits for x in steps)),
        "commits_max": max(x[1].commits for x in steps),
        "tasks_queued": round(statistics.median(x[2] for x in steps)),
        "ms": round(ms, 2),
        "p95_ms": round(_p95([x[0] for x in steps]), 2),
        "orm_floor_ms": round(orm_ms, 2),
        "orm_floor_queries": orm[0][1].queries,
        "orm_floor_commits": orm[0][1].commits,
        "psycopg_floor_ms": round(raw_ms, 2),
        "ratio_orm": round(ms / orm_ms, 2) if orm_ms else None,
        "ratio_psycopg": round(ms / raw_ms, 2) if raw_ms else None,
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Floors:
    """The essential work of a step, on a throw-away dossier whose state flips between two values."""

    def __init__(self, dossier, event, recipients: list[int], *, actor_id: int):
        from dossiers.models import DossierState

        self.dossier_id, self.event_id, self.recipients, self.actor_id = (
            dossier.pk,
            event.pk,
            recipients,
            actor_id,
        )
        self.states = [DossierState.DRAFT, DossierState.SUBMITTED]  # it was received: a draft
        self.flips = 0
        self._raw = self._sql = None

    def _next(self) -> tuple[str, str]:
        a, b = self.states[self.flips % 2], self.states[(self.flips + 1) % 2]
        self.flips += 1
        return a, b

    def orm(self) -> tuple[float, Counting]:
        from dossiers.models import Dossier
        from notifications.models import Notification
        from workflows.models import AuditEntry

        before, after = self._next()
        counter = Counting()
        with counter.counting():
            started = time.perf_counter()
            with transaction.atomic():
                Dossier.objects.select_for_update().only("pk").get(pk=self.dossier_id)
                Dossier.objects.filter(pk=self.dossier_id).update(state=after)
                AuditEntry.objects.create(
                    dossier_id=self.dossier_id,
                    transition=FLOOR_STEP,
                    from_state=before,
                    to_state=after,
                    actor_id=self.actor_id,
                    request_id=FLOOR_STEP,
                )
                Notification.objects.bulk_create(
                    [Notification(event_id=self.event_id, recipient_id=u) for u in self.recipients]
                )
            ms = (time.perf_counter() - started) * 1000
        Notification.objects.filter(event_id=self.event_id).delete()
        return ms, counter

    def raw(self) -> float:
        """The same as plain SQL on a DB-API connection of its own (opened once, untimed)."""
        if self._raw is None:
            self._raw, self._sql = _raw_connection(), _floor_sql(len(self.recipients))
        postgresql = connections["default"].vendor == "postgresql"
        before, after = self._next()
        now = connections["default"].ops.adapt_datetimefield_value(timezone.now())  # as Django stores it
        begin, lock, update, audit, notify = self._sql
        cur = self._raw.cursor()
        started = time.perf_counter()
        if begin:
            cur.execute(begin)  # psycopg opens its transaction with the first statement
        cur.execute(lock, [self.dossier_id])
        cur.fetchone()
        cur.execute(update, [after, self.dossier_id])
        cur.execute(audit, [self.dossier_id, FLOOR_STEP, before, after, self.actor_id, now, FLOOR_STEP])
        cur.execute(notify, [x for u in self.recipients for x in (self.event_id, u, now)])
        self._raw.commit() if postgresql else cur.execute("COMMIT")
        ms = (time.perf_counter() - started) * 1000
        cur.close()
        from notifications.models import Notification

        Notification.objects.filter(event_id=self.event_id).delete()
        return ms

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()


def _floor_sql(recipients: int) -> tuple[str, ...]:
    """(begin, lock, update, audit insert, notifications insert) in the connection's own SQL; the table
    names are the models' own."""
    from dossiers.models import Dossier
    from notifications.models import Notification
    from workflows.models import AuditEntry

    postgresql = connections["default"].vendor == "postgresql"
    m = "%s" if postgresql else "?"
    dossier, audit, note = (x._meta.db_table for x in (Dossier, AuditEntry, Notification))
    rows = ", ".join([f"({m}, {m}, {m}, NULL)"] * recipients)
    return (
        "" if postgresql else "BEGIN IMMEDIATE",
        f"SELECT id FROM {dossier} WHERE id = {m}" + (" FOR UPDATE" if postgresql else ""),  # noqa: S608
        f"UPDATE {dossier} SET state = {m} WHERE id = {m}",  # noqa: S608
        f"INSERT INTO {audit} (dossier_id, transition, from_state, to_state, actor_id, reason, at, "  # noqa: S608
        f"request_id) VALUES ({m}, {m}, {m}, {m}, {m}, '', {m}, {m})",
        f"INSERT INTO {note} (event_id, recipient_id, created_at, read_at) VALUES {rows}",  # noqa: S608
    )


def _raw_connection():
    from django.conf import settings

    db = settings.DATABASES["default"]
    if connections["default"].vendor == "postgresql":
        import psycopg

        return psycopg.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
        )
    import sqlite3

    return sqlite3.connect(db["NAME"], isolation_level=None, timeout=30)
