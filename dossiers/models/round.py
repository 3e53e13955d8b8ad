from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import NFCCharField


class Round(models.Model):
    """One round of awards (lần xét tặng), set by a Ministry of Industry and Trade plan decision.

    Decree 43/2024 Art. 4: titles are considered and announced every 3 years on National Day [C].
    """

    number = models.PositiveSmallIntegerField(_("round number"), unique=True)
    name = NFCCharField(_("name"), max_length=255)
    plan_decision_number = models.CharField(_("plan decision number"), max_length=64)
    plan_decision_date = models.DateField(_("plan decision date"))
    rulebook = models.ForeignKey(
        "dossiers.RulebookVersion",
        verbose_name=_("rulebook version"),
        on_delete=models.PROTECT,
        related_name="rounds",
        help_text=_("The round is judged by this version of the rules."),
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-number"]

    def __str__(self) -> str:
        return self.name

    @property
    def legal_basis(self) -> str:
        return self.rulebook.legal_basis


class RoundMilestone(models.Model):
    """A date of the round's plan: when a level must have finished a step (e.g. the provinces file their
    dossiers with the Ministry). Set by the MOIT plan decision of each round, not by the decree."""

    class Level(models.TextChoices):
        APPLICANT = "applicant", _("applicants")
        PROVINCIAL = "provincial", _("provincial level")
        MINISTERIAL = "ministerial", _("ministerial level")
        STATE = "state", _("State level")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="milestones"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    description = NFCCharField(_("what must be done"), max_length=255)
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("milestone of the round")
        verbose_name_plural = _("milestones of the round")
        ordering = ["round", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "level", "description"], name="milestone_unique_per_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.description} ({self.due_on:%d/%m/%Y})"
