from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Server-rendered pages: thin views and forms over the domain apps' services and selectors.
    The domain apps (dossiers, councils, ...) know nothing of web requests."""

    name = "web"
    verbose_name = _("Web pages")
