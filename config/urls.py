from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views
from web import ballot_views, home_views, notification_views, public_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ngon-ngu/", core_views.set_language, name="set_language"),
    path("health/", core_views.health, name="health"),
    path("ho-so/", include("web.urls")),
    path("hoi-dong/", include("web.council_urls")),
    path("bo/", include("web.ministry_urls")),
    path("cong-khai/", public_views.posted_list, name="public_list"),
    path("cong-khai/<int:dossier_id>/y-kien/", public_views.comment, name="public_comment"),
    path("thong-bao/", notification_views.notification_list, name="notification_list"),
    path("thong-bao/<int:pk>/da-doc/", notification_views.notification_read, name="notification_read"),
    path("thong-bao/da-doc-het/", notification_views.notification_read_all, name="notification_read_all"),
    path(
        "thong-bao/cach-nhan/", notification_views.notification_preferences, name="notification_preferences"
    ),
    path("hoi-dong/phien/<int:session_id>/phieu/", ballot_views.ballot_cast_view, name="ballot_cast"),
    path("quan-tri/", admin.site.urls),
]
