"""Widgets written in Python where Django's templates cost more than the page around them."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """A <select> with the same markup as Django's, built without a template per option: Django renders
    each option through its own template include (about 25 µs each), and a list's filters offer a hundred
    options or more (the states, the provinces, the crafts), which cost more than the rest of the page's
    rendering. Option groups are not used by the filters and are rendered flat."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )
