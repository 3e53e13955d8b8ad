"""`{% dossier_rows dossiers %}`: the body rows of the dossier list's table, built in Python from the
page's plain values (web.dossier_views.LIST_COLUMNS, read with values_list(named=True)).

Through the template, from five model objects a row (the dossier, its artisan, craft, round and
province), 25 rows cost about half of the page's time, on every role's list and search. Built here with
format_html from one tuple a row, the same markup costs a fraction of it;
tests/web/test_dossier_search.py reads the cells back by their headers."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from dossiers.models import Dossier

from .labels import choice_labels

register = template.Library()

ROW = (
    '<tr><td>{}</td><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td></tr>"
)


@register.simple_tag
def dossier_rows(rows):
    language = get_language()
    titles = choice_labels(Dossier, "title", language)
    states = choice_labels(Dossier, "state", language)
    posthumous = format_html(' <span class="tag">{}</span>', gettext("posthumous"))
    return format_html_join(
        "\n",
        ROW,
        (
            (
                row.code,
                reverse("dossier_detail", args=[row.pk]),
                row.artisan__full_name,
                posthumous if row.posthumous else "",
                titles.get(row.title, row.title),
                row.artisan__craft__name or "",
                row.province__name or "",
                row.round__number,
                row.received_on.strftime("%d/%m/%Y") if row.received_on else "",
                states.get(row.state, row.state),
            )
            for row in rows
        ),
    )
