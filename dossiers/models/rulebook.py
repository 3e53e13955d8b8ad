"""The rulebook: every number the law sets, once, with its article and confidence mark.

A version holds the parameters of one legal basis ("43/2024/NĐ-CP"); a round is pinned to one version;
an administrator may override a value for one round, and every override is kept (append-only), so the
value in force for a round is its latest override or else the version's value. The initial values are
data (dossiers/rulebook/*.json, loaded by a migration), never literals in code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidence(models.TextChoices):
    """Confidence marks of the rulebook, explained in docs/law.md §0."""

    CONFIRMED = "C", _("confirmed in the decree's text")
    SECONDARY = "SEC", _("from a secondary summary of the decree")
    PREDECESSOR = "P", _("predecessor decree only (123/2014) or sister decree")
    INFERRED = "I", _("inferred")
    NOT_FOUND = "NF", _("not found in the sources; best value")


class RulebookVersion(models.Model):
    legal_basis = models.CharField(_("legal basis"), max_length=64)
    version = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("rulebook version")
        verbose_name_plural = _("rulebook versions")
        ordering = ["legal_basis", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["legal_basis", "version"], name="rulebook_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.legal_basis} v{self.version}"


class RuleParameter(models.Model):
    version = models.ForeignKey(
        RulebookVersion,
        verbose_name=_("rulebook version"),
        on_delete=models.PROTECT,
        related_name="parameters",
    )
    key = models.CharField(_("key"), max_length=64)
    value = models.JSONField(_("value"), null=True, blank=True)
    article = models.CharField(_("article"), max_length=64)
    confidence = models.CharField(_("confidence"), max_length=3, choices=Confidence.choices)
    description_vi = models.TextField(_("description (Vietnamese)"))
    description_en = models.TextField(_("description (English)"))
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("rule parameter")
        verbose_name_plural = _("rule parameters")
        ordering = ["version", "key"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="ruleparameter_unique_key")]

    def __str__(self) -> str:
        return f"{self.key} = {self.value!r} ({self.article}, {self.confidence})"


class RoundRuleOverride(models.Model):
    """An administrator's change of one parameter for one round. Append-only: the latest row wins."""

    APPEND_ONLY = True  # the application role may only read and insert (core.db_roles)

    round = models.ForeignKey(
        "dossiers.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="rule_overrides"
    )
    key = models.CharField(_("key"), max_length=64)
    value = models.JSONField(_("value"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule override for a round")
        verbose_name_plural = _("rule overrides for rounds")
        ordering = ["round", "key", "-created_at", "-id"]
        indexes = [models.Index(fields=["round", "key", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.key} = {self.value!r}"
