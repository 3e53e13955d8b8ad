"""The rulebook page: every parameter of a round, its value, article, confidence mark and source, and
the round's overrides with their reason and author; read by officers, councils and the Ministry."""

import pytest
from django.urls import reverse
from django.utils import translation

from dossiers.models import RuleParameter
from dossiers.rulebook.selectors import rulebook_latest
from dossiers.rulebook.services import round_rule_override
from tests import factories as f

pytestmark = pytest.mark.django_db

READERS = ["provincial_officer", "council_member", "council_secretary", "ministry_clerk", "ministry_leader"]


@pytest.mark.parametrize("role", READERS)
def test_every_parameter_with_its_value_article_mark_and_source(client, role):
    f.round_(6)
    client.force_login(f.user(role, f.department("01") if role == "provincial_officer" else None))
    response = client.get(reverse("rulebook"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    text = response.content.decode()
    for p in RuleParameter.objects.filter(version=rulebook_latest()):
        assert f'id="rule-{p.key}"' in text
        assert p.article in text
    assert "Điều 6 khoản 2" in text and ">C</abbr>" in text and ">NF</abbr>" in text
    assert "docs/law.md §3.5" in text  # the counting rule's source
    assert "Thời gian hoạt động liên tục hoặc cộng dồn trong nghề từ 20 năm trở lên" in text


def test_an_override_shows_its_value_reason_and_author_for_that_round_only(client):
    round6, round7 = f.round_(6), f.round_(7)
    admin = f.user("system_administrator", full_name="Quản Trị Viên")
    round_rule_override(round=round6, key="nnut.min_trainees", value=80, reason="Văn bản số 12", by=admin)
    round_rule_override(round=round6, key="nnut.min_trainees", value=90, reason="Đính chính", by=admin)
    client.force_login(f.user("ministry_clerk"))
    text = client.get(reverse("rulebook"), {"round": 6}).content.decode()
    row = text.split('id="rule-nnut.min_trainees"')[1].split("</tr>")[0]
    assert "<code>90</code>" in row and "Đính chính" in row and "Quản Trị Viên" in row
    assert "Văn bản số 12" in row  # the history stays visible
    assert "<code>100</code>" in row  # the rulebook's own value
    other = client.get(reverse("rulebook"), {"round": 7}).content.decode()
    row7 = other.split('id="rule-nnut.min_trainees"')[1].split("</tr>")[0]
    assert "Đính chính" not in row7 and "<code>100</code>" in row7
    assert round7.number == 7


def test_the_page_in_english_shows_the_english_descriptions(client):
    f.round_(6)
    client.force_login(f.user("council_member"))
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        text = client.get(reverse("rulebook")).content.decode()
    assert "At least 20 years in the craft, continuous or cumulative" in text


def test_without_a_role_the_rulebook_is_refused(client):
    client.force_login(f.user())
    assert client.get(reverse("rulebook")).status_code == 403


def test_with_no_round_yet_the_newest_version_is_shown(client):
    client.force_login(f.user("ministry_clerk"))
    response = client.get(reverse("rulebook"))
    assert response.status_code == 200 and 'id="rule-nnnd.min_years_in_craft"' in response.content.decode()
