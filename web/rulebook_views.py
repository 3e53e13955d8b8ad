"""The rulebook page: every parameter of a round's rules, with its value, article, confidence mark and
source, and any override of the round with its reason and author. Read-only; reads via selectors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.permissions import require
from dossiers.models import Confidence
from dossiers.permissions import can_read_rulebook
from dossiers.rulebook.selectors import rounds_with_rulebook, rulebook_latest, rulebook_rows


@require_GET
def rulebook(request: HttpRequest) -> HttpResponse:
    """`?round=<number>` chooses the round (default: the newest); with no round at all, the newest
    version of the rules."""
    require(can_read_rulebook(request.user))
    rounds = list(rounds_with_rulebook())
    wanted = request.GET.get("round", "")
    chosen = next((r for r in rounds if str(r.number) == wanted), rounds[0] if rounds else None)
    version = chosen.rulebook if chosen is not None else rulebook_latest()
    rows = rulebook_rows(round=chosen) if chosen is not None else rulebook_rows(version=version)
    english = not (get_language() or "vi").startswith("vi")
    return render(
        request,
        "dossiers/rulebook.html",
        {
            "rounds": rounds,
            "chosen": chosen,
            "version": version,
            "rows": rows,
            "english": english,
            "marks": Confidence.choices,
        },
    )
