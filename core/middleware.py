from django.conf import settings
from django.http import JsonResponse
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


UPLOAD_SCRIPT_HEADER = "X-Upload-Progress"


class UploadScriptMiddleware:
    """Answers the upload script (static/js/upload.js, which sends a form marked `data-upload-progress`
    itself, with this header, to show a progress bar) with where to go instead of a redirect: `{"redirect":
    url}`. A redirect would be followed inside the script's request, and the page it leads to would show,
    so use up, the message left for it ("recorded", "attached") before the user opens it; told where to go,
    the script opens the page and the message is there. Any other answer (a form shown again with its
    errors, a 403 page) is left as it is: the script puts it in the page in place of the form's page.
    Every view that redirects after a post answers the script this way, so no view needs to know of it.
    Placed outside the session and messages middleware, so that the cookies they set on the redirect are
    kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get(UPLOAD_SCRIPT_HEADER) != "1" or not response.has_header("Location"):
            return response
        if response.status_code not in (301, 302, 303, 307, 308):
            return response
        answer = JsonResponse({"redirect": response["Location"]})
        for header, value in response.items():
            if header.lower() not in {"location", "content-type", "content-length"}:
                answer[header] = value
        answer.cookies = response.cookies
        return answer
