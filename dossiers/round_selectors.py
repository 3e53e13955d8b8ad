"""Reads of the Ministry's round pages: the rounds with their dossier counts, one round with its
milestones, the rulebook versions a round may be pinned to, and a round's history. Who may read them is
`dossiers.round_permissions.can_view_rounds` (every round is national: no further scope)."""

from django.db.models import Count, QuerySet

from core.services import action_records_of

from .models import Round, RoundMilestone, RulebookVersion, RuleParameter


def rounds_for_ministry() -> QuerySet[Round]:
    """Every round, newest first, with its rulebook version and number of dossiers: one query."""
    return (
        Round.objects.select_related("rulebook").annotate(dossier_count=Count("dossiers")).order_by("-number")
    )


def round_by_number(*, number: int) -> Round | None:
    return Round.objects.select_related("rulebook").filter(number=number).first()


def round_milestones(*, round: Round) -> list[RoundMilestone]:
    """The plan's milestones, in the order of the levels and then of their dates."""
    order = {level.value: i for i, level in enumerate(RoundMilestone.Level)}
    return sorted(
        round.milestones.all(), key=lambda m: (order.get(m.level, len(order)), m.due_on, m.description)
    )


def rulebook_versions() -> QuerySet[RulebookVersion]:
    return RulebookVersion.objects.order_by("legal_basis", "-version")


def round_rule_parameter(*, round: Round, key: str) -> RuleParameter | None:
    """One parameter of the round's rulebook version."""
    return RuleParameter.objects.filter(version_id=round.rulebook_id, key=key).first()


def round_history(*, round: Round):
    """The round's administrative acts (created, plan changed, rulebook version, rules), oldest first."""
    return action_records_of(round)
