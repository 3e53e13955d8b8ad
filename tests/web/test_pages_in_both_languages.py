"""A walk of every role's pages in Vietnamese and in English: each answers 200, every field has a label,
and none shows a string
of ours in the wrong language (an English source string on a Vietnamese page means a msgid missing from
the catalogue or not marked for translation; a Vietnamese translation on an English page means a
language switch that did not take). tests/test_i18n.py checks that the catalogue has every string."""

import html
import re
from html.parser import HTMLParser

import polib
import pytest
from django.core.cache import cache

from councils.models import PublicComment
from councils.services import ballot_cast, session_agenda_add, session_attendance_record
from dossiers.models import DossierState
from tests import factories as f
from tests.councils.conftest import declare_no_conflict, make_council, make_session
from tests.test_i18n import PO
from tests.workflows.conftest import set_state
from workflows.services import council_ballot_open

pytestmark = pytest.mark.django_db

# English function words: on a Vietnamese page they betray text not marked for translation at all.
ENGLISH_WORDS = re.compile(r"\b(the|your|and|with|this|not|for|you|of|is|are)\b", re.I)
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def _phrases():
    """Our strings worth looking for: whole phrases (a space, no placeholder), translated differently."""
    entries = [
        e
        for e in polib.pofile(str(PO))
        if e.msgstr and e.msgstr != e.msgid and " " in e.msgid and "%" not in e.msgid and "{" not in e.msgid
    ]
    english = {e.msgid for e in entries if len(e.msgid) >= 12}
    vietnamese = {e.msgstr for e in entries if len(e.msgstr) >= 12 and " " in e.msgstr}
    return english, vietnamese


ENGLISH, VIETNAMESE = _phrases()
# Vietnamese that is data, not interface: agency names, and the titles of the official documents (the
# documents are Vietnamese; their titles name the titles of the decree).
VIETNAMESE -= {"Sở Công Thương", "Bộ Công Thương", "Nghệ nhân ưu tú", "Nghệ nhân nhân dân"}


class _Fields(HTMLParser):
    """The form fields a person fills in, and the labels of the page."""

    def __init__(self):
        super().__init__()
        self.fields, self.labelled = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labelled.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
            self.fields.append(a)


def unlabelled_fields(content: bytes) -> list[str]:
    parser = _Fields()
    parser.feed(content.decode())
    return [
        str(a.get("name"))
        for a in parser.fields
        if a.get("id") not in parser.labelled and not a.get("aria-label") and not a.get("aria-labelledby")
    ]


# The consent text is the legal wording in Vietnamese (dossiers/consent.py), marked lang="vi" on both pages.
LEGAL_TEXT = re.compile(r'<div class="consent-text" lang="vi">.*?</div>', re.S)


def visible_text(content: bytes) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", LEGAL_TEXT.sub(" ", content.decode()))).split())


@pytest.fixture
def world():
    cache.clear()
    council, voters, secretary = make_council(5)
    session, dossiers = make_session(council, dossiers=2)
    session_agenda_add(session=session, dossiers=dossiers, by=secretary.user)
    session_attendance_record(session=session, present=voters, by=secretary.user)
    council_ballot_open(session=session, by=secretary.user)
    declare_no_conflict(session, dossiers[:1], voters[:1])
    ballot_cast(session=session, dossier=dossiers[0], choice="agree", by=voters[0].user)
    posted = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    PublicComment.objects.create(
        dossier=posted,
        full_name="Lê Văn Tâm",
        phone="0912345678",
        address="Hà Nội",
        text="Góp ý",
        posted_state="gov_posting",
    )
    s, d = session.pk, dossiers[0].pk
    return {
        "officer": (
            f.officer("01"),
            [
                "/",
                "/ho-so/",
                "/ho-so/viec-can-lam/",
                "/ho-so/tiep-nhan/",
                f"/ho-so/{d}/",
                f"/ho-so/{d}/chung-cu/",
                "/ho-so/van-ban/",
                "/thong-bao/",
                "/thong-bao/cach-nhan/",
                "/bo/tong-hop/",
                "/bo/thong-ke/",
                "/bo/buoc-theo-lo/?step=admit",
                "/bo/y-kien/",
            ],
        ),
        "member": (
            voters[0].user,
            [
                "/",
                "/hoi-dong/",
                f"/hoi-dong/phien/{s}/",
                f"/hoi-dong/phien/{s}/ho-so/{d}/",
                f"/hoi-dong/phien/{s}/bo-phieu/",
                "/ho-so/",
                "/thong-bao/",
            ],
        ),
        "secretary": (
            secretary.user,
            ["/", "/hoi-dong/", f"/hoi-dong/phien/{s}/", "/ho-so/viec-can-lam/", "/ho-so/van-ban/"],
        ),
        "clerk": (
            f.user("ministry_clerk", f.ministry()),
            [
                "/",
                "/bo/tong-hop/",
                "/bo/thong-ke/",
                "/bo/buoc-theo-lo/?step=send_to_ministerial_council",
                "/bo/y-kien/",
                f"/ho-so/{posted.pk}/",
                "/ho-so/",
                "/ho-so/van-ban/",
            ],
        ),
        "leader": (
            f.user("ministry_leader", f.ministry()),
            ["/", "/bo/tong-hop/", "/bo/thong-ke/", "/bo/y-kien/"],
        ),
        "public": (None, ["/cong-khai/", f"/cong-khai/{posted.pk}/y-kien/", "/dang-nhap/"]),
    }


@pytest.mark.parametrize("role", ["officer", "member", "secretary", "clerk", "leader", "public"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_of_every_role_is_in_one_language(client, world, role, language):
    user, urls = world[role]
    if user is not None:
        client.force_login(user)
    client.post("/ngon-ngu/", {"language": language, "next": "/"})
    wrong = ENGLISH if language == "vi" else VIETNAMESE
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode(), url
        assert unlabelled_fields(response.content) == [], url  # a label on every field
        text = visible_text(response.content)
        assert [phrase for phrase in wrong if phrase in text] == [], url
        if language == "vi":
            assert ENGLISH_WORDS.findall(text) == [], (url, text[:3000])
