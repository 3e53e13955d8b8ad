"""The site's URLs plus three views that fail, for the error pages' test (tests/web/test_error_pages.py)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


@login_not_required
def bad_request(request):
    raise SuspiciousOperation("a test of the 400 page")


def forbidden(request):
    raise PermissionDenied


@login_not_required
def server_error(request):
    raise RuntimeError("a test of the 500 page")


urlpatterns = [
    path("thu-loi/400/", bad_request),
    path("thu-loi/403/", forbidden),
    path("thu-loi/500/", server_error),
    *site_urlpatterns,
]
