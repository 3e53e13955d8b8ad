"""The secret ballot: the tally of a large session (the count alone and the whole close), and concurrent
ballots over HTTP, counted afterwards (none lost, none stored twice): sealed while the ballot is open, then
opened by a close that is rolled back (the sessions stay open for the pages measured next)."""

from __future__ import annotations

import http.client
import secrets
import string
import threading
import time
from urllib.parse import urlencode

from .pages import _client_cookies, _percentile


def measure_tally(session) -> dict:
    """Every member's ballot through ballot_cast, then the close: the count alone (rolled back) and the
    whole close the procedure runs (count, one result transition per dossier, the minutes requested)."""
    from django.db import transaction

    from councils.services import ballot_cast, ballot_close, conflict_declare
    from workflows.services import council_ballot_close

    for dossier in session.agenda:  # no ballot without a declaration (not timed)
        for member in session.voters:
            conflict_declare(session=session.session, dossier=dossier, by=member.user, status="none")
    started = time.perf_counter()
    for dossier in session.agenda:
        for member in session.voters:
            ballot_cast(session=session.session, dossier=dossier, choice="agree", by=member.user)
    cast_s = time.perf_counter() - started
    ballots = len(session.agenda) * len(session.voters)
    with transaction.atomic():
        started = time.perf_counter()
        ballot_close(session=session.session, by=session.secretary)
        count_ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    started = time.perf_counter()
    tallies = council_ballot_close(session=session.session, by=session.secretary, request_id="bench")
    close_ms = (time.perf_counter() - started) * 1000
    return {
        "dossiers": len(session.agenda),
        "members": len(session.voters),
        "count_ms": round(count_ms, 1),
        "close_ms": round(close_ms, 1),
        "passed": sum(1 for t in tallies if t.passed),
        "ballots_cast_by_service_per_second": round(ballots / cast_s, 1),
    }


def measure_ballots(sessions: list, clients: int, port: int) -> dict:
    """`clients` members (of several councils), each logged in, all starting at once: every member casts a
    ballot on each dossier of the agenda, then sends its first ballot again (it must be refused)."""
    from django.conf import settings
    from django.db import transaction
    from django.db.models import Count

    from councils.models import Ballot, BallotParticipation, SealedBallot
    from councils.services import ballot_close, conflict_declare

    plans = []
    voters = [
        (s, s.voters[i])
        for i in range(max(len(s.voters) for s in sessions))
        for s in sessions
        if i < len(s.voters)
    ]
    if len(voters) < clients:
        raise RuntimeError(f"only {len(voters)} voters for {clients} clients")
    alphabet = string.ascii_letters + string.digits
    for s, member in voters[:clients]:
        for d in s.agenda:  # no ballot without a declaration (not timed)
            conflict_declare(session=s.session, dossier=d, by=member.user, status="none")
        token = "".join(secrets.choice(alphabet) for _ in range(32))
        cookie = f"{settings.SESSION_COOKIE_NAME}={_client_cookies(member.user)}; csrftoken={token}"
        posts = [(d.pk, "agree") for d in s.agenda] + [(s.agenda[0].pk, "disagree")]
        plans.append((s.session.pk, cookie, token, posts))
    outcomes: list[tuple[str, int, float]] = []  # (expected, status, ms)
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(plan):
        session_id, cookie, token, posts = plan
        barrier.wait()
        for n, (dossier_id, choice) in enumerate(posts):
            expected = "stored" if n < len(posts) - 1 else "refused"
            body = urlencode({"dossier": dossier_id, "choice": choice})
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request(
                    "POST",
                    f"/hoi-dong/phien/{session_id}/phieu/",
                    body=body,
                    headers={
                        "Cookie": cookie,
                        "X-CSRFToken": token,
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
                status = conn.getresponse().status
                conn.close()
            except OSError:
                status = 0
            with lock:
                outcomes.append((expected, status, (time.perf_counter() - started) * 1000))

    threads = [threading.Thread(target=client, args=(plan,)) for plan in plans]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ids = [s.session.pk for s in sessions]
    stored_ok = sum(1 for e, st, _ in outcomes if e == "stored" and st == 302)
    refused_ok = sum(1 for e, st, _ in outcomes if e == "refused" and st == 400)
    participations = BallotParticipation.objects.filter(session_id__in=ids)
    repeated = (
        participations.values("session", "dossier", "membership")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    per_dossier_p = dict(
        ((r["session"], r["dossier"]), r["n"])
        for r in participations.values("session", "dossier").annotate(n=Count("id"))
    )
    sealed = SealedBallot.objects.filter(session_id__in=ids).count()
    # The choices are sealed while the ballot is open: counting them per dossier takes the close, here
    # rolled back so that the sessions stay open.
    with transaction.atomic():
        for s in sessions:
            ballot_close(session=s.session, by=s.secretary)
        per_dossier_b = dict(
            ((r["session"], r["dossier"]), r["n"])
            for r in Ballot.objects.filter(session_id__in=ids)
            .values("session", "dossier")
            .annotate(n=Count("id"))
            .order_by()
        )
        transaction.set_rollback(True)
    expected_stored = sum(len(p[3]) - 1 for p in plans)
    stored = participations.count()
    times = [ms for _, _, ms in outcomes]
    return {
        "clients": clients,
        "sent": len(outcomes),
        "expected_stored": expected_stored,
        "stored": stored,
        "ballot_rows": sealed,
        "accepted": stored_ok,
        "duplicates_sent": len(plans),
        "duplicates_refused": refused_ok,
        "duplicates": repeated,
        "lost": expected_stored - stored,
        "ballots_match_participations": per_dossier_p == per_dossier_b,
        "errors": len(outcomes) - stored_ok - refused_ok,
        "per_second": round(len(outcomes) / elapsed, 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "seconds": round(elapsed, 2),
    }
