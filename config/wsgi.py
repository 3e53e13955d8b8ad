import os

from django.core.wsgi import get_wsgi_application

from config.bootstrap import fail_cleanly

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
with fail_cleanly():
    application = get_wsgi_application()
