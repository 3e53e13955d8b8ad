"""Security logging: sign-ins, failed sign-ins, sign-outs and refusals, on the logger
`nghenhan.security` (reads of sensitive personal data are on `nghenhan.sensitive`, dossiers/sensitive.py).

Every line is `event=<name> key=value ...`: user ids, never names, passwords, CCCD numbers or values of
a form. Values a visitor controls (a typed username, a path) are cleaned of control characters, so
nobody can write a line that looks like another entry. The formatter (`SafeUtcFormatter`, used by every
handler of LOGGING) writes times in UTC and escapes line breaks in any message.
"""

from __future__ import annotations

import logging
import re
import time

from django.conf import settings

logger = logging.getLogger("nghenhan.security")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_VALUE = 120


def clean(value: object, limit: int = MAX_VALUE) -> str:
    """One token for a log line: control characters (CR, LF, ESC, ...) escaped, spaces and quotes made
    visible, at most `limit` characters."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    text = text.replace('"', '\\"')
    if len(text) > limit:
        text = text[:limit] + "…"
    return f'"{text}"' if (" " in text or not text) else text


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or the first X-Forwarded-For hop behind the TLS proxy."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def security_event(event: str, *, request=None, user=None, level: int = logging.INFO, **fields) -> None:
    parts = [f"event={clean(event)}"]
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        parts.append(f"user={user.pk}")
    if request is not None:
        parts.append(f"ip={clean(client_ip(request))}")
        parts.append(f"method={clean(request.method)}")
        parts.append(f"path={clean(request.path, 200)}")
    parts.extend(f"{key}={clean(value)}" for key, value in fields.items())
    logger.log(level, " ".join(parts))


class SafeUtcFormatter(logging.Formatter):
    """Times in UTC (ISO 8601 with Z); the message's line breaks and control characters escaped, so a
    value inside a message cannot forge a log line. Tracebacks keep their lines (they follow the
    message and are written by us, not by a visitor)."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", record.message)
        return super().formatMessage(record)


class SecurityLogMiddleware:
    """Logs every refusal: a 403, a 429 (too many attempts), and a 404 for a signed-in user on a page
    that names an object by id (out of scope or missing: the answer is the same, the log tells both
    apart only by the id, which the administrators can look up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status in (403, 429):
            security_event("refused", request=request, level=logging.WARNING, status=status)
        elif status == 404 and getattr(request, "user", None) and request.user.is_authenticated:
            match = getattr(request, "resolver_match", None)
            if match is not None and match.kwargs:
                security_event("not_found_or_refused", request=request, level=logging.WARNING, status=404)
        return response


def _logged_in(sender, request, user, **kwargs):
    security_event("login", request=request, user=user)


def _logged_out(sender, request, user, **kwargs):
    if request is not None:
        security_event("logout", request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already removed the password-like keys from `credentials`; only the typed name is left.
    security_event(
        "login_failed", request=request, level=logging.WARNING, username=credentials.get("username", "")
    )


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(_logged_in, dispatch_uid="security-log-login")
    user_logged_out.connect(_logged_out, dispatch_uid="security-log-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="security-log-login-failed")
