from django.conf import settings
from django.utils import translation


class DefaultLanguageMiddleware:
    """Vietnamese unless the user chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so an officer with an
    English browser would get English by surprise. Here the order is: the language cookie set by the
    language switch, then the user's saved preference, then LANGUAGE_CODE ("vi").
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def language_for(self, request) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in self.supported:
            return chosen
        user = getattr(request, "user", None)
        preferred = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if preferred in self.supported:
            return preferred
        return settings.LANGUAGE_CODE


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy on every response, and
    `Cache-Control: no-store` on every page served to a signed-in user, so that no browser or proxy keeps
    a copy of a dossier (a page that set its own caching keeps it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store, private"
        return response
