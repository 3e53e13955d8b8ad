"""No dead ends in the demo: for each demo user, every same-site link a page offers (and every GET
form's action), followed breadth first from the home page, answers 200, possibly after redirects.
Downloads count. The demo data gives every role work: the inbox is not empty, and the secretary and the
member see a session."""

import io
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from demo.management.commands.seed_demo import DEMO_USERS
from workflows.selectors import inbox_of

pytestmark = pytest.mark.django_db

NEVER = ("/dang-xuat/", "/tai-khoan/dang-xuat-moi-thiet-bi/")  # signing out ends the crawl
ADMIN = "/quan-tri/"  # Django's own admin: its index is checked, its hundreds of model pages are not
MAX_PAGES = 600


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.found.append(attrs.get("action") or "")


def _same_site(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    url, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if any(parts.path.startswith(p) for p in NEVER):
        return None
    if parts.path.startswith(ADMIN) and parts.path != ADMIN:
        return None
    return path


def crawl(client) -> dict[str, int]:
    """Every page reachable from the home page: {url: final status} (redirects followed)."""
    seen = {"/": 0}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, follow=True)
        seen[url] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.found:
            target = _same_site(final, href)
            if target is not None and target not in seen:
                seen[target] = 0
                queue.append(target)
    return seen


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    """The demo data, with what the worker does after each commit done here (the documents are built, so
    their downloads are offered and followed too)."""
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def test_every_link_a_demo_user_is_offered_answers_200(client, demo):
    """Every demo user in turn, on one seeding of the demo (seeding costs more than crawling)."""
    dead = {}
    for username in [row[0] for row in DEMO_USERS]:
        client.force_login(User.objects.get(username=username))
        pages = crawl(client)
        assert len(pages) > 3, username
        dead.update({(username, url): status for url, status in pages.items() if status != 200})
        client.logout()
    assert not dead, dead


def test_every_role_has_work_waiting_and_the_council_sees_its_session(client, demo):
    for username in ["canbo.hanoi", "thuky.hanoi", "uyvien.hanoi", "chuyenvien.bct", "lanhdao.bct"]:
        assert len(inbox_of(User.objects.get(username=username))) > 0, username
    for username in ["thuky.hanoi", "uyvien.hanoi"]:
        client.force_login(User.objects.get(username=username))
        assert "/hoi-dong/phien/" in client.get("/hoi-dong/").content.decode(), username
        assert "/hoi-dong/phien/" in client.get("/").content.decode(), username
        client.logout()


def test_the_secretarys_task_leads_to_a_page_when_a_dossier_is_sent_to_the_council(client, demo):
    """The walkthrough's next step: the officer sends the admitted dossier to the council; the secretary's
    new task (put it on a session's agenda) must lead somewhere, not to a dossier outside their scope."""
    from dossiers.models import Dossier
    from workflows.services import dossier_transition

    admitted = Dossier.objects.get(state="admitted")
    dossier_transition(
        dossier=admitted, name="send_to_provincial_council", by=User.objects.get(username="canbo.hanoi")
    )
    secretary = User.objects.get(username="thuky.hanoi")
    assert any(item.dossier.pk == admitted.pk for item in inbox_of(secretary))
    client.force_login(secretary)
    dead = {url: status for url, status in crawl(client).items() if status != 200}
    assert not dead
