"""The pages that record councils and their members: list, record (with confirmation), the council's
page, a change of membership and the establishing decision document."""

import itertools

import pytest
from django.urls import reverse

from councils.models import Council, Membership
from documents.kinds import Kind
from documents.models import GeneratedDocument
from dossiers.rulebook.selectors import rules_for_round
from tests import factories as f

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


def member_rows(voting: int, *, prefix: str = "members", blank: int = 3) -> dict:
    """A chair, members and a secretary as the form posts them, with blank rows after."""
    roles = ["chair"] + ["member"] * (voting - 1) + ["secretary"]
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(roles) + blank),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "60",
    }
    for i, role in enumerate(roles):
        n = next(_seq)
        data.update(
            {
                f"{prefix}-{i}-full_name": f"Đỗ Minh Tuấn {n}",
                f"{prefix}-{i}-email": f"tuan{n}@demo.invalid",
                f"{prefix}-{i}-position": "Chủ tịch Hội",
                f"{prefix}-{i}-agency_name": "Hội Làng nghề Việt Nam",
                f"{prefix}-{i}-role": role,
            }
        )
    for i in range(len(roles), len(roles) + blank):
        data[f"{prefix}-{i}-role"] = "member"  # a blank row as the browser sends it
    return data


def council_post(voting: int, **extra) -> dict:
    return {
        "round": str(f.round_().pk),
        "level": "provincial",
        "name": "Hội đồng xét tặng danh hiệu Nghệ nhân cấp tỉnh Hà Nội",
        "decision_number": "4567/QĐ-UBND",
        "decision_date": "01/08/2025",
        "decision_signer": "Trần Quốc Việt",
        "confirm": "on",
        **member_rows(voting),
        **extra,
    }


def low_high():
    rules = rules_for_round(f.round_())
    return rules.value("council.provincial.min_members"), rules.value("council.provincial.max_members")


def test_the_form_offers_fifteen_blank_rows_or_as_many_as_asked(officer_client):
    page = officer_client.get(reverse("council_setup_new"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="members-14-full_name"' in text and 'name="members-15-full_name"' not in text
    assert 'for="id_members-0-full_name"' in text  # every field labelled
    more = officer_client.get(reverse("council_setup_new") + "?rows=22").content.decode()
    assert 'name="members-21-email"' in more


def test_recording_needs_the_confirmation_then_creates_the_council(officer_client):
    low, _high = low_high()
    url = reverse("council_setup_new")
    unconfirmed = council_post(low)
    del unconfirmed["confirm"]
    page = officer_client.post(url, unconfirmed)
    assert page.status_code == 200 and not Council.objects.exists()
    assert "error-summary" in page.content.decode()

    done = officer_client.post(url, council_post(low))
    council = Council.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("council_setup_detail", kwargs={"managed_council_id": council.pk})
    assert council.province == f.province("01")
    assert council.memberships.current().count() == low + 1  # blank rows ignored
    page = officer_client.get(done["Location"]).content.decode()
    assert "4567/QĐ-UBND" in page and "Hội Làng nghề Việt Nam" in page and "Chủ tịch Hội" in page


def test_a_size_outside_the_rules_is_refused_on_the_form_until_a_reason_is_given(officer_client):
    low, _high = low_high()
    url = reverse("council_setup_new")
    page = officer_client.post(url, council_post(low - 1))
    assert page.status_code == 200 and not Council.objects.exists()
    assert str(low) in page.content.decode()
    done = officer_client.post(url, council_post(low - 1, size_reason="Thiếu một thành viên do nghỉ hưu"))
    assert done.status_code == 302
    assert Council.objects.get().decisions.get().size_reason == "Thiếu một thành viên do nghỉ hưu"


def test_an_officer_cannot_record_a_ministry_council_through_the_form(officer_client):
    low, _high = low_high()
    page = officer_client.post(reverse("council_setup_new"), council_post(low, level="state"))
    assert page.status_code == 200 and not Council.objects.exists()  # not a choice offered


def _recorded(client) -> Council:
    low, _high = low_high()
    client.post(reverse("council_setup_new"), council_post(low + 1))
    return Council.objects.get()


def test_another_province_or_role_does_not_reach_the_council(officer_client, client):
    council = _recorded(officer_client)
    url = reverse("council_setup_detail", kwargs={"managed_council_id": council.pk})
    for user in (f.officer("31"), f.user("ministry_clerk", f.ministry())):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url.rstrip("/") + "/thay-doi/", {}).status_code == 404
    member = council.memberships.filter(role=Membership.Role.MEMBER).first().user
    client.force_login(member)
    assert client.get(reverse("council_setup_list")).status_code == 403
    assert client.get(url).status_code == 404


def test_the_list_shows_only_the_councils_one_manages(officer_client, client):
    council = _recorded(officer_client)
    assert council.name in officer_client.get(reverse("council_setup_list")).content.decode()
    client.force_login(f.officer("31"))
    assert council.name not in client.get(reverse("council_setup_list")).content.decode()


def test_a_change_of_membership_shows_the_former_member_with_the_decision_that_ended_them(officer_client):
    council = _recorded(officer_client)
    leaving = council.memberships.filter(role=Membership.Role.MEMBER).first()
    url = reverse("council_setup_change", kwargs={"managed_council_id": council.pk})
    assert officer_client.get(url).status_code == 200
    data = {
        "decision_number": "5678/QĐ-UBND",
        "decision_date": "01/10/2025",
        "decision_signer": "Trần Quốc Việt",
        "end": [str(leaving.pk)],
        "confirm": "on",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-full_name": "Vũ Thị Mai",
        "members-0-email": "vu.mai@demo.invalid",
        "members-0-role": "member",
        "members-1-role": "member",
    }
    done = officer_client.post(url, data)
    assert done.status_code == 302
    leaving.refresh_from_db()
    assert leaving.ended_by.number == "5678/QĐ-UBND"
    page = officer_client.get(done["Location"]).content.decode()
    assert "Vũ Thị Mai" in page and "5678/QĐ-UBND" in page
    former = page.split('id="former-members"')[1]
    assert str(leaving.user) in former and "5678/QĐ-UBND" in former


def test_the_establishing_decision_document_is_generated_with_the_current_members(
    officer_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    council = _recorded(officer_client)
    url = reverse("council_setup_decision_document", kwargs={"managed_council_id": council.pk})
    assert officer_client.get(url).status_code == 405  # no GET writes
    done = officer_client.post(url)
    assert done.status_code == 302
    document = GeneratedDocument.objects.get(kind=Kind.COUNCIL_DECISION, council_ref=council.pk)
    chair = council.memberships.get(role=Membership.Role.CHAIR)
    assert str(chair.user) in str(document.source_data)
    page = officer_client.get(done["Location"]).content.decode()
    assert document.title in page


def test_the_session_schedule_takes_a_start_time(client):
    from tests.councils.conftest import make_council

    council, _voters, secretary = make_council(3)
    client.force_login(secretary.user)
    done = client.post(
        reverse("council_session_schedule", kwargs={"council_id": council.pk}),
        {"held_on": "20/11/2025", "starts_at": "08:30", "place": "Sở Công Thương"},
    )
    assert done.status_code == 302
    session = council.sessions.get()
    assert session.starts_at.strftime("%H:%M") == "08:30"
    assert "08:30" in client.get(done["Location"]).content.decode()
