"""The error summary of a failed form and the page title's "Error:" prefix.

`{% error_summary form formsets as items %}`: every error of the form (and of each formset given, a
dict or a list of them), in the order of the page, each with the id of the field it is about (None
for an error about the whole form or a hidden field) so that the summary links to that field.

`{% page_has_errors as failed %}`: whether the page shows a bound form with errors, a refusal of the
ballot or an error message; base.html starts the title with "Error:" then, so that the first thing read
of the page says it.
"""

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.utils.text import capfirst

register = template.Library()


def _form_items(form: forms.BaseForm) -> list[dict]:
    items = [{"field_id": None, "text": str(error)} for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            if field.is_hidden or not field.auto_id:
                items.append({"field_id": None, "text": str(error)})
            else:
                items.append({"field_id": field.id_for_label, "text": f"{capfirst(field.label)}: {error}"})
    return items


def _formsets(value) -> list:
    """The formsets of `value`: one formset, or a dict or list of them."""
    if isinstance(value, BaseFormSet):
        return [value]
    values = value.values() if isinstance(value, dict) else value or []
    return [v for v in values if isinstance(v, BaseFormSet)]


@register.simple_tag
def error_summary(form=None, formsets=None) -> list[dict]:
    items = _form_items(form) if isinstance(form, forms.BaseForm) and form.is_bound else []
    for formset in _formsets(formsets):
        if not formset.is_bound:
            continue
        items += [{"field_id": None, "text": str(error)} for error in formset.non_form_errors()]
        for row in formset:
            # a row ticked "Delete" is dropped by the save, whatever it holds (its errors do not count)
            if formset.can_delete and getattr(row, "cleaned_data", {}).get("DELETE"):
                continue
            items += _form_items(row)
    return items


def _failed(value) -> bool:
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    if isinstance(value, dict):
        return any(isinstance(v, BaseFormSet | forms.BaseForm) and _failed(v) for v in value.values())
    return False


@register.simple_tag
def message_levels(messages) -> set[str]:
    """The level tags ("error", "success", ...) of the request's messages; reading them does not
    consume them within this request."""
    return {m.level_tag for m in messages} if messages else set()


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    flat = context.flatten()
    if "error" in message_levels(flat.get("messages")):
        return True
    # the ballot screen's refusals are a list of messages, not a form
    return bool(flat.get("errors")) or any(_failed(value) for value in flat.values())
