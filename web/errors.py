"""The one way a view shows a service's refusal.

- `ValidationError` (the request cannot be done as asked): on the page of the form that was posted,
  beside its field when it names one the form has, else in the summary at the top of the form
  (templates/_form_errors.html); when the action was posted from another page, which the view redirects
  back to, as messages at the top of that page.
- `PermissionDenied` (this user may not do it): the 403 page with the reason (templates/403.html), whatever
  the view.
- The ballot endpoint, which answers plain text (make bench reads its status codes), gives the same
  reasons as text with 400 or 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse


def _forbid(exc: Exception) -> None:
    if isinstance(exc, PermissionDenied):
        raise exc


def refusal_to_form(form, exc: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form that was posted (see the module's docstring)."""
    _forbid(exc)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def refusal_to_messages(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal of an action posted from another page, on that page once redirected."""
    _forbid(exc)
    for message in exc.messages:
        messages.error(request, message)


def form_errors_to_messages(request: HttpRequest, form) -> None:
    """A form posted from another page that does not parse: its errors, as messages on that page."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def refusal_as_text(exc: ValidationError | PermissionDenied, *, default: str = "") -> HttpResponse:
    """A refusal as plain text, for an endpoint that answers no page: 403 with the reason of a
    PermissionDenied (or `default`), 400 with the messages of a ValidationError."""
    if isinstance(exc, PermissionDenied):
        return plain_text(str(exc) or default, 403)
    return plain_text(" ".join(exc.messages), 400)


def plain_text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
