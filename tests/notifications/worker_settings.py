"""Settings of the live workers of tests/notifications/test_worker.py: the production settings, with
e-mail written to files (the backend can stop in the middle of a send), the test's queue as the default
one (so the tasks the worker queues itself stay on it) and a short delay before the sweep takes up work a
dead worker left."""

import os

from config.settings.base import *  # noqa: F403

EMAIL_BACKEND = "tests.notifications.backends.PausingFileBackend"
EMAIL_FILE_PATH = os.environ["TEST_MAIL_DIR"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_QUEUE"]
NOTIFICATIONS_STALE_SECONDS = 1
