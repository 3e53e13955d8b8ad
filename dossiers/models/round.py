from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import to_nfc


class Round(models.Model):
    """One round of awards (lần xét tặng), set by a Ministry of Industry and Trade plan decision.

    Decree 43/2024 Art. 4: titles are considered and announced every 3 years on National Day [C].
    """

    number = models.PositiveSmallIntegerField(_("round number"), unique=True)
    name = models.CharField(_("name"), max_length=255)
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

    def save(self, *args, **kwargs):
        self.name = to_nfc(self.name)
        super().save(*args, **kwargs)

    @property
    def legal_basis(self) -> str:
        return self.rulebook.legal_basis
