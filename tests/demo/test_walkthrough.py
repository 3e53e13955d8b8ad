"""The README's demo walkthrough works on the seeded data: each click it describes is offered to that
user and allowed (the same checks the step itself makes), and each page it names answers."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from councils.models import Session
from dossiers.models import Artisan, Dossier
from workflows.services import transition_check

pytestmark = pytest.mark.django_db


def _dossier(name: str) -> Dossier:
    return Dossier.objects.get(artisan=Artisan.objects.get(full_name=name))


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


WALKTHROUGH = (
    ("canbo.hanoi", "Nguyễn Văn Bình", "admit"),
    ("canbo.hanoi", "Trần Thị Mai", "return_for_supplement"),
    ("canbo.hanoi", "Vũ Thị Hoa", "send_to_provincial_council"),
    ("canbo.hanoi", "Ngô Văn Khải", "post_provincial_result"),
    ("chuyenvien.bct", "Hồ Văn Long", "send_to_ministerial_council"),
    ("lanhdao.bct", "Tạ Văn Sơn", "propose_to_prime_minister"),
)


def test_each_step_of_the_walkthrough_is_allowed(client, demo):
    """The README's clicks, each checked on one seeding of the demo."""
    for username, artisan, step in WALKTHROUGH:
        user = User.objects.get(username=username)
        dossier = _dossier(artisan)
        reason = "Bổ sung danh sách học trò" if step == "return_for_supplement" else ""
        assert transition_check(dossier=dossier, name=step, by=user, reason=reason), (artisan, step)
        client.force_login(user)
        home = client.get("/").content.decode()
        assert artisan in home, (username, artisan)  # on the user's home page, in "What to do next"
        assert client.get(f"/ho-so/{dossier.pk}/").status_code == 200
        client.logout()


def test_the_member_votes_and_the_secretary_closes_the_ballot(client, demo):
    session = Session.objects.get(status=Session.Status.BALLOT_OPEN, council__level="provincial")
    client.force_login(User.objects.get(username="uyvien.hanoi"))
    assert f"/hoi-dong/phien/{session.pk}/bo-phieu/" in client.get("/").content.decode()
    ballot = client.get(f"/hoi-dong/phien/{session.pk}/bo-phieu/").content.decode()
    assert "Đặng Văn Dũng" in ballot and "Bùi Thị Hằng" in ballot
    client.force_login(User.objects.get(username="thuky.hanoi"))
    page = client.get(f"/hoi-dong/phien/{session.pk}/").content.decode()
    assert f"/hoi-dong/phien/{session.pk}/dong-bo-phieu/" in page


def test_the_posted_lists_are_on_the_public_page(client, demo):
    page = client.get("/cong-khai/").content.decode()
    assert "Đỗ Thị Liên" in page and "Lý Văn Phúc" in page
