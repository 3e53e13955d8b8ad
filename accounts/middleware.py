"""Session rules applied on every request (the rules themselves: accounts.auth)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import auth

# Pages open to a signed-in user who has not yet entered the second factor: signing in and out, the
# language switch, the second-factor steps themselves, health, and the public pages (open to anyone).
BEFORE_SECOND_FACTOR = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "otp_verify",
        "otp_enrol",
        "invitation_accept",
        "invitation_accept_submit",
        "health",
        "public_list",
        "public_comment",
        "accessibility_statement",
    }
)


class IdleTimeoutMiddleware:
    """Signs out a session that made no request for SESSION_IDLE_TIMEOUT_SECONDS; otherwise notes this
    request's time (at most once a minute, so that most requests write nothing to the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            if auth.idle_too_long(session):
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity. Sign in again."))
            else:
                seen = session.get(auth.LAST_SEEN_KEY)
                if seen is None or auth.now() - int(seen) >= auth.LAST_SEEN_RESOLUTION_SECONDS:
                    auth.mark_seen(session)
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, a user who must use a second factor (accounts.auth.second_factor_expected)
    reaches no page but those of BEFORE_SECOND_FACTOR until the session is verified: with a device, the
    code page; without, the enrolment page. Placed after AuthenticationMiddleware and OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if (match is not None and match.url_name in BEFORE_SECOND_FACTOR and not match.namespace) or (
            request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            return None
        if not auth.second_factor_expected(user):
            return None
        step = "otp_verify" if auth.confirmed_device(user) is not None else "otp_enrol"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
