"""Where a page may send the user back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_path(request, candidate: str) -> bool:
    """A `next` value the site may redirect to: a printable path of this site. Not another host, not a
    view name (redirect() would try to reverse one, and fail), nothing that cannot go into a header."""
    return bool(
        candidate
        and candidate.startswith("/")
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )
