"""The rules of signing in, in one place: who needs a second factor, what a session remembers of its
sign-in (when the password and code were last entered, when it was last used), and the client address
that login throttling counts by. The middleware (accounts.middleware) and the pages (web.account_views)
only apply them; the numbers are settings (SESSION_IDLE_TIMEOUT_SECONDS, REAUTH_MAX_AGE_SECONDS,
TWO_FACTOR_REQUIRED_ROLES, AXES_*)."""

from __future__ import annotations

import time

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import roles_of

# Session keys. DEVICE_ID_SESSION_KEY (django-otp's) marks the session as verified by that device.
AUTH_AT_KEY = "accounts_auth_at"  # time.time() of the last password (or password + code) entry
LAST_SEEN_KEY = "accounts_last_seen"  # time.time() of the last request, to the minute
LAST_SEEN_RESOLUTION_SECONDS = 60  # the session is written at most once a minute for it


def now() -> int:
    return int(time.time())


def two_factor_required(user) -> bool:
    """Users of the roles in TWO_FACTOR_REQUIRED_ROLES, staff and superusers must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    required = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return any(role.value in required for role in roles_of(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice | None:
    """The device the user started to enrol and has not confirmed with a code yet, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def enrolment_start(*, user) -> TOTPDevice:
    """Start enrolling an authenticator app: a new secret (an unconfirmed device), or the one already
    started, so that starting twice shows the same QR code."""
    device = pending_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


def enrolment_confirm(*, device: TOTPDevice) -> None:
    """The user entered a good code of the device being enrolled: it becomes their second factor."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def second_factor_expected(user) -> bool:
    """Whether this user must enter a code after the password: a required role, or a device enrolled."""
    return two_factor_required(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mark_authenticated(session) -> None:
    """The password (and the code, where there is one) were just entered: the re-authentication window
    starts again."""
    session[AUTH_AT_KEY] = now()


def mark_seen(session) -> None:
    session[LAST_SEEN_KEY] = now()


def mark_verified(request, device: TOTPDevice) -> None:
    """The user entered a good code of their device: the session is verified (as django_otp.login).
    The session key changes here too, as at the password: a key seen before the second factor (on a
    shared computer, in a proxy's log) never becomes a fully signed-in session."""
    request.session.cycle_key()
    django_otp.login(request, device)
    mark_authenticated(request.session)


def mark_session_verified(session, device: TOTPDevice) -> None:
    """The same on a stored session, for sessions made without a request (tests, make bench)."""
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    mark_authenticated(session)
    mark_seen(session)


def session_pass_second_factor(session, user, *, device_name: str) -> None:
    """For sessions made without a sign-in (tests' force_login, make bench): the user gets a confirmed
    device if they have none, and the stored session is marked verified by it, just authenticated."""
    device = confirmed_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=device_name, confirmed=True)
    mark_session_verified(session, device)
    session.save()


def seconds_since_authentication(session) -> int | None:
    at = session.get(AUTH_AT_KEY)
    return None if at is None else now() - int(at)


def recently_authenticated(session) -> bool:
    """Whether the password (and code) were entered within REAUTH_MAX_AGE_SECONDS."""
    age = seconds_since_authentication(session)
    return age is not None and 0 <= age <= settings.REAUTH_MAX_AGE_SECONDS


def idle_too_long(session) -> bool:
    seen = session.get(LAST_SEEN_KEY)
    return seen is not None and now() - int(seen) > settings.SESSION_IDLE_TIMEOUT_SECONDS


def end_all_sessions(user) -> None:
    """Sign the user out everywhere: the session generation is part of the session hash that Django
    checks on every request (accounts.models.User._get_session_auth_hash), so every session made
    before this one no longer matches, whatever the session backend."""
    get_user_model().objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)


def on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in: the sign-in time and the last-seen time start now."""
    session = getattr(request, "session", None)
    if session is not None:
        mark_authenticated(session)
        mark_seen(session)


def client_ip(request) -> str | None:
    """The client's address for login throttling: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse
    proxies, the address the outermost of them saw (an X-Forwarded-For entry a client wrote itself is
    never used, so nobody can lock a user out by claiming that user's address)."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")
