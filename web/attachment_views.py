"""Downloading an attachment: the only way a stored file leaves the server (MEDIA_URL is None)."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dossiers.selectors import attachment_by_id
from dossiers.services.attachments import attachment_open

logger = logging.getLogger("nghenhan.attachments")


@require_GET
@never_cache
@login_required
def attachment_download(request, pk: int) -> FileResponse:
    """The file as a download. 404, not 403, when the user may not see it, so that a guessed id does not
    reveal that the attachment exists."""
    attachment = attachment_by_id(pk=pk)
    if attachment is None:
        raise Http404
    try:
        handle, content_type, name = attachment_open(attachment=attachment, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except FileNotFoundError:
        logger.error("attachment %s: stored file %s is missing", attachment.pk, attachment.file.name)
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
