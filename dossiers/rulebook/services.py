import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.services import action_record
from dossiers.models import Round as RoundModel
from dossiers.models import RoundRuleOverride, RuleParameter
from dossiers.permissions import can_override_rule


@transaction.atomic
def round_rule_override(*, round: RoundModel, key: str, value: Any, reason: str, by) -> RoundRuleOverride:
    """Change one rule's value for one round. Kept as a new row (the history is the audit)."""
    decision = can_override_rule(by)
    if not decision:
        raise PermissionDenied(decision.reason)
    param = RuleParameter.objects.filter(version_id=round.rulebook_id, key=key).first()
    if param is None:
        raise ValidationError({"key": [_("The rulebook of this round has no such rule.")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for changing the rule.")]})
    if param.value is not None and value is not None and _kind(param.value) != _kind(value):
        raise ValidationError({"value": [_("The new value must be of the same kind as the current one.")]})
    RoundModel.objects.select_for_update().filter(pk=round.pk).first()
    previous = RoundRuleOverride.objects.filter(round=round, key=key).order_by("-created_at", "-id").first()
    before = previous.value if previous is not None else param.value
    override = RoundRuleOverride.objects.create(
        round=round, key=key, value=value, reason=reason.strip(), created_by=by
    )
    with translation.override("vi"):
        summary = _("Rule %(key)s of round %(number)s changed from %(old)s to %(new)s.") % {
            "key": key,
            "number": round.number,
            "old": _shown(before),
            "new": _shown(value),
        }
    action_record(
        action="round.rule_override",
        obj=round,
        summary=summary,
        by=by,
        reason=reason,
        data={
            "key": key,
            "from": before,
            "to": value,
            "rulebook_value": param.value,
            "article": param.article,
            "confidence": param.confidence,
            "override_id": override.pk,
        },
    )
    return override


def _shown(value: Any) -> str:
    """A value as the record's summary writes it (JSON, so yes/no, lists and "unknown" are unambiguous)."""
    return json.dumps(value, ensure_ascii=False)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__
