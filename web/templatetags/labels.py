"""`{{ dossier|label:"state" }}`: what `{{ dossier.get_state_display }}` shows, from a table of the field's
choices translated once per language and process. Django's get_FOO_display rebuilds a dictionary of the
field's choices (made hashable, every lazy label translated again) on every call: a list of 50 rows paid
for it 50 to 100 times a page."""

from functools import cache

from django import template
from django.db import models
from django.utils.translation import get_language

register = template.Library()


@cache
def choice_labels(model: type[models.Model], field_name: str, language: str | None) -> dict:
    """{value: label} of a field with choices, in `language` (the active one when called)."""
    field = model._meta.get_field(field_name)
    return {value: str(text) for value, text in field.flatchoices}


@register.filter
def label(obj, field_name: str):
    value = getattr(obj, field_name)
    labels = choice_labels(type(obj), field_name, get_language())
    try:
        return labels.get(value, value)
    except TypeError:  # an unhashable value is no choice: shown as it is, as get_FOO_display does
        return value
