"""The public page of posted lists and its comment form: no login, no personal identification data,
comments signed with a phone number, rate-limited, never published; a clerk can make one a complaint."""

import pytest
from django.core.cache import cache

from councils.models import PublicComment
from dossiers.models import DossierState
from tests import factories as f
from tests.workflows.conftest import set_state
from workflows.models import AuditEntry
from workflows.services import public_comment_to_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def posted():
    return set_state(f.dossier("01"), DossierState.GOV_POSTING)


GOOD = {
    "full_name": "Lê Văn Tâm",
    "phone": "0912 345 678",
    "address": "Số 5, phường Ba Đình, Hà Nội",
    "text": "Tôi biết nghệ nhân nhiều năm, xin góp ý như sau.",
}


def test_the_posted_list_is_public_and_shows_no_identification_data(client, posted):
    set_state(f.dossier("01"), DossierState.ADMITTED)  # not posted: must not appear
    page = client.get("/cong-khai/")
    body = page.content.decode()
    assert page.status_code == 200
    assert posted.artisan.full_name in body and posted.artisan.craft.name in body
    assert posted.artisan.cccd not in body and posted.artisan.ethnicity not in body
    assert [n.dossier_id for lst in page.context["lists"] for n in lst.nominees] == [posted.pk]


def test_each_list_says_what_it_is_and_until_when_comments_are_taken(client):
    from datetime import timedelta

    from django.utils import timezone

    from dossiers.rulebook.selectors import rules_for_round

    today = timezone.localdate()
    gov = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    gov.gov_posted_on = today - timedelta(days=2)
    gov.save(update_fields=["gov_posted_on"])
    provincial = set_state(f.dossier("31"), DossierState.PROVINCIAL_POSTED)
    provincial.provincial_posted_on = today - timedelta(days=40)
    provincial.save(update_fields=["provincial_posted_on"])
    gov_last = gov.gov_posted_on + timedelta(
        days=rules_for_round(gov.round).value("posting.gov_portal_days") - 1
    )
    assert today <= gov_last
    # the provincial period is not known (NF): the page does not invent one
    assert rules_for_round(provincial.round).value("posting.provincial_days") is None

    body = client.get("/cong-khai/").content.decode()
    assert "Danh sách đề nghị xét tặng của Bộ Công Thương, đăng trên Cổng Thông tin điện tử Chính phủ" in body
    assert f"Kết quả xét tặng của Hội đồng cấp tỉnh {provincial.province.name}" in body
    assert f"Nhận ý kiến đến hết ngày {gov_last:%d/%m/%Y}." in body
    assert "Nhận ý kiến trong thời hạn cơ quan đăng tải đã thông báo cùng danh sách." in body
    assert f"Đăng ngày {provincial.provincial_posted_on:%d/%m/%Y}." in body
    assert f"Đăng ngày {gov.gov_posted_on:%d/%m/%Y}." in body


def test_a_list_whose_period_is_over_says_so(client):
    from datetime import timedelta

    from django.utils import timezone

    gov = set_state(f.dossier("01"), DossierState.GOV_POSTING)
    gov.gov_posted_on = timezone.localdate() - timedelta(days=40)
    gov.save(update_fields=["gov_posted_on"])
    last = gov.gov_posted_on + timedelta(days=19)  # 20 days, the posting day the first
    body = client.get("/cong-khai/").content.decode()
    assert f"Thời gian nhận ý kiến đã kết thúc ngày {last:%d/%m/%Y}." in body
    assert "Nhận ý kiến đến hết ngày" not in body


def test_a_comment_without_a_phone_number_is_refused_and_nothing_saved(client, posted):
    response = client.post(f"/cong-khai/{posted.pk}/y-kien/", {**GOOD, "phone": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]
    response = client.post(f"/cong-khai/{posted.pk}/y-kien/", {**GOOD, "phone": "abc"})
    assert response.context["form"].errors["phone"] == ["Vui lòng ghi số điện thoại liên hệ."]
    assert not PublicComment.objects.exists()


def test_a_signed_comment_is_received_and_not_published(client, posted):
    response = client.post(f"/cong-khai/{posted.pk}/y-kien/", GOOD)
    assert response.status_code == 200
    comment = PublicComment.objects.get()
    assert (comment.full_name, comment.posted_state) == ("Lê Văn Tâm", "gov_posting")
    assert GOOD["text"] not in client.get("/cong-khai/").content.decode()


def test_comments_are_rate_limited(client, posted, settings):
    settings.PUBLIC_COMMENTS_PER_WINDOW = 2
    for _ in range(2):
        client.post(f"/cong-khai/{posted.pk}/y-kien/", GOOD)
    response = client.post(f"/cong-khai/{posted.pk}/y-kien/", GOOD)
    assert PublicComment.objects.count() == 2
    assert "Quá nhiều" in response.content.decode()


def test_no_comment_form_for_a_dossier_that_is_not_posted(client):
    dossier = f.dossier("01")
    assert client.get(f"/cong-khai/{dossier.pk}/y-kien/").status_code == 404
    assert client.post(f"/cong-khai/{dossier.pk}/y-kien/", GOOD).status_code == 404


def test_a_clerk_turns_a_comment_into_a_complaint_and_the_dossier_goes_on_hold(client, posted):
    client.post(f"/cong-khai/{posted.pk}/y-kien/", GOOD)
    comment = PublicComment.objects.get()
    clerk = f.user("ministry_clerk", f.ministry())
    dossier = public_comment_to_complaint(comment=comment, by=clerk, note="Phản ánh về số người học nghề")
    assert dossier.state == DossierState.ON_HOLD
    comment.refresh_from_db()
    assert (comment.status, comment.handled_by) == ("complaint", clerk)
    assert f"{comment.pk}" in AuditEntry.objects.get(dossier=posted, transition="hold").reason
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        public_comment_to_complaint(comment=comment, by=clerk, note="lần hai")
