"""Every page of the site's web interface, by part; config.urls includes this module at the root."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import home_views, public_views, rulebook_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("web.account_urls")),
    path("ho-so/", include("web.dossier_urls")),
    path("hoi-dong/thiet-lap/", include("web.council_setup_urls")),
    path("hoi-dong/", include("web.council_urls")),
    path("bo/dot/", include("web.round_urls")),
    path("bo/", include("web.ministry_urls")),
    path("cong-khai/", include("web.public_urls")),
    path("nghe-nhan/", include("web.registry_urls")),
    path("thong-bao/", include("web.notification_urls")),
    path("quan-tri/", include("web.admin_urls")),
    path("quy-tac/", rulebook_views.rulebook, name="rulebook"),
    path("kha-nang-tiep-can/", public_views.accessibility_statement, name="accessibility_statement"),
]
