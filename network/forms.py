from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lokalwillkommen import reference
from lokalwillkommen.categories import Need
from lokalwillkommen.models import District, Language
from offices.models import Weekday

from .models import (
    Cost,
    Offer,
    Organisation,
    Skill,
    SkillCode,
    Suggestion,
    TargetGroup,
    TargetGroupCode,
    VolunteerRegistration,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _Helper(FormHelper):
    form_tag = False
    disable_csrf = True


class LanguageChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def _language_field(label):
    return LanguageChoiceField(
        label=label,
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _reference_choices(kind: str, everything):
    """Choices from the reference rows held per process (no query), by their key (district
    slug, language code) in the address, after an "all …" entry."""
    return lambda: [("", everything), *reference.choices(kind)]


def district_filter() -> forms.ChoiceField:
    """A filter by district, by its slug in the address."""
    return forms.ChoiceField(
        label=_("District"),
        required=False,
        choices=_reference_choices("districts", _("all districts")),
    )


def language_filter() -> forms.ChoiceField:
    """A filter by language, by its code in the address."""
    return forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_reference_choices("languages", _("all languages")),
    )


class TokenMixin(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)


class ConsentMixin(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that my details are stored and used for this purpose as described "
            "in the privacy notice above."
        ),
        required=True,
        error_messages={"required": _("Please agree to the privacy notice to send the form.")},
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[("", _("all kinds"))] + list(Organisation.Kind.choices),
    )
    category = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("all topics"))] + list(Need.choices)
    )
    district = district_filter()
    language = language_filter()
    target_group = forms.ChoiceField(
        label=_("For whom"),
        required=False,
        choices=[("", _("everyone"))] + list(TargetGroupCode.choices),
    )
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("offers", _("Offers")), ("organisations", _("Organisations"))],
    )


class OfferFieldsForm(forms.ModelForm):
    target_groups = forms.ModelMultipleChoiceField(
        label=_("For whom"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = _language_field(_("Languages spoken in the offer"))

    class Meta:
        model = Offer
        fields = [
            "title",
            "description",
            "category",
            "target_groups",
            "languages",
            "place",
            "district",
            "time_weekdays",
            "time_starts",
            "time_ends",
            "time_date",
            "time_note",
            "cost",
            "cost_amount",
            "cost_note",
            "registration_needed",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
        }

    # One time of the offer (network/offer_times.py); staff add more in the admin.
    time_weekdays = forms.TypedMultipleChoiceField(
        label=_("On which weekdays"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_starts = forms.TimeField(label=_("From"), required=False, widget=TIME_WIDGET)
    time_ends = forms.TimeField(label=_("To"), required=False, widget=TIME_WIDGET)
    time_date = forms.DateField(
        label=_("Or on one date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("For an offer on one day only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = kwargs.get("instance")
        first = instance.times.first() if instance is not None and instance.pk else None
        if first is not None and not self.is_bound:
            # The caller's initial (a change still waiting) wins over the live times.
            for name, value in {
                "time_weekdays": [int(d) for d in first.weekdays],
                "time_starts": first.starts,
                "time_ends": first.ends,
                "time_date": first.date_from if not first.weekdays else None,
            }.items():
                self.initial.setdefault(name, value)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date must not be before the start date."))
        starts, ends = data.get("time_starts"), data.get("time_ends")
        if ends and (not starts or ends <= starts):
            self.add_error("time_ends", _("The end must be after the start."))
        if (starts or ends) and not (data.get("time_weekdays") or data.get("time_date")):
            self.add_error("time_weekdays", _("Choose the weekdays or a date."))
        if data.get("cost") == Cost.AMOUNT and not data.get("cost_amount"):
            self.add_error("cost_amount", _("Enter the amount."))
        if data.get("cost") != Cost.AMOUNT:
            data["cost_amount"] = None
        return data

    def time_data(self) -> dict | None:
        """The one time entered, as ``OfferTime`` fields (None when none was entered)."""
        data = self.cleaned_data
        weekdays = "".join(str(d) for d in sorted(set(data.get("time_weekdays") or ())))
        day = data.get("time_date")
        if not weekdays and not day:
            return None
        return {
            "weekdays": weekdays,
            "starts": data.get("time_starts"),
            "ends": data.get("time_ends"),
            "date_from": None if weekdays else day,
        }


def _limit(model, name: str) -> int:
    """The model field's length limit, so that the form refuses what the database would."""
    return model._meta.get_field(name).max_length


class OfferSubmitForm(TokenMixin, ConsentMixin, OfferFieldsForm):
    organisation = forms.ModelChoiceField(
        label=_("Your organisation, if it is already in the directory"),
        queryset=Organisation.objects.filter(status=Organisation.Status.PUBLISHED).order_by("name"),
        required=False,
        empty_label=_("— not listed yet: register it below —"),
    )
    org_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=_limit(Organisation, "name"),
        required=False,
    )
    org_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "—")] + list(Organisation.Kind.choices),
        required=False,
    )
    org_district = forms.ModelChoiceField(
        label=_("District of the organisation"), queryset=District.objects.all(), required=False
    )
    org_address = forms.CharField(
        label=_("Address"), max_length=_limit(Organisation, "address"), required=False
    )
    org_contact_name = forms.CharField(
        label=_("Contact person"), max_length=_limit(Organisation, "contact_name"), required=False
    )
    org_phone = forms.CharField(
        label=_("Phone"), max_length=_limit(Organisation, "phone"), required=False
    )
    org_email = forms.EmailField(
        label=_("E-mail of the organisation"),
        max_length=_limit(Organisation, "email"),
        required=False,
    )
    org_contact_public = forms.BooleanField(
        label=_("Show the contact person, phone number and e-mail address in the public directory"),
        help_text=_(
            "Tick only if the person named agrees. Without the tick only the lokal willkommen "
            "team sees them."
        ),
        required=False,
    )
    org_website = forms.URLField(
        label=_("Website"),
        max_length=_limit(Organisation, "website"),
        required=False,
        assume_scheme="https",
    )
    org_languages = _language_field(_("Languages spoken in the organisation"))
    org_description = forms.CharField(
        label=_("About the organisation"),
        max_length=_limit(Organisation, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    submitter_email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=_limit(Offer, "submitter_email"),
        help_text=_("We send you a link to see, change or withdraw your offer."),
    )

    ORG_FIELDS = [
        "org_name",
        "org_kind",
        "org_district",
        "org_address",
        "org_contact_name",
        "org_phone",
        "org_email",
        "org_contact_public",
        "org_website",
        "org_languages",
        "org_description",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].label_from_instance = lambda org: org.name
        self.helper = _Helper()
        offer_fields = list(OfferFieldsForm.Meta.fields)
        self.helper.layout = Layout(
            Fieldset(_("Organisation"), "organisation", *self.ORG_FIELDS),
            Fieldset(_("Offer"), *offer_fields),
            Fieldset(_("Contact and consent"), "submitter_email", "consent", "token"),
        )

    def clean(self):
        data = super().clean()
        if data.get("organisation") is None:
            for name in ("org_name", "org_kind", "org_district"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        _("Choose your organisation from the list or fill in this field."),
                    )
        return data

    def organisation_data(self) -> dict | None:
        if self.cleaned_data.get("organisation") is not None:
            return None
        return {name[4:]: self.cleaned_data.get(name) for name in self.ORG_FIELDS}


class OfferChangeForm(OfferFieldsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _Helper()


TRANSLATED_OFFER_FIELDS = ("title", "description", "time_note", "cost_note")


def translated_columns(field: str) -> list[str]:
    return [f"{field}_{language}" for language in settings.MODELTRANSLATION_LANGUAGES]


class OfferReviewForm(OfferFieldsForm):
    """What a coordinator checks before an offer, or a change to it, is published: every
    field, and each text in every content language (to correct or translate it)."""

    class Meta(OfferFieldsForm.Meta):
        fields = [
            *(f for f in OfferFieldsForm.Meta.fields if f not in TRANSLATED_OFFER_FIELDS),
            *(column for field in TRANSLATED_OFFER_FIELDS for column in translated_columns(field)),
        ]
        widgets = {
            **OfferFieldsForm.Meta.widgets,
            **{
                column: forms.Textarea(attrs={"rows": 4})
                for column in translated_columns("description")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language_names = dict(settings.LANGUAGES)
        for field in TRANSLATED_OFFER_FIELDS:
            for language, column in zip(
                settings.MODELTRANSLATION_LANGUAGES, translated_columns(field), strict=True
            ):
                label = Offer._meta.get_field(field).verbose_name
                self.fields[column].label = f"{label} ({language_names[language]})"
                self.fields[column].widget.attrs.update(lang=language, dir="auto")
        self.helper = _Helper()

    def clean(self):
        data = super().clean()
        if not any(data.get(column) for column in translated_columns("title")):
            self.add_error(
                translated_columns("title")[0], _("The offer needs a title in one language.")
            )
        if not any(data.get(column) for column in translated_columns("description")):
            self.add_error(
                translated_columns("description")[0],
                _("The offer needs a description in one language."),
            )
        return data


class VolunteerForm(forms.ModelForm):
    languages = _language_field(_("Languages you speak"))
    skills = forms.ModelMultipleChoiceField(
        label=_("How you would like to help"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = VolunteerRegistration
        fields = [
            "name",
            "email",
            "phone",
            "district",
            "languages",
            "skills",
            "availability",
            "message",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("Your e-mail address"),
            "phone": _("Your phone number (optional)"),
            "district": _("District where you would like to help"),
            "availability": _("When you have time"),
            "message": _("Anything else you would like to tell us (optional)"),
        }
        widgets = {
            "availability": forms.Textarea(attrs={"rows": 3}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"availability": _("For example: Tuesday afternoons, twice a month")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _Helper()


class VolunteerRegisterForm(TokenMixin, ConsentMixin, VolunteerForm):
    pass


class SuggestionForm(TokenMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and e-mail address are stored so that the team can "
            "answer me, as described in the privacy notice above."
        ),
        required=False,
    )

    class Meta:
        model = Suggestion
        fields = ["need", "district", "topic", "text", "name", "email"]
        labels = {
            "need": _("What is it about? (optional)"),
            "district": _("Which district? (optional)"),
            "topic": _("Topic (optional)"),
            "text": _("Your suggestion"),
            "name": _("Your name (optional)"),
            "email": _("Your e-mail address (optional)"),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _Helper()
        # The districts from the reference rows held per process (no query).
        self.fields["district"].choices = [("", "–")] + [
            (row.id, row.name) for row in reference.rows("districts")
        ]

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("email")) and not data.get("consent"):
            self.add_error(
                "consent",
                _("Please agree to the privacy notice, or leave your name and e-mail out."),
            )
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection (sent to the submitter)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VolunteerFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all"))] + list(VolunteerRegistration.Status.choices),
    )
    district = district_filter()
    language = language_filter()
    skill = forms.ChoiceField(
        label=_("Skill"), required=False, choices=[("", _("all skills"))] + list(SkillCode.choices)
    )


class VolunteerStaffForm(forms.ModelForm):
    class Meta:
        model = VolunteerRegistration
        fields = ["status", "staff_notes"]
        widgets = {"staff_notes": forms.Textarea(attrs={"rows": 2})}


class SuggestionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Suggestion.Status.choices)
