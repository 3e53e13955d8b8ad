from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierState(models.TextChoices):
    """Where a dossier stands in the procedure (docs/law.md §5). The identifiers are
    stable: they are stored, audited and exported. Transitions between them are declared once, in
    workflows/transitions.py."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted to the Department of Industry and Trade")
    NEEDS_SUPPLEMENT = "needs_supplement", _("returned for supplement")
    ADMITTED = "admitted", _("admitted")
    PROVINCIAL_REVIEW = "provincial_review", _("before the provincial council")
    PROVINCIAL_PASSED = "provincial_passed", _("passed the provincial council")
    PROVINCIAL_FAILED = "provincial_failed", _("not passed by the provincial council")
    PROVINCIAL_POSTED = "provincial_posted", _("provincial result posted")
    FORWARDED = "forwarded", _("forwarded to the Ministry")
    MINISTERIAL_REVIEW = "ministerial_review", _("before the ministerial council")
    MINISTERIAL_PASSED = "ministerial_passed", _("passed the ministerial council")
    MINISTERIAL_FAILED = "ministerial_failed", _("not passed by the ministerial council")
    GOV_POSTING = "gov_posting", _("posted on the Government portal for comment")
    STATE_REVIEW = "state_review", _("before the State council")
    STATE_PASSED = "state_passed", _("passed the State council")
    STATE_FAILED = "state_failed", _("not passed by the State council")
    APPRAISAL = "appraisal", _("appraisal by the Ministry of Home Affairs")
    # The appraisal's outcomes (docs/law.md §5 step 11, P: the Board appraises; its outcomes are I)
    APPRAISAL_AGREED = "appraisal_agreed", _("agreed by the appraisal")
    APPRAISAL_SUPPLEMENT = "appraisal_supplement", _("supplement requested by the appraisal")
    APPRAISAL_REFUSED = "appraisal_refused", _("not agreed by the appraisal")
    PROPOSED = "proposed", _("proposed to the Prime Minister")
    CONFERRED = "conferred", _("conferred by the President")
    NOT_CONFERRED = "not_conferred", _("not conferred")
    ON_HOLD = "on_hold", _("on hold (complaint, investigation or discipline)")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REJECTED = "rejected", _("rejected")


TERMINAL_STATES = frozenset(
    {
        DossierState.PROVINCIAL_FAILED,
        DossierState.MINISTERIAL_FAILED,
        DossierState.STATE_FAILED,
        DossierState.APPRAISAL_REFUSED,
        DossierState.CONFERRED,
        DossierState.NOT_CONFERRED,
        DossierState.WITHDRAWN,
        DossierState.REJECTED,
    }
)
LIVE_STATES = frozenset(set(DossierState) - TERMINAL_STATES - {DossierState.ON_HOLD})
