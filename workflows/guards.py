"""Conditions a transition needs besides its source state, each answering Decision(allowed, reason).
They read the other apps (completeness, eligibility, the rulebook) and never write."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Decision, allow, deny
from dossiers.completeness import check_completeness
from dossiers.eligibility import evaluate
from dossiers.facts import facts_from_dossier
from dossiers.postings import posting_last_day
from dossiers.rulebook.selectors import rules_for_round


def dossier_is_complete(dossier) -> Decision:
    report = check_completeness(facts_from_dossier(dossier), rules_for_round(dossier.round))
    if report.complete:
        return allow()
    missing = "; ".join(item.label_vi if _lang() == "vi" else item.label_en for item in report.missing)
    return deny(_("The dossier is not complete: %(missing)s.") % {"missing": missing})


def dossier_may_go_to_council(dossier) -> Decision:
    """Eligible, or not failing any criterion, or the department's officer recorded why the council
    should judge it (workflows.services.council_judgement_request)."""
    report = evaluate(facts_from_dossier(dossier), rules_for_round(dossier.round))
    if report.overall != "not_met" or dossier.council_judgement_note.strip():
        return allow()
    return deny(_("The dossier does not meet every criterion; record why the council should judge it."))


def artisan_is_alive(dossier) -> Decision:
    if dossier.posthumous or dossier.artisan.is_deceased:
        return deny(_("The artisan's death is already recorded: the dossier is posthumous."))
    return allow()


def gov_posting_period_over(dossier) -> Decision:
    if dossier.gov_posted_on is None:
        return deny(_("The list has not been posted on the Government portal."))
    last_day = posting_last_day(
        dossier.gov_posted_on, rules_for_round(dossier.round).value("posting.gov_portal_days")
    )
    if timezone.localdate() <= last_day:
        return deny(_("The public comment period runs until %(date)s.") % {"date": f"{last_day:%d/%m/%Y}"})
    return allow()


def provincial_posting_period_over(dossier) -> Decision:
    """The provincial posting period is not known (rule posting.provincial_days, NF): with no value, the
    result must only have been posted."""
    if dossier.provincial_posted_on is None:
        return deny(_("The provincial result has not been posted."))
    days = rules_for_round(dossier.round).value("posting.provincial_days")
    if days is not None:
        last_day = posting_last_day(dossier.provincial_posted_on, days)
        if timezone.localdate() <= last_day:
            return deny(
                _("The provincial posting period runs until %(date)s.") % {"date": f"{last_day:%d/%m/%Y}"}
            )
    return allow()


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "vi")[:2]


def hold_return_state_known(dossier) -> Decision:
    if dossier.hold_return_state:
        return allow()
    return deny(_("It is not recorded which step the dossier was at before the hold; revert it instead."))
