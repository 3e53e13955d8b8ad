"""The error pages are the project's own (templates/400.html, 403.html, 404.html, 500.html), in
Vietnamese, with DEBUG off as in production."""

import pytest
from django.test import Client

from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.error_urls")]

SITE = "Bỏ qua, đến nội dung chính"  # base.html's skip link, in Vietnamese


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_an_unknown_url_is_the_sites_404_in_vietnamese():
    for client in (Client(), Client()):
        response = client.get("/khong-co-trang-nay/")
        assert response.status_code == 404
        assert "Không tìm thấy trang, hoặc bạn không có quyền xem trang này." in response.text
        assert SITE in response.text and '<html lang="vi"' in response.text
        assert "Page not found" not in response.text  # not Django's technical page
        client.force_login(f.officer())  # and the same signed in


def test_400_and_403_are_the_sites_pages_in_vietnamese(client):
    bad = Client().get("/thu-loi/400/")
    assert bad.status_code == 400 and "Yêu cầu không hợp lệ" in bad.text and SITE in bad.text
    client.force_login(f.officer())
    refused = client.get("/thu-loi/403/")
    assert refused.status_code == 403 and "Không được phép" in refused.text and SITE in refused.text


def test_500_is_the_sites_page_in_vietnamese_first():
    response = Client(raise_request_exception=False).get("/thu-loi/500/")
    assert response.status_code == 500
    text = response.content.decode()
    assert '<html lang="vi">' in text and "Đã xảy ra lỗi" in text
    assert text.index("Đã xảy ra lỗi") < text.index("Something went wrong")
    assert "Traceback" not in text and "RuntimeError" not in text
