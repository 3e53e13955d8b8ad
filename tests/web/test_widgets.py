"""QuickSelect writes the markup Django's Select writes, without a template per option."""

from django import forms
from django.test.html import parse_html

from web.widgets import QuickSelect

CHOICES = [("", "tất cả"), (1, "Hà Nội"), (2, "Thừa Thiên <Huế> & “Đà Nẵng”"), (3, "Cà Mau")]


def both(value, attrs=None):
    django, quick = forms.Select(choices=CHOICES), QuickSelect(choices=CHOICES)
    return (
        parse_html(django.render("province", value, attrs=attrs)),
        parse_html(quick.render("province", value, attrs=attrs)),
    )


def test_the_same_markup_as_djangos_select_nothing_chosen_one_chosen_and_with_attributes():
    for value, attrs in (
        (None, None),
        (2, None),
        ("3", {"id": "id_province", "aria-describedby": "help", "required": True, "disabled": False}),
    ):
        expected, got = both(value, attrs)
        assert got == expected, (value, attrs)


def test_labels_are_escaped_and_only_the_chosen_option_is_selected():
    html = QuickSelect(choices=CHOICES).render("province", 2, attrs={"id": "p"})
    assert "Thừa Thiên &lt;Huế&gt; &amp; “Đà Nẵng”" in html and "<Huế>" not in html
    assert html.count("selected") == 1 and '<option value="2" selected>' in html
    assert html.startswith('<select name="province" id="p">')


def test_a_bound_form_field_renders_through_it():
    class Filter(forms.Form):
        province = forms.IntegerField(required=False, widget=QuickSelect(choices=CHOICES))

    html = str(Filter({"province": "1"})["province"])
    assert '<option value="1" selected>Hà Nội</option>' in html and 'id="id_province"' in html
