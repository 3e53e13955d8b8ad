"""The site's URLs plus the baseline page of the benchmark (never linked from the UI, never deployed:
only bench/settings.py names this module)."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from accounts.models import User
from config.urls import urlpatterns as site

BASELINE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<p>{{ name }}</p>{% endblock %}'
)


def baseline(request: HttpRequest) -> HttpResponse:
    """A logged-in page in the site's layout that renders a template and runs one query of its own."""
    name = User.objects.filter(pk=request.user.pk).values_list("username", flat=True).first()
    return HttpResponse(BASELINE.render({"name": name}, request))


urlpatterns = [*site, path("bench/baseline/", baseline, name="bench_baseline")]
