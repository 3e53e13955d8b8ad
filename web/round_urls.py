"""The Ministry's round pages, under /bo/dot/."""

from django.urls import path

from . import round_views as v

urlpatterns = [
    path("", v.round_list, name="round_list"),
    path("tao-moi/", v.round_create_page, name="round_create"),
    path("<int:round_number>/", v.round_detail, name="round_detail"),
    path("<int:round_number>/sua/", v.round_edit, name="round_edit"),
    path("<int:round_number>/bo-quy-tac/", v.round_rulebook_change_page, name="round_rulebook_change"),
    path(
        "<int:round_number>/quy-tac/<str:rule_key>/", v.round_rule_override_page, name="round_rule_override"
    ),
]
