"""The settings of a benchmark run: the base settings (DEBUG off, as in production), its own database,
media directory and Celery queue (all set by bench/run.py in the environment), and one extra page."""

import os

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# A queue of this run's own, so that no other worker on a shared Redis takes its tasks (nor it theirs).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_QUEUE", "celery")
