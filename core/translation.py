"""Text read in a given language, whatever the user's: official documents are always in Vietnamese."""

from typing import Any

from django.utils import translation

VI_AND_EN = ("vi", "en")


def in_languages(text: Any, languages: tuple[str, ...] = VI_AND_EN) -> tuple[str, ...]:
    """A (lazy) translated text read in each of `languages`, in that order."""
    rendered = []
    for language in languages:
        with translation.override(language):
            rendered.append(str(text))
    return tuple(rendered)
