from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from .http import is_safe_path
from .selectors import system_health


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch on every page: a cookie, and the user's preference when logged in."""
    language = request.POST.get("language", "")
    supported = {code for code, _name in settings.LANGUAGES}
    next_url = request.POST.get("next") or "/"
    if not is_safe_path(request, next_url):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in supported:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        if request.user.is_authenticated and getattr(request.user, "language", language) != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Public health page: database reachable and a worker consuming tasks. Reveals nothing else.
    It answers 503 when the database is unreachable; with `?require=worker` (the monitoring's probe of
    the background work) also when no worker has consumed a heartbeat for
    WORKER_HEARTBEAT_MAX_AGE_SECONDS. The web server's own probe leaves it out: a stopped worker is no
    reason to stop serving pages."""
    state = system_health()
    required_ok = state.ok if request.GET.get("require") == "worker" else state.database_ok
    status = 200 if required_ok else 503
    if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "ok": state.ok,
                "database": state.database_ok,
                "worker": state.worker_ok,
                "worker_last_seen": state.worker_last_seen.isoformat() if state.worker_last_seen else None,
            },
            status=status,
        )
    return render(request, "core/health.html", {"health": state}, status=status)
