"""List pages: SQL queries and response times of each role's pages beside the baseline page, through
Django's test client, and once through gunicorn for the web processes' peak memory."""

from __future__ import annotations

import http.client
import statistics
import time
from urllib.parse import urlencode

from accounts.roles import Role


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def page_sample(client, url: str, repeat: int) -> dict:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    client.get(url)  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "url": url,
        "queries": len(queries),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "bytes": len(response.content),
    }


PAGES = {
    "dossier list": "/ho-so/",
    "inbox": "/ho-so/viec-can-lam/",
    "documents": "/ho-so/van-ban/",
    "notifications": "/thong-bao/",
}


SEARCH_PAGES = ("dossier search", "dossier search, filtered")


def search_pages(users: dict) -> dict:
    """Each user's dossier list searched as a person types a name: the name of the first dossier they
    see (the lowest id, so it is there after the small round and after the large one), folded by
    core.text.fold_for_search (lower case, no tone marks: "nghe nhan mo phong 1"); then the same search
    narrowed to that dossier's state and title. Chosen once, so both sizes request the same URLs; the
    name's words occur in many other dossiers' names too, more of them after the large round."""
    from core.text import fold_for_search
    from dossiers.selectors import dossiers_visible_to

    out = {}
    for role, user in users.items():
        dossier = dossiers_visible_to(user).order_by("pk").first()
        if dossier is None:
            continue
        q = fold_for_search(dossier.artisan.full_name)
        filtered = {"q": q, "state": dossier.state, "title": dossier.title}
        out[role] = {
            SEARCH_PAGES[0]: f"{PAGES['dossier list']}?{urlencode({'q': q})}",
            SEARCH_PAGES[1]: f"{PAGES['dossier list']}?{urlencode(filtered)}",
        }
    return out


def page_users(open_round) -> dict:
    """One user per role, from the round with open work (their inboxes are not empty)."""
    first = open_round.sessions[0]
    actors = open_round.actors
    province = next(iter(actors.officers))
    return {
        Role.PROVINCIAL_OFFICER.value: actors.officers[province],
        Role.COUNCIL_SECRETARY.value: first.secretary,
        Role.COUNCIL_MEMBER.value: first.voters[1].user,
        Role.MINISTRY_CLERK.value: actors.clerk,
        Role.MINISTRY_LEADER.value: actors.leader,
    }


def measure_pages(users: dict, repeat: int, searches: dict) -> dict:
    """Each user's list pages (PAGES) and dossier searches (`searches`, from search_pages) beside the
    baseline page, and the public list."""
    from django.test import Client

    rows = {}
    baselines = {}
    for role, user in users.items():
        client = _signed_in_client(user)
        baselines[role] = page_sample(client, "/bench/baseline/", repeat)
        for page, url in {**PAGES, **searches.get(role, {})}.items():
            rows[(role, page)] = page_sample(client, url, repeat)
    rows[("public", "public list")] = page_sample(Client(), "/cong-khai/", repeat)
    baselines["public"] = baselines[Role.MINISTRY_CLERK.value]
    return {"rows": rows, "baselines": baselines}


def list_page_rows(small: dict, large: dict) -> list[dict]:
    out = []
    for (role, page), figures in large["rows"].items():
        base = large["baselines"][role]
        out.append(
            {
                "role": role,
                "page": page,
                "url": figures["url"],
                "queries_small": small["rows"][(role, page)]["queries"],
                "queries_large": figures["queries"],
                "median_ms": figures["median_ms"],
                "p95_ms": figures["p95_ms"],
                "baseline_median_ms": base["median_ms"],
                "baseline_p95_ms": base["p95_ms"],
                "baseline_queries": base["queries"],
                "ratio": round(figures["p95_ms"] / base["p95_ms"], 2) if base["p95_ms"] else None,
                "kb": round(figures["bytes"] / 1024, 1),
            }
        )
    return out


def _signed_in_client(user):
    """A test client with the session a real sign-in leaves: logged in, the second factor passed (the
    user gets a TOTP device if none) and authenticated just now, so that the ballot's re-authentication
    window is open."""
    from django.test import Client

    from accounts.auth import session_pass_second_factor

    client = Client()
    client.force_login(user)
    session_pass_second_factor(client.session, user, device_name="bench")
    return client


def _client_cookies(user) -> str:
    from django.conf import settings

    return _signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value


def http_pages(users: dict, port: int) -> None:
    """Each role's pages once through gunicorn, so that the web processes' peak memory includes the
    largest pages, not only ballots."""
    for user in users.values():
        cookie = f"sessionid={_client_cookies(user)}"
        for url in PAGES.values():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            conn.request("GET", url, headers={"Cookie": cookie})
            conn.getresponse().read()
            conn.close()
