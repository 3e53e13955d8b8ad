"""The system administrators' pages, under /quan-tri/ beside the Django admin (which keeps its model
URLs there; these slugs are not app labels, so the two never meet)."""

from django.urls import path

from . import admin_views as v

urlpatterns = [
    path("nguoi-dung/", v.user_list, name="admin_user_list"),
    path("nguoi-dung/tao/", v.user_create, name="admin_user_create"),
    path("nguoi-dung/<int:pk>/", v.user_edit, name="admin_user_edit"),
    path("nguoi-dung/<int:pk>/gui-loi-moi/", v.user_invite, name="admin_user_invite"),
    path("nguoi-dung/<int:pk>/dat-lai-xac-thuc/", v.user_reset_second_factor, name="admin_user_reset_2fa"),
    path("co-quan/", v.agency_list, name="admin_agency_list"),
    path("co-quan/tao/", v.agency_edit, name="admin_agency_create"),
    path("co-quan/<int:pk>/", v.agency_edit, name="admin_agency_edit"),
]
