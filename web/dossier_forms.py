"""Forms of the officer's pages. They parse and present; the services decide."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.selectors import current_units_by_name
from core.forms import CccdField, NameField, VNDateField
from dossiers.consent import CONSENT_TEXT, CONSENT_VERSION
from dossiers.models import Artisan, Attachment, Award, Dossier, DossierState, PriorTitle, Title
from dossiers.selectors import crafts, rounds

from .widgets import QuickSelect


class DossierFilterForm(forms.Form):
    """The dossier list's search and filters, read from the query string (a filtered list can be
    bookmarked). A round or province is any number: the filters only narrow the user's read scope, so
    an id outside it finds nothing. Their choices are set after parsing (set_choices), from the query
    that counts the list; the province filter is offered only to who sees more than one province."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    round = forms.IntegerField(label=_("Round"), required=False, min_value=1, widget=QuickSelect)
    title = forms.ChoiceField(label=_("Title sought"), required=False, widget=QuickSelect)
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    posthumous = forms.TypedChoiceField(
        label=_("Posthumous"),
        required=False,
        choices=[("", _("all")), ("1", _("posthumous only")), ("0", _("living artisans only"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        widget=QuickSelect,
    )
    province = forms.IntegerField(label=_("Province"), required=False, min_value=1, widget=QuickSelect)
    craft = forms.IntegerField(label=_("Craft"), required=False, min_value=1, widget=QuickSelect)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["title"].choices = [("", _("all")), *Title.choices]
        self.fields["state"].choices = [("", _("all")), *DossierState.choices]

    def set_choices(self, *, rounds, provinces, crafts=()) -> None:
        """(id, label) pairs of the rounds, provinces and crafts in the user's scope."""
        self.fields["round"].widget.choices = [("", _("all")), *rounds]
        self.fields["craft"].widget.choices = [("", _("all")), *crafts]
        if len(provinces) > 1:
            self.fields["province"].widget.choices = [("", _("all")), *provinces]
        else:
            del self.fields["province"]

    def filters(self) -> dict:
        """The valid filters as dossiers.selectors.dossier_filter takes them; an invalid value is left
        out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "round_id": data.get("round"),
            "title": data.get("title") or "",
            "state": data.get("state") or "",
            "posthumous": data.get("posthumous"),
            "province_id": data.get("province"),
            "craft_id": data.get("craft"),
        }


class ReceiveForm(forms.Form):
    """A new artisan and their dossier, as the officer receives it."""

    full_name = NameField(label=_("Full name"))
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "---------"), *Artisan.Gender.choices])
    date_of_birth = VNDateField(label=_("Date of birth"))
    ethnicity = NameField(label=_("Ethnicity"))
    # optional here: a deceased artisan's number may be left out where the rulebook allows (service decides)
    cccd = CccdField(label=_("CCCD number"), required=False)
    province = forms.ModelChoiceField(
        label=_("Province of permanent residence"), queryset=current_units_by_name(level="province")
    )
    commune = forms.ModelChoiceField(
        label=_("Commune of permanent residence"), queryset=current_units_by_name(level="commune")
    )
    address_detail = forms.CharField(label=_("House number, street, hamlet"), required=False, max_length=255)
    craft = forms.ModelChoiceField(label=_("Craft"), queryset=crafts())
    is_deceased = forms.BooleanField(label=_("Deceased (posthumous nomination)"), required=False)
    date_of_death = VNDateField(label=_("Date of death"), required=False)
    filer_kind = forms.ChoiceField(
        label=_("Posthumous: filed by"), choices=[("", "---------"), *Dossier.Filer.choices], required=False
    )
    filer_name = forms.CharField(
        label=_("Posthumous: name of the relative or organisation"), required=False, max_length=255
    )
    filer_relationship = forms.CharField(
        label=_("Posthumous: relationship to the artisan"), required=False, max_length=255
    )
    round = forms.ModelChoiceField(label=_("Round"), queryset=rounds(), empty_label=None)
    title = forms.ChoiceField(label=_("Title sought"), choices=Title.choices)
    channel = forms.ChoiceField(label=_("Received"), choices=Dossier.Channel.choices)
    received_on = VNDateField(label=_("Date received"))
    special_branch_claimed = forms.BooleanField(
        label=_("Judge the trainee criterion under the special-craft branch"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "The artisan (for a posthumous nomination, their family) has read this text and consents to the "
            "processing of their personal data"
        ),
        required=True,
        error_messages={
            "required": _("Confirm that the artisan has consented to the processing of their personal data.")
        },
    )
    # the version shown when the page was opened: a text changed in between is refused by the service
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CONSENT_VERSION, required=False)

    consent_text = CONSENT_TEXT

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        if province is not None:
            self.fields["province"].initial = province
            self.fields["commune"].queryset = current_units_by_name(level="commune", parent=province)

    def service_arguments(self, agency) -> dict:
        c = self.cleaned_data
        artisan_fields = (
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "cccd",
            "province",
            "commune",
            "address_detail",
            "craft",
            "is_deceased",
            "date_of_death",
        )
        return {
            "artisan": {
                **{k: c[k] for k in artisan_fields},
                "consent_version": (c.get("consent_version") or CONSENT_VERSION)
                if c.get("consent")
                else None,
            },
            "dossier": {
                "round": c["round"],
                "title": c["title"],
                "receiving_agency": agency,
                "channel": c["channel"],
                "received_on": c["received_on"],
                "posthumous": c["is_deceased"],
                "special_branch_claimed": c["special_branch_claimed"],
                "filer_kind": c["filer_kind"],
                "filer_name": c["filer_name"],
                "filer_relationship": c["filer_relationship"],
            },
        }


class PeriodForm(forms.Form):
    start = VNDateField(label=_("From"))
    end = VNDateField(label=_("To"))
    place = forms.CharField(label=_("Place or workshop"), required=False, max_length=255)


class WorkForm(forms.Form):
    name = NameField(label=_("Title of the work"))
    completed_on = VNDateField(label=_("Completed on"))
    made_after_title = forms.BooleanField(label=_("Made after the Excellent Artisan award"), required=False)
    award_competition = forms.CharField(
        label=_("Prize: competition or activity"), required=False, max_length=255
    )
    award_organiser = forms.CharField(label=_("Organiser"), required=False, max_length=255)
    award_competent = forms.BooleanField(label=_("Competent authority"), required=False)
    award_state_appointed = forms.BooleanField(label=_("Sent by the State"), required=False)
    award_level = forms.ChoiceField(
        label=_("Prize"), required=False, choices=[("", "—"), *Award.Level.choices]
    )
    award_scope = forms.ChoiceField(
        label=_("Scope"), required=False, choices=[("", "—"), *Award.Scope.choices]
    )
    award_on = VNDateField(label=_("Awarded on"), required=False)

    def clean(self):
        cleaned = super().clean()
        award = [cleaned.get(k) for k in ("award_competition", "award_level", "award_scope", "award_on")]
        if any(award) and not all(award):
            raise forms.ValidationError(
                _("For a prize, give the competition, the prize, the scope and the date.")
            )
        return cleaned


class TraineeForm(forms.Form):
    count = forms.IntegerField(label=_("Number of trainees"), min_value=1)
    start = VNDateField(label=_("From"))
    end = VNDateField(label=_("To"))
    description = forms.CharField(label=_("Courses, places, supporting documents"), required=False)


class PriorTitleForm(forms.Form):
    # A blank first choice and the select's own default as the initial value: a row left as offered is
    # unchanged, so the formset skips it instead of asking for a decision number (and "Delete").
    title = forms.ChoiceField(label=_("Title"), choices=[("", "—"), *Title.choices])
    field = forms.ChoiceField(
        label=_("Field"), choices=PriorTitle.Field.choices, initial=PriorTitle.Field.HANDICRAFT
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decision_date = VNDateField(label=_("Decision date"))


PeriodFormSet = formset_factory(PeriodForm, extra=2, can_delete=True)
WorkFormSet = formset_factory(WorkForm, extra=2, can_delete=True)
TraineeFormSet = formset_factory(TraineeForm, extra=1, can_delete=True)
PriorTitleFormSet = formset_factory(PriorTitleForm, extra=1, can_delete=True)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("File"))


class AttachmentRowForm(forms.Form):
    """One file sent with the receipt: a row left without a file is skipped."""

    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=[("", "—"), *Attachment.Kind.choices], required=False
    )
    file = forms.FileField(label=_("File"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") and not cleaned.get("kind"):
            self.add_error("kind", _("Choose the kind of document."))
        return cleaned


AttachmentRowFormSet = formset_factory(AttachmentRowForm, extra=2)

# The evidence forms by the name the row check is asked with (the formsets' prefixes)
EVIDENCE_ROW_FORMS = {
    "periods": PeriodForm,
    "works": WorkForm,
    "trainees": TraineeForm,
    "prior_titles": PriorTitleForm,
}


class StepForm(forms.Form):
    """One step of the procedure, confirmed by the user, with its reason and the data its declaration
    asks for (workflows.steps: each kind of data gives its own form fields). Ids end with the step's
    name, so that every step's form on a page has its own."""

    name = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("I confirm this step"), required=True)

    def __init__(self, *args, step=None, **kwargs):
        if step is not None:
            kwargs.setdefault("auto_id", f"%s-{step.name}")
            kwargs.setdefault("initial", {"name": step.name})
        super().__init__(*args, **kwargs)
        asked = step.form_fields() if step is not None else {}
        self.fields.update(asked)
        self.data_fields = list(asked)

    def data_field_boxes(self):
        """The bound fields of the step's data, for the template."""
        return [self[name] for name in self.data_fields]

    def transition_data(self) -> dict:
        c = self.cleaned_data
        data = {"reason": c["reason"]}
        data.update({key: c[key] for key in self.data_fields if c.get(key) not in (None, "")})
        return data


class CouncilJudgementForm(forms.Form):
    """Why the council should judge a dossier that fails a checkable criterion (the service decides)."""

    reason = forms.CharField(
        label=_("Why the council should judge this dossier"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    confirm = forms.BooleanField(
        label=_("I confirm this request; it is recorded with my name and shown to the council."),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s-judgement")
        super().__init__(*args, **kwargs)


class EvidenceSummary(forms.Form):
    """No field: the top of the evidence page, where a refusal of the whole evidence is shown."""


class NomineeImportUploadForm(forms.Form):
    """A filled template of the list of nominees (web.nominee_import reads and checks it)."""

    file = forms.FileField(
        label=_("The filled template (.xlsx)"),
        help_text=_("An Excel workbook (.xlsx) made from the template, without macros or formulas."),
    )


class NomineeImportConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm receiving every dossier of this list; each is recorded with my name and cannot be "
            "undone from here."
        ),
        required=True,
    )


class RegistryImportConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm entering every title of this list in the public registry; each is recorded with my "
            "name and cannot be undone from here."
        ),
        required=True,
    )
