"""Recording councils and their members (web/council_setup_views.py), under /hoi-dong/thiet-lap/."""

from django.urls import path

from . import council_setup_views as v

urlpatterns = [
    path("", v.setup_list, name="council_setup_list"),
    path("moi/", v.setup_new, name="council_setup_new"),
    path("<int:managed_council_id>/", v.setup_detail, name="council_setup_detail"),
    path("<int:managed_council_id>/thay-doi/", v.setup_change, name="council_setup_change"),
    path(
        "<int:managed_council_id>/quyet-dinh/",
        v.setup_decision_document,
        name="council_setup_decision_document",
    ),
]
