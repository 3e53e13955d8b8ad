"""The Ministry's round pages: the list, creating a round with its four milestones on one form, the
round's page (plan, milestones, rulebook version with its change form while no dossier exists, the rules
with each override's history beside the rule, the round's history), the override page of a rule, who
may open each page, and the Django admin, where rounds are read-only."""

from datetime import date

import pytest
from django.urls import reverse

from core.services import action_records_of
from dossiers.models import Round, RoundMilestone, RoundRuleOverride, RulebookVersion, RuleParameter
from dossiers.rulebook.selectors import rulebook_latest, rules_for_round
from dossiers.rulebook.services import round_rule_override
from tests import factories as f
from tests.web.test_pages_in_both_languages import (
    ENGLISH,
    ENGLISH_WORDS,
    VIETNAMESE,
    unlabelled_fields,
    visible_text,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "provincial_officer",
    "council_member",
    "council_secretary",
    "ministry_clerk",
    "ministry_leader",
    "system_administrator",
]
READERS = {"ministry_clerk", "ministry_leader", "system_administrator"}
MANAGERS = {"ministry_clerk"}
OVERRIDERS = {"ministry_leader", "system_administrator"}

CREATE_POST = {
    "number": "7",
    "name": "Xét tặng lần thứ 7",
    "plan_decision_number": "123/QĐ-BCT",
    "plan_decision_date": "10/02/2026",
    "rulebook": "",
    "ms-TOTAL_FORMS": "4",
    "ms-INITIAL_FORMS": "4",
    "ms-0-level": "applicant",
    "ms-0-description": "Nộp hồ sơ tại Sở Công Thương",
    "ms-0-due_on": "30/05/2026",
    "ms-1-level": "provincial",
    "ms-1-description": "Sở gửi hồ sơ về Bộ",
    "ms-1-due_on": "30/09/2026",
    "ms-2-level": "ministerial",
    "ms-2-description": "Hội đồng cấp Bộ họp",
    "ms-2-due_on": "15/12/2026",
    "ms-3-level": "state",
    "ms-3-description": "Hội đồng cấp Nhà nước họp",
    "ms-3-due_on": "31/03/2027",
}


def login(client, role):
    agency = f.department("01") if role == "provincial_officer" else f.ministry()
    user = f.user(role, agency, full_name=f"Người dùng {role}")
    client.force_login(user)
    return user


def post_data(**changes):
    data = {**CREATE_POST, "rulebook": str(rulebook_latest().pk)}
    data.update(changes)
    return data


def other_version() -> RulebookVersion:
    latest = rulebook_latest()
    return RulebookVersion.objects.create(
        legal_basis=latest.legal_basis, version=latest.version + 1, effective_from=date(2026, 1, 1)
    )


# Who may open what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_only_the_round_pages_it_works_with(client, role):
    f.round_(6)
    login(client, role)
    pages = {
        reverse("round_list"): READERS,
        reverse("round_detail", kwargs={"round_number": 6}): READERS,
        reverse("round_create"): MANAGERS,
        reverse("round_edit", kwargs={"round_number": 6}): MANAGERS,
        reverse(
            "round_rule_override", kwargs={"round_number": 6, "rule_key": "nnut.min_trainees"}
        ): OVERRIDERS,
    }
    for url, allowed in pages.items():
        response = client.get(url)
        assert response.status_code == (200 if role in allowed else 403), f"{role} {url}"


@pytest.mark.parametrize("role", ROLES)
def test_a_round_that_does_not_exist_answers_like_one_that_exists(client, role):
    """A user refused the round pages is refused the same way whether the round exists or not; one who
    may open them gets 404 for a round or a rule that does not exist."""
    f.round_(6)
    login(client, role)
    for name, kwargs, allowed in [
        ("round_detail", {}, READERS),
        ("round_edit", {}, MANAGERS),
        ("round_rule_override", {"rule_key": "nnut.min_trainees"}, OVERRIDERS),
    ]:
        exists = client.get(reverse(name, kwargs={"round_number": 6, **kwargs}))
        missing = client.get(reverse(name, kwargs={"round_number": 99, **kwargs}))
        assert missing.status_code == (404 if role in allowed else exists.status_code), f"{role} {name}"
    if role in OVERRIDERS:
        url = reverse("round_rule_override", kwargs={"round_number": 6, "rule_key": "no.such.rule"})
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", sorted(set(ROLES) - MANAGERS))
def test_refused_posts_change_nothing(client, role):
    round = f.round_(6)
    pinned = round.rulebook
    login(client, role)
    assert client.post(reverse("round_create"), post_data()).status_code == 403
    url = reverse("round_rulebook_change", kwargs={"round_number": 6})
    version = other_version()
    assert client.post(url, {"rulebook": version.pk, "reason": "x", "confirm": "on"}).status_code == 403
    round.refresh_from_db()
    assert round.rulebook == pinned != version
    assert not Round.objects.filter(number=7).exists()


def test_a_clerk_may_not_override_a_rule(client):
    f.round_(6)
    login(client, "ministry_clerk")
    url = reverse("round_rule_override", kwargs={"round_number": 6, "rule_key": "nnut.min_trainees"})
    response = client.post(url, {"value": "80", "reason": "x", "confirm": "on"})
    assert response.status_code == 403
    assert "lãnh đạo Bộ" in response.content.decode() or "leader" in response.content.decode()
    assert not RoundRuleOverride.objects.exists()


def test_the_ministry_menu_links_the_rounds(client):
    login(client, "ministry_leader")
    assert f'href="{reverse("round_list")}"' in client.get(reverse("home")).content.decode()
    client.logout()
    login(client, "provincial_officer")
    assert f'href="{reverse("round_list")}"' not in client.get(reverse("home")).content.decode()


# Creating and editing ---------------------------------------------------------------------------------


def test_the_create_form_offers_the_four_levels_in_order(client):
    login(client, "ministry_clerk")
    text = client.get(reverse("round_create")).content.decode()
    positions = [text.index(f'<option value="{lvl}" selected>') for lvl in RoundMilestone.Level.values]
    assert positions == sorted(positions) and len(positions) == 4
    assert 'name="ms-3-due_on"' in text and "dd/mm/yyyy" in text


def test_a_clerk_creates_a_round_with_its_milestones_on_one_form(client):
    clerk = login(client, "ministry_clerk")
    response = client.post(reverse("round_create"), post_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("round_detail", kwargs={"round_number": 7})
    round = Round.objects.get(number=7)
    assert round.plan_decision_date == date(2026, 2, 10) and round.rulebook == rulebook_latest()
    assert [m.due_on for m in round.milestones.order_by("due_on")] == [
        date(2026, 5, 30),
        date(2026, 9, 30),
        date(2026, 12, 15),
        date(2027, 3, 31),
    ]
    (record,) = action_records_of(round)
    assert record.actor == clerk
    page = client.get(response["Location"]).content.decode()
    assert "123/QĐ-BCT, 10/02/2026" in page and "31/03/2027" in page


def test_milestones_out_of_order_come_back_with_the_reason_in_vietnamese(client):
    login(client, "ministry_clerk")
    response = client.post(
        reverse("round_create"), post_data(**{"ms-2-due_on": "01/09/2026"}), HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="error-summary"' in text and "01/09/2026" in text
    assert "thứ tự" in text
    assert not Round.objects.filter(number=7).exists()


def test_a_date_that_does_not_exist_is_shown_beside_its_field(client):
    login(client, "ministry_clerk")
    response = client.post(reverse("round_create"), post_data(plan_decision_date="29/02/2026"))
    assert response.status_code == 200
    assert 'href="#id_plan_decision_date"' in response.content.decode()
    assert not Round.objects.exists()


def test_a_clerk_edits_the_plan_and_adds_a_milestone(client):
    login(client, "ministry_clerk")
    client.post(reverse("round_create"), post_data())
    url = reverse("round_edit", kwargs={"round_number": 7})
    form = client.get(url).content.decode()
    assert 'value="Sở gửi hồ sơ về Bộ"' in form and 'name="ms-4-level"' in form  # one blank row
    data = {k: v for k, v in post_data().items() if k not in ("number", "rulebook")}
    data.update(
        {
            "ms-TOTAL_FORMS": "5",
            "ms-INITIAL_FORMS": "5",
            "ms-4-level": "provincial",
            "ms-4-description": "Đà Nẵng gửi hồ sơ về Bộ",
            "ms-4-due_on": "15/10/2026",
            "reason": "Điều chỉnh kế hoạch",
        }
    )
    assert client.post(url, data).status_code == 302
    round = Round.objects.get(number=7)
    assert round.milestones.filter(level="provincial").count() == 2
    assert action_records_of(round).last().reason == "Điều chỉnh kế hoạch"


# The rulebook version ---------------------------------------------------------------------------------


def test_the_rulebook_version_changes_with_reason_and_confirmation_until_the_first_dossier(client):
    round = f.round_(6)
    version = other_version()
    login(client, "ministry_clerk")
    detail = reverse("round_detail", kwargs={"round_number": 6})
    change = reverse("round_rulebook_change", kwargs={"round_number": 6})
    text = client.get(detail).content.decode()
    assert 'id="rulebook-change"' in text and 'name="confirm"' in text
    # without the confirmation, or without a reason: refused, shown on the round's page
    for data in ({"rulebook": version.pk, "reason": "Lý do"}, {"rulebook": version.pk, "confirm": "on"}):
        response = client.post(change, data, follow=True)
        assert 'id="message-errors"' in response.content.decode()
    round.refresh_from_db()
    assert round.rulebook != version
    client.post(change, {"rulebook": version.pk, "reason": "Nghị định mới", "confirm": "on"})
    round.refresh_from_db()
    assert round.rulebook == version
    history = client.get(detail).content.decode().split('id="round-history"')[1]
    assert "Nghị định mới" in history
    # the first dossier: no form any more, and a post is refused
    f.dossier(round=round)
    text = client.get(detail).content.decode()
    assert 'id="rulebook-change"' not in text
    response = client.post(
        change, {"rulebook": rulebook_latest().pk, "reason": "x", "confirm": "on"}, follow=True
    )
    assert 'id="message-errors"' in response.content.decode()
    round.refresh_from_db()
    assert round.rulebook == version


def test_without_another_version_there_is_nothing_to_choose(client):
    f.round_(6)
    login(client, "ministry_clerk")
    text = client.get(reverse("round_detail", kwargs={"round_number": 6}), HTTP_ACCEPT_LANGUAGE="vi")
    text = text.content.decode()
    assert 'id="rulebook-change"' not in text
    assert "Chưa có phiên bản bộ quy tắc nào khác để chọn." in text


def test_only_a_clerk_sees_the_change_form(client):
    f.round_(6)
    other_version()
    login(client, "ministry_leader")
    assert (
        'id="rulebook-change"'
        not in client.get(reverse("round_detail", kwargs={"round_number": 6})).content.decode()
    )


# The rules and their overrides ------------------------------------------------------------------------


def _row(text: str, key: str) -> str:
    return text.split(f'id="rule-{key}"')[1].split("</tr>")[0]


def test_the_rules_table_shows_each_rule_with_article_mark_and_values(client):
    f.round_(6)
    login(client, "ministry_leader")
    text = client.get(
        reverse("round_detail", kwargs={"round_number": 6}), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    for p in RuleParameter.objects.filter(version=rulebook_latest()):
        row = _row(text, p.key)
        assert p.article in row and f">{p.confidence}</abbr>" in row
        assert p.description_vi in row
    assert "<code>100</code>" in _row(text, "nnut.min_trainees")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("role", ["ministry_clerk", "ministry_leader"])
def test_the_round_pages_are_in_one_language_with_a_label_on_every_field(client, role, language):
    round = f.round_(6)
    RoundMilestone.objects.create(round=round, level="state", description="Họp", due_on=date(2026, 3, 31))
    round_rule_override(
        round=round, key="nnut.min_trainees", value=80, reason="Công văn", by=f.user("ministry_leader")
    )
    other_version()
    login(client, role)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    urls = [reverse("round_list"), reverse("round_detail", kwargs={"round_number": 6})]
    if role == "ministry_clerk":
        urls += [reverse("round_create"), reverse("round_edit", kwargs={"round_number": 6})]
    else:
        urls += [reverse("round_rule_override", kwargs={"round_number": 6, "rule_key": key}) for key in KINDS]
    wrong = ENGLISH if language == "vi" else VIETNAMESE
    param = RuleParameter.objects.get(version=round.rulebook, key="nnut.min_trainees")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode(), url
        assert unlabelled_fields(response.content) == [], url
        text = visible_text(response.content)
        assert [phrase for phrase in wrong if phrase in text] == [], url
        if language == "vi":
            assert ENGLISH_WORDS.findall(text) == [], (url, text[:3000])
        if "dot/6/" in url and url.endswith("/6/"):
            description = param.description_en if language == "en" else param.description_vi
            assert description in _row(response.content.decode(), param.key)


# one rule of each kind of value: a number, yes/no, a list, and one whose value is unknown (null)
KINDS = [
    "nnut.min_trainees",
    "council.pass_ratio",
    "council.quorum_requires_chair",
    "council.pass_base",
    "intake.channels",
    "posting.provincial_days",
]


@pytest.mark.parametrize("role", sorted(OVERRIDERS))
def test_an_override_needs_a_reason_and_a_confirmation_and_shows_beside_its_rule(client, role):
    round = f.round_(6)
    user = login(client, role)
    url = reverse("round_rule_override", kwargs={"round_number": 6, "rule_key": "nnut.min_trainees"})
    page = client.get(url).content.decode()
    param = RuleParameter.objects.get(version=round.rulebook, key="nnut.min_trainees")
    assert param.article in page and ">P</abbr>" in page and 'name="confirm"' in page
    for data in ({"value": "80", "confirm": "on"}, {"value": "80", "reason": "Công văn 12"}):
        response = client.post(url, data)
        assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert not RoundRuleOverride.objects.exists()
    response = client.post(url, {"value": "80", "reason": "Công văn 12", "confirm": "on"})
    assert response.status_code == 302 and response["Location"].endswith("#rule-nnut.min_trainees")
    assert rules_for_round(round).value("nnut.min_trainees") == 80
    row = _row(
        client.get(reverse("round_detail", kwargs={"round_number": 6})).content.decode(), "nnut.min_trainees"
    )
    assert "<code>80</code>" in row and "<code>100</code>" in row
    assert "Công văn 12" in row and user.full_name in row
    assert param.article in row and ">P</abbr>" in row
    assert action_records_of(round).last().action == "round.rule_override"


def test_the_value_is_entered_as_the_rules_kind(client):
    round = f.round_(6)
    login(client, "ministry_leader")
    params = {p.key: p.value for p in RuleParameter.objects.filter(version=round.rulebook)}
    number_key = "council.pass_ratio"
    bool_key = next(k for k, v in params.items() if isinstance(v, bool))
    list_key = next(k for k, v in params.items() if isinstance(v, list))

    def post(key, value):
        url = reverse("round_rule_override", kwargs={"round_number": 6, "rule_key": key})
        return client.post(url, {"value": value, "reason": "Thử", "confirm": "on"})

    assert post(number_key, "0,8").status_code == 302  # the Vietnamese decimal comma
    assert rules_for_round(round).value(number_key) == 0.8
    assert post(number_key, "nhiều").status_code == 200  # not a number
    assert post(bool_key, "true" if not params[bool_key] else "false").status_code == 302
    assert rules_for_round(round).value(bool_key) is (not params[bool_key])
    assert post(list_key, '["a", "b"]').status_code == 302
    assert rules_for_round(round).value(list_key) == ["a", "b"]
    assert post(list_key, "[a, b").status_code == 200  # not JSON
    assert post(list_key, "12").status_code == 200  # JSON, but not a list: the service refuses
    assert RoundRuleOverride.objects.filter(round=round).count() == 3


def test_the_history_of_an_override_keeps_the_replaced_values(client):
    round = f.round_(6)
    leader = f.user("ministry_leader", full_name="Lê Văn Lãnh Đạo")
    round_rule_override(round=round, key="nnut.min_trainees", value=80, reason="Lần một", by=leader)
    round_rule_override(round=round, key="nnut.min_trainees", value=90, reason="Lần hai", by=leader)
    login(client, "ministry_clerk")
    row = _row(
        client.get(reverse("round_detail", kwargs={"round_number": 6})).content.decode(), "nnut.min_trainees"
    )
    assert row.index("Lần hai") < row.index("Lần một")
    assert "Lê Văn Lãnh Đạo" in row
    assert "round_rule_override" not in row and "/quy-tac/" not in row  # a clerk has no change link


# The Django admin -------------------------------------------------------------------------------------


def test_the_admin_shows_rounds_read_only_and_never_changes_the_rulebook_pin(client):
    round = f.round_(6)
    RoundMilestone.objects.create(round=round, level="state", description="Họp", due_on=date(2026, 3, 31))
    pinned, version = round.rulebook, other_version()
    admin = f.user("system_administrator", f.ministry(), is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:dossiers_round_change", args=[round.pk])
    page = client.get(change)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="rulebook"' not in text and 'name="milestones-0-due_on"' not in text
    response = client.post(
        change,
        {
            "number": "6",
            "name": "Đổi",
            "plan_decision_number": "1",
            "plan_decision_date": "10/02/2025",
            "rulebook": version.pk,
        },
    )
    assert response.status_code == 403
    round.refresh_from_db()
    assert round.rulebook == pinned != version and round.name == "Lần thứ 6"
    assert client.get(reverse("admin:dossiers_round_add")).status_code == 403
    assert (
        client.post(reverse("admin:dossiers_round_delete", args=[round.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Round.objects.filter(pk=round.pk).exists()
    override = round_rule_override(round=round, key="nnut.min_trainees", value=80, reason="x", by=admin)
    ov_change = reverse("admin:dossiers_roundruleoverride_change", args=[override.pk])
    assert client.post(ov_change, {"value": "1", "reason": "y"}).status_code == 403
    assert client.get(reverse("admin:dossiers_roundruleoverride_add")).status_code == 403
    override.refresh_from_db()
    assert override.value == 80


# What a screen reader is told -------------------------------------------------------------------------


def _references_resolve(content: bytes) -> None:
    from tests.web.test_accessibility_markup import Ids

    parser = Ids()
    parser.feed(content.decode())
    assert [i for i, n in parser.ids.items() if n > 1] == []
    assert [ref for _name, ref in parser.references if ref not in parser.ids] == []
    anchors = [link[1:] for link in parser.links if link.startswith("#") and len(link) > 1]
    assert [a for a in anchors if a not in parser.ids] == []


def test_failed_forms_link_every_error_to_its_field(client):
    f.round_(6)
    login(client, "ministry_clerk")
    failed = client.post(reverse("round_create"), post_data(**{"ms-1-due_on": "31/02/2026", "name": ""}))
    text = failed.content.decode()
    assert 'href="#id_name"' in text and 'href="#id_ms-1-due_on"' in text
    _references_resolve(failed.content)
    _references_resolve(client.get(reverse("round_detail", kwargs={"round_number": 6})).content)
    client.logout()
    login(client, "ministry_leader")
    for key in KINDS:
        url = reverse("round_rule_override", kwargs={"round_number": 6, "rule_key": key})
        response = client.post(url, {"value": "", "reason": "", "confirm": ""})
        assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
        _references_resolve(response.content)
