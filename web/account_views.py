"""Signing in beyond the password: the second factor (enrolment and the code), re-authentication before
a ballot or a decision, logout everywhere, and the page shown when login is throttled. The rules are in
accounts.auth; the numbers in settings."""

from __future__ import annotations

from base64 import b32encode
from functools import wraps
from math import ceil

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import auth
from accounts import services as account_services
from core.http import is_safe_path

from .errors import refusal_to_form

# --- helpers ---------------------------------------------------------------------------------------------


def safe_next(request: HttpRequest, default: str = "home") -> str:
    """The `next` of the request (POST, then GET) when it stays on this site; else `default` (a URL name)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if is_safe_path(request, candidate):
        return candidate
    return reverse(default)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


def _throttled_message(device: TOTPDevice) -> str | None:
    """django-otp's own throttle (waits that double after each wrong code): None when a try is allowed."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    until = (info or {}).get("locked_until")
    seconds = max(1, ceil((until - timezone.now()).total_seconds())) if until else 1
    return _("Too many wrong codes. Wait %(n)d seconds and try again.") % {"n": seconds}


def _check_code(user, device: TOTPDevice, code: str) -> str | None:
    """None when the code is good; otherwise the message to show. A wrong code counts for the throttle."""
    refused = _throttled_message(device)
    if refused:
        return refused
    if django_otp.verify_token(user, device.persistent_id, code) is None:
        return _("The code is wrong or has expired. Enter the code your app shows now.")
    return None


# --- the second factor -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code of the user's enrolled device."""
    next_url = safe_next(request)
    device = auth.confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("otp_enrol", next_url))
    if request.user.is_verified():
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check_code(request.user, device, form.cleaned_data["code"])
        if error is None:
            device.refresh_from_db()
            auth.mark_verified(request, device)
            return redirect(next_url)
        form.add_error("code", error)
    return render(request, "registration/otp_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment of an authenticator app, in two steps so that showing a page writes nothing: a POST
    starts it (a secret is made), then the page shows the secret (base32, the otpauth:// address and its
    QR code) and a code from the app shows it was set up; only then is the device confirmed."""
    next_url = safe_next(request)
    if auth.confirmed_device(request.user) is not None:
        return redirect(_with_next("otp_verify", next_url))
    device = auth.pending_device(request.user)
    if request.method == "POST" and (device is None or request.POST.get("start")):
        auth.enrolment_start(user=request.user)
        return redirect(_with_next("otp_enrol", next_url))
    context = {"next": next_url, "required": auth.two_factor_required(request.user)}
    if device is None:
        return render(request, "registration/otp_enrol.html", context)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _throttled_message(device)
        if error is None and not device.verify_token(form.cleaned_data["code"]):
            error = _("The code is wrong or has expired. Check the app was set up with this secret.")
        if error is None:
            auth.enrolment_confirm(device=device)
            auth.mark_verified(request, device)
            messages.success(request, _("Two-step verification is on for your account."))
            return redirect(next_url)
        form.add_error("code", error)
    uri = device.config_url
    context.update(
        form=form,
        secret=b32encode(device.bin_key).decode(),
        uri=uri,
        qr_svg=segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff"),
    )
    return render(request, "registration/otp_enrol.html", context)


# --- re-authentication -----------------------------------------------------------------------------------


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = CodeForm.base_fields["code"]

    def __init__(self, *args, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]
        else:
            self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    """Confirm it is you: the password again, and the code when the user has a device. Wrong passwords
    count for login throttling (they go through authenticate, hence django-axes)."""
    next_url = safe_next(request)
    device = auth.confirmed_device(request.user)
    form = ReauthForm(request.POST or None, with_code=device is not None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=request.user.get_username(), password=form.cleaned_data["password"]
        )
        if user is None or user.pk != request.user.pk:
            form.add_error("password", _("The password is not correct."))
        elif device is not None:
            error = _check_code(request.user, device, form.cleaned_data["code"])
            if error:
                form.add_error("code", error)
        if not form.errors:
            if device is not None:
                device.refresh_from_db()
                auth.mark_verified(request, device)
            else:
                auth.mark_authenticated(request.session)
            return redirect(next_url)
    return render(request, "registration/reauth.html", {"form": form, "next": next_url})


def reauth_required(return_to, when=None):
    """Decorator of a view whose POST needs a recent authentication (REAUTH_MAX_AGE_SECONDS): an older
    one is sent to the re-authentication page, which brings the user back to `return_to(request, *args,
    **kwargs)` (a page, since the refused POST is not replayed). `when(request)`, if given, says whether
    this POST is one that needs it (a batch of decision steps, not every step)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                request.method == "POST"
                and (when is None or when(request))
                and not auth.recently_authenticated(request.session)
            ):
                messages.warning(
                    request, _("This step needs you to confirm it is you: enter your password again.")
                )
                return redirect(_with_next("reauth", return_to(request, *args, **kwargs)))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- the account page and logout everywhere --------------------------------------------------------------


def account(request: HttpRequest) -> HttpResponse:
    device = auth.confirmed_device(request.user)
    context = {"device": device, "required": auth.two_factor_required(request.user)}
    return render(request, "registration/account.html", context)


@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """Ends every session of the user, this one included, after the confirmation is ticked."""
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the confirmation first."))
        return redirect("account")
    auth.end_all_sessions(request.user)
    logout(request)
    messages.success(request, _("You were signed out on every device. Sign in again to continue."))
    return redirect("login")


# --- invitations -----------------------------------------------------------------------------------------


class InvitationPasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        help_text=gettext_lazy("At least 8 characters; a phrase of several words is easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The new password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


def _invitation_invalid(request: HttpRequest) -> HttpResponse:
    """One answer for an unknown, used, replaced or expired link, so the page tells nothing of which.
    Status 200: a 4xx would make Django log the path, which holds the token."""
    return render(
        request, "registration/invitation_invalid.html", {"message": account_services.INVITATION_INVALID}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str = "") -> HttpResponse:
    """The link of an invitation e-mail (GET, with the token in the path) shows the form to choose a
    password; the form posts the token in its body to the same page without it, so that what is logged
    of the request (the sign-in's security event names the path) never holds a token. Then the person
    is signed in and, where their role needs the second factor, sent to the enrolment page."""
    if request.method == "POST":
        token = request.POST.get("token", "")
    elif not token:
        return _invitation_invalid(request)
    invitation = account_services.invitation_valid(token)
    if invitation is None:
        return _invitation_invalid(request)
    form = InvitationPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_services.invitation_accept(token=token, password=form.cleaned_data["password"])
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invitation_invalid":
                return _invitation_invalid(request)
            refusal_to_form(form, exc)
        else:
            if request.user.is_authenticated:
                logout(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your password is set."))
            if auth.two_factor_required(user):
                return redirect(_with_next("otp_enrol", reverse("home")))
            return redirect("home")
    context = {"form": form, "invited": invitation.user, "token": token}
    return render(request, "registration/invitation_accept.html", context)


# --- login throttling ------------------------------------------------------------------------------------


@login_not_required
def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out (username, address): a page in the user's language, 429."""
    minutes = ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failures": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
