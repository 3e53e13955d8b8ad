from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse
from django_otp.admin import OTPAdminSite

from core import views as core_views
from web import account_views, ballot_views, home_views, notification_views, public_views


class VerifiedAdminSite(OTPAdminSite):
    """The admin needs a session verified by the second factor (django-otp's OTPAdminSite), and signs in
    through the site's own login page, so that throttling and the second-factor steps apply there too."""

    @login_not_required
    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, settings.LOGIN_URL)


admin.site.__class__ = VerifiedAdminSite

urlpatterns = [
    path("", home_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ngon-ngu/", core_views.set_language, name="set_language"),
    path("tai-khoan/", account_views.account, name="account"),
    path("tai-khoan/ma-xac-thuc/", account_views.otp_verify, name="otp_verify"),
    path("tai-khoan/cai-dat-xac-thuc/", account_views.otp_enrol, name="otp_enrol"),
    path("tai-khoan/xac-nhan-lai/", account_views.reauth, name="reauth"),
    path("tai-khoan/dang-xuat-moi-thiet-bi/", account_views.logout_everywhere, name="logout_everywhere"),
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
