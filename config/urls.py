from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse
from django_otp.admin import OTPAdminSite

from core import views as core_views


class VerifiedAdminSite(OTPAdminSite):
    """The admin needs a session verified by the second factor (django-otp's OTPAdminSite), and signs in
    through the site's own login page, so that throttling and the second-factor steps apply there too."""

    # Unknown URLs under /quan-tri/ fall through to the site's own administrators' pages (web.admin_urls).
    final_catch_all_view = False

    @login_not_required
    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, settings.LOGIN_URL)


admin.site.__class__ = VerifiedAdminSite

urlpatterns = [
    path("ngon-ngu/", core_views.set_language, name="set_language"),
    path("health/", core_views.health, name="health"),
    path("quan-tri/", admin.site.urls),
    path("", include("web.urls")),
]
