"""The Celery application. Configuration comes from Django settings (CELERY_* names)."""

import os
import sys

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("nghenhan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if os.path.basename(sys.argv[0]) == "celery":  # pragma: no cover - exercised by the live-worker tests
    # Load the settings now, so that bad configuration stops the worker with one clear message.
    from config.bootstrap import fail_cleanly

    with fail_cleanly():
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018
