"""The public side of a posting: the posted list (no personal identification data, no documents) and
written comments on it."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import rate_take
from dossiers.eligibility import craft_span
from dossiers.models import Dossier, DossierState
from dossiers.postings import posting_last_day
from dossiers.rulebook import Rules
from dossiers.rulebook.selectors import rules_for_round

from .events import public_comment_received
from .models import PublicComment

POSTED_STATES = (DossierState.PROVINCIAL_POSTED, DossierState.GOV_POSTING)
PHONE = re.compile(r"^\+?[0-9][0-9 .-]{7,18}[0-9]$")


@dataclass(frozen=True)
class PostedNominee:
    dossier_id: int
    full_name: str
    title: str
    craft: str
    province: str
    posthumous: bool
    list_name: str
    summary: str
    posted_on: date | None = None
    last_day: date | None = None  # the last day comments are taken


# which list a posted dossier is on: its state, the date it was posted, the rule of the period's days
_LISTS = {
    DossierState.PROVINCIAL_POSTED: ("provincial_posted_on", "posting.provincial_days"),
    DossierState.GOV_POSTING: ("gov_posted_on", "posting.gov_portal_days"),
}


def _list_name(dossier: Dossier) -> str:
    if dossier.state == DossierState.GOV_POSTING:
        return _("List proposed by the Ministry of Industry and Trade, posted on the Government portal")
    return _("Result of the provincial council of %(province)s") % {"province": dossier.province.name}


def posted_nominees(*, dossier_id: int | None = None) -> list[PostedNominee]:
    """Everyone on a posted list (or the one asked for), with the achievement summary the public may read.
    Constant queries."""
    dossiers = Dossier.objects.filter(state__in=POSTED_STATES)
    if dossier_id is not None:
        dossiers = dossiers.filter(pk=dossier_id)
    dossiers = (
        dossiers.select_related("artisan__craft", "province", "round__rulebook")
        .prefetch_related("craft_periods", "works", "trainee_records")
        .order_by("-state", "province__sort_key", "artisan__sort_key", "pk")
    )
    rules: dict[int, Rules] = {}  # one rulebook read per round on the list, whatever the number of rows
    for d in dossiers:
        if d.round_id not in rules:
            rules[d.round_id] = rules_for_round(d.round)
    nominees = []
    for d in dossiers:
        date_field, days_rule = _LISTS[d.state]
        posted_on = getattr(d, date_field)
        days = rules[d.round_id].value(days_rule)  # the provincial period is not known: None
        last_day = posting_last_day(posted_on, days) if posted_on and days is not None else None
        nominees.append(
            PostedNominee(
                dossier_id=d.pk,
                full_name=d.artisan.full_name,
                title=d.get_title_display(),
                craft=d.artisan.craft.name,
                province=d.province.name,
                posthumous=d.posthumous,
                list_name=_list_name(d),
                summary=_summary(d, rules[d.round_id]),
                posted_on=posted_on,
                last_day=last_day,
            )
        )
    return nominees


@dataclass(frozen=True)
class PostedList:
    """One list posted for comment: its name, its posting day and the last day comments are taken."""

    name: str
    posted_on: date | None
    last_day: date | None
    nominees: list[PostedNominee]


def posted_lists() -> list[PostedList]:
    """The posted nominees gathered into the lists they were posted on (the provincial council's result
    of each province, the Ministry's list on the Government portal), each with its period."""
    lists: dict[tuple, list[PostedNominee]] = {}
    for n in posted_nominees():
        lists.setdefault((n.list_name, n.posted_on, n.last_day), []).append(n)
    return [
        PostedList(name=name, posted_on=posted_on, last_day=last_day, nominees=nominees)
        for (name, posted_on, last_day), nominees in lists.items()
    ]


def _summary(dossier: Dossier, rules: Rules) -> str:
    years, _months = craft_span(dossier.craft_periods.all(), rules)
    trainees = sum(t.count for t in dossier.trainee_records.all())
    return _("About %(years)d years in the craft; %(works)d works; taught %(trainees)d people.") % {
        "years": years,
        "works": len(dossier.works.all()),
        "trainees": trainees,
    }


def comment_submit(
    *, dossier_id: int, full_name: str, phone: str, address: str, text: str, email: str = "", client: str
) -> PublicComment:
    """Take a written comment on a posted nominee. `client` is the sender's address as resolved behind
    the trusted proxies (accounts.auth.client_ip), for the rate limit; it is hashed, never stored."""
    errors: dict[str, list[str]] = {}
    if not (full_name or "").strip():
        errors["full_name"] = [_("Give your full name.")]
    if not PHONE.match((phone or "").strip()):
        errors["phone"] = [_("Give a phone number where you can be reached.")]
    if not (address or "").strip():
        errors["address"] = [_("Give your address.")]
    if not (text or "").strip():
        errors["text"] = [_("Write your comment.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        dossier = Dossier.objects.filter(pk=dossier_id, state__in=POSTED_STATES).first()
        if dossier is None:
            raise ValidationError(_("This nominee is not on a posted list."), code="not_posted")
        # Both limits are counted in the database, in this transaction: shared by every process, never
        # exceeded by parallel posts, and a post that is refused later gives its use back.
        if not rate_take(
            scope="public-comment",
            subject=client,
            limit=settings.PUBLIC_COMMENTS_PER_WINDOW,
            window_seconds=settings.PUBLIC_COMMENT_WINDOW_SECONDS,
        ):
            raise ValidationError(
                _("Too many comments from your connection; please try again later."), code="rate"
            )
        if not rate_take(
            scope="public-comment-dossier",
            subject=str(dossier.pk),
            limit=settings.PUBLIC_COMMENTS_PER_DOSSIER_PER_DAY,
            window_seconds=24 * 3600,
        ):
            raise ValidationError(
                _(
                    "This nominee has received the most comments the site takes in one day; please try "
                    "again tomorrow or write to the address given on the list."
                ),
                code="rate_dossier",
            )
        comment = PublicComment.objects.create(
            dossier=dossier,
            full_name=full_name.strip(),
            phone=phone.strip(),
            address=address.strip(),
            email=email.strip(),
            text=text.strip(),
            posted_state=dossier.state,
        )
        public_comment_received.send(sender=PublicComment, comment_id=comment.pk, dossier_id=dossier.pk)
    return comment
