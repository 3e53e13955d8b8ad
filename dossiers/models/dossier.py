from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from core.fields import NFCCharField
from core.text import fold_for_search

from .artisan import Artisan, Title
from .state import DossierState


class Dossier(FSMModelMixin, models.Model):
    """A nomination dossier (hồ sơ đề nghị xét tặng) for one artisan, one title, in one round.

    `state` is protected: it changes only through the transitions of workflows/transitions.py, run by
    the services of workflows/services.py (permission, row lock, audit entry, event)."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        POST = "post", _("by post")
        ONLINE = "online", _("online")

    class Filer(models.TextChoices):
        """Who files a posthumous nomination for a deceased artisan."""

        RELATIVE = "relative", _("a relative")
        ORGANISATION = "organisation", _("an organisation")

    # "01-06-0042": the province's 2-digit administrative code, the round's number, then the dossier's
    # place in that province and round (DossierCodeCounter). Given once, on the first save; never changes.
    code = models.CharField(
        _("dossier code"),
        max_length=24,
        unique=True,
        editable=False,
        help_text=_("Province code, round number and sequence in the province and round, e.g. 01-06-0042."),
    )
    # The artisan's full name, the code and the craft, folded (core.text.fold_for_search): what the list's
    # search finds its words in with a LIKE, the same on SQLite and PostgreSQL (where a trigram index,
    # migration 0022, spares reading every row). Kept current by save (a new
    # dossier) and by Artisan.save (a changed name or craft).
    search_text = models.CharField(_("search text"), max_length=640, default="", editable=False)
    round = models.ForeignKey(
        "dossiers.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="dossiers"
    )
    artisan = models.ForeignKey(
        Artisan, verbose_name=_("artisan"), on_delete=models.PROTECT, related_name="dossiers"
    )
    title = models.CharField(_("title sought"), max_length=16, choices=Title.choices)
    posthumous = models.BooleanField(_("posthumous nomination"), default=False)
    filer_kind = models.CharField(
        _("filed by"), max_length=16, choices=Filer.choices, blank=True, help_text=_("Posthumous only.")
    )
    filer_name = NFCCharField(_("name of the relative or organisation filing"), max_length=255, blank=True)
    filer_relationship = NFCCharField(
        _("relationship to the artisan"),
        max_length=255,
        blank=True,
        help_text=_("For a relative: son, daughter, spouse…; for an organisation: its tie to the artisan."),
    )
    receiving_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("receiving Department of Industry and Trade"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    # Denormalised from receiving_agency.province: the read scope of provincial officers filters on it.
    province = models.ForeignKey(
        "accounts.AdministrativeUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    state = FSMField(
        _("state"),
        max_length=32,
        choices=DossierState.choices,
        default=DossierState.DRAFT,
        protected=True,
        db_index=True,
    )
    hold_return_state = models.CharField(_("state to return to after the hold"), max_length=32, blank=True)
    provincial_posted_on = models.DateField(_("provincial result posted on"), null=True, blank=True)
    gov_posted_on = models.DateField(_("posted on the Government portal on"), null=True, blank=True)
    appraisal_letter_number = models.CharField(_("appraisal letter number"), max_length=64, blank=True)
    appraisal_letter_date = models.DateField(_("appraisal letter date"), null=True, blank=True)
    decision_number = models.CharField(_("President's decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("President's decision date"), null=True, blank=True)
    received_on = models.DateField(_("date received"))
    returned_on = models.DateField(_("returned for supplement on"), null=True, blank=True)
    resubmitted_on = models.DateField(_("resubmitted on"), null=True, blank=True)
    special_branch_claimed = models.BooleanField(
        _("special-craft branch claimed"),
        default=False,
        help_text=_("The artisan asks to be judged under the special-craft branch of the trainee criterion."),
    )
    council_judgement_note = models.TextField(
        _("why the council should judge"),
        blank=True,
        help_text=_(
            "Recorded by the department's officer when a dossier goes to the council without meeting every "
            "criterion."
        ),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "artisan"], name="dossier_one_per_artisan_per_round"),
        ]
        indexes = [
            models.Index(fields=["province", "round"]),
            models.Index(fields=["-received_on", "-id"], name="dossier_newest_first"),  # the list's order
        ]

    def __str__(self) -> str:
        return f"{self.artisan} — {self.get_title_display()}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            if not self.code:
                self.code = DossierCodeCounter.next_code(province=self.province, round=self.round)
            self.search_text = self.searchable_text()
        super().save(*args, **kwargs)

    def searchable_text(self) -> str:
        artisan = self.artisan
        return " ".join(
            fold_for_search(part) for part in (artisan.full_name, self.code, artisan.craft.name) if part
        )


def refresh_search_text(dossiers) -> int:
    """Recompute `search_text` for the dossiers of a queryset (after their artisan's name or craft
    changed); returns the number of rows."""
    rows = list(
        dossiers.select_related("artisan__craft").only(
            "pk", "code", "artisan__full_name", "artisan__craft__name"
        )
    )
    for row in rows:
        row.search_text = row.searchable_text()
    Dossier.objects.bulk_update(rows, ["search_text"], batch_size=500)
    return len(rows)


class DossierCodeCounter(models.Model):
    """The last sequence number given in a dossier code of one province and one round. A new dossier
    locks its counter row (select_for_update), so two receipts at once never get the same number."""

    province = models.ForeignKey(
        "accounts.AdministrativeUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        "dossiers.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="+"
    )
    last = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("dossier code counter")
        verbose_name_plural = _("dossier code counters")
        constraints = [
            models.UniqueConstraint(fields=["province", "round"], name="dossier_code_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id}/{self.round_id}: {self.last}"

    @classmethod
    def next_code(cls, *, province, round) -> str:
        with transaction.atomic():
            # get_or_create retries a concurrent first insert as a get, which then waits for the lock
            counter, _created = cls.objects.select_for_update().get_or_create(province=province, round=round)
            counter.last += 1
            counter.save(update_fields=["last"])
        return format_code(province.code, round.number, counter.last)


def format_code(province_code: str, round_number: int, sequence: int) -> str:
    return f"{province_code}-{round_number:02d}-{sequence:04d}"


class CraftPeriod(models.Model):
    """A period of work in the craft. Periods add up (cumulative) and must not overlap."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="craft_periods")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    place = NFCCharField(_("place or workshop"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("period in the craft")
        verbose_name_plural = _("periods in the craft")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="craftperiod_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class Work(models.Model):
    """A product or work (sản phẩm, tác phẩm) the artisan designed and made."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="works")
    name = NFCCharField(_("title of the work"), max_length=255)
    completed_on = models.DateField(_("completed on"))
    made_after_title = models.BooleanField(
        _("declared as made after the Excellent Artisan award"),
        default=False,
        help_text=_("For People's Artisan: the declaration says the work was made after that award."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("work")
        verbose_name_plural = _("works")
        ordering = ["completed_on", "id"]

    def __str__(self) -> str:
        return self.name


class Award(models.Model):
    """A prize won at a competition, or a result in an activity the State sent the artisan to."""

    class Level(models.TextChoices):
        FIRST = "first", _("first prize")
        SECOND = "second", _("second prize")
        THIRD = "third", _("third prize")
        CONSOLATION = "consolation", _("consolation prize")

    class Scope(models.TextChoices):
        PROVINCIAL = "provincial", _("provincial")
        NATIONAL = "national", _("national")
        REGIONAL = "regional", _("regional")
        INTERNATIONAL = "international", _("international")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="awards")
    work = models.ForeignKey(
        Work, verbose_name=_("work"), null=True, blank=True, on_delete=models.CASCADE, related_name="awards"
    )
    competition = NFCCharField(_("competition or activity"), max_length=255)
    organiser = NFCCharField(_("organiser"), max_length=255)
    organiser_is_competent = models.BooleanField(_("organised by a competent authority"), default=False)
    state_appointed = models.BooleanField(_("the State sent the artisan"), default=False)
    level = models.CharField(_("prize"), max_length=16, choices=Level.choices)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    awarded_on = models.DateField(_("awarded on"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["awarded_on", "id"]

    def __str__(self) -> str:
        return f"{self.competition} ({self.get_level_display()})"


class TraineeRecord(models.Model):
    """People the artisan taught the craft to, over a period, with how it is proven."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="trainee_records")
    count = models.PositiveIntegerField(_("number of trainees"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    description = models.TextField(_("courses, places, supporting documents"), blank=True)

    class Meta:
        verbose_name = _("trainees taught")
        verbose_name_plural = _("trainees taught")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="trainees_end_after_start"
            ),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="trainees_count_positive"),
        ]

    def __str__(self) -> str:
        return str(self.count)
