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


class UploadNamesMiddleware:
    """Keeps the fact that an uploaded file's name carried a folder path. Django's multipart parser keeps
    only the last part of a name ("../../etc/passwd.pdf" becomes "passwd.pdf") before any view sees it,
    so a service could not refuse such a name with a message. This parser records the name as sent on
    the uploaded file (`name_as_sent`); the services decide. Placed before the CSRF check, which is the
    first to read the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == "multipart/form-data":
            request.parse_file_upload = lambda META, post_data: _parse(request, META, post_data)
        return self.get_response(request)


def _parse(request, META, post_data):
    from django.http.multipartparser import MultiPartParser
    from django.utils.datastructures import ImmutableList

    class NameKeepingParser(MultiPartParser):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.sent_names = {}

        def sanitize_file_name(self, file_name):
            cleaned = super().sanitize_file_name(file_name)
            if cleaned:
                self.sent_names[cleaned] = file_name
            return cleaned

        def parse(self):
            post, files = super().parse()
            for uploaded in files.values():
                sent = self.sent_names.get(uploaded.name)
                if sent is not None:
                    uploaded.name_as_sent = sent
            return post, files

    # as HttpRequest.parse_file_upload does: the handlers cannot change once the upload is read
    request.upload_handlers = ImmutableList(
        request.upload_handlers,
        warning="You cannot alter upload handlers after the upload has been processed.",
    )
    return NameKeepingParser(META, post_data, request.upload_handlers, request.encoding).parse()
