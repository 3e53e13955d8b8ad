import pytest


@pytest.fixture(autouse=True)
def _vietnamese_by_default(settings):
    """Each test starts in the default language, whatever the previous one activated."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
