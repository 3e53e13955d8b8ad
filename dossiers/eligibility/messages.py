"""Every sentence of the eligibility report shown to people: English msgids, translated by gettext
(locale/vi/LC_MESSAGES/django.po). Placeholders are filled from the figures; a value that is itself
text to translate (a label, a title, a confidence note) is passed lazy and read in the language rendered.

A report carries each sentence in Vietnamese and in English (``render``): official documents are always
in Vietnamese, whatever the language of the user who produces them.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.translation import in_languages
from dossiers.models import Confidence, Title
from dossiers.rulebook import Rule, Rules

# The name of each criterion (keys are those of dossiers.eligibility.results).
LABELS: dict[str, Promise] = {
    "loyalty": _("Loyalty to the Fatherland; compliance with the Party's policies and the law"),
    "moral_standing": _("Moral standing, devotion to the craft, esteem of peers and the people"),
    "prior_title": _("Title already held"),
    "years_in_craft": _("Time in the craft"),
    "new_works_after_title": _("New works made after the title"),
    "works": _("Number of works"),
    "prized_works": _("Prized works"),
    "trainees": _("Teaching the craft"),
}

# The note on a rule's confidence, for the marks that change how a figure reads (P, NF).
CONFIDENCE_NOTES: dict[str, Promise] = {
    Confidence.PREDECESSOR: _(
        "confidence P: the predecessor decree's number, not confirmed for Decree {legal_basis}"
    ),
    Confidence.NOT_FOUND: _("confidence NF: not found in full in the text"),
}

UNKNOWN = _("not known")
PEOPLE = _("{count} people")

# The reasons. `{note}` is empty, or ", " + the note on the rule's confidence.
REASONS: dict[str, Promise] = {
    "qualitative": _("{label}: a qualitative criterion, judged by the council ({article})"),
    "unknown_threshold": _(
        "{label}: no threshold a machine can check ({rule_key} = {value}; {article}{note}); "
        "the council judges"
    ),
    "prior_title.met": _(
        "Holds the title “{required_title}” in handicrafts "
        "(decision {decision_number} of {decision_date}) ({article}{note})"
    ),
    "prior_title.not_met": _("Does not hold the title “{required_title}” in handicrafts ({article}{note})"),
    "prior_title.heritage_only": _(
        "Does not hold the title “{required_title}” in handicrafts; a title in the intangible cultural "
        "heritage field does not count ({article}{note})"
    ),
    "years_in_craft": _(
        "{years} years {months} months in the craft; at least {required} years required ({article}{note})"
    ),
    "new_works_after_title": _(
        "New works completed after the title of {title_date} that meet a prize criterion: {count}; "
        "at least {required} required ({article}{note})"
    ),
    "new_works_after_title.no_title": _(
        "No “{required_title}” decision date to count new works from; "
        "at least {required} required ({article}{note})"
    ),
    "works": _("Works: {count}; at least {required} required ({article}{note})"),
    "prized_works": _(
        "Works that meet a prize criterion: {count}; at least {required} required ({article}{note})"
    ),
    "trainees": _("Taught the craft to {count} people; at least {required} required ({article}{note})"),
    "trainees.special": _(
        "Taught the craft to {count} people; at least {required} required ({article}{note}). "
        "Special craft: its own threshold is {special_value} "
        "({special_article}{special_note}); the council judges"
    ),
}

# Every text above, for the checks that no number of the law is written in a sentence.
MESSAGES: dict[str, Promise] = {
    **{f"label.{key}": text for key, text in LABELS.items()},
    **{f"confidence.{mark}": text for mark, text in CONFIDENCE_NOTES.items()},
    "value.unknown": UNKNOWN,
    "value.people": PEOPLE,
    **REASONS,
}


def render(name: str, values: dict[str, Any]) -> tuple[str, ...]:
    """The reason `name` filled with `values`, in Vietnamese and in English."""
    return in_languages(format_lazy(REASONS[name], **values))


def title_label(title: str) -> Promise:
    return Title(title).label


def note(rule: Rule, rules: Rules) -> Any:
    """The note on a rule's confidence (after ", "), or "" when its mark needs none."""
    text = CONFIDENCE_NOTES.get(rule.confidence)
    if text is None:
        return ""
    return format_lazy(", {}", format_lazy(text, legal_basis=rules.legal_basis))


def people(count: Any) -> Any:
    return UNKNOWN if count is None else format_lazy(PEOPLE, count=count)
