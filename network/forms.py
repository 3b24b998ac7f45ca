from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from lokalwillkommen import reference
from lokalwillkommen.categories import Need
from lokalwillkommen.models import District, Language

from .models import (
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
            "schedule",
            "cost",
            "registration_needed",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
        }
        help_texts = {
            "schedule": _("For example: every Tuesday 15:00–17:00"),
            "cost": _("For example: free of charge"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date must not be before the start date."))
        return data


class OfferSubmitForm(TokenMixin, ConsentMixin, OfferFieldsForm):
    organisation = forms.ModelChoiceField(
        label=_("Your organisation, if it is already in the directory"),
        queryset=Organisation.objects.filter(status=Organisation.Status.PUBLISHED).order_by("name"),
        required=False,
        empty_label=_("— not listed yet: register it below —"),
    )
    org_name = forms.CharField(label=_("Name of the organisation"), max_length=160, required=False)
    org_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "—")] + list(Organisation.Kind.choices),
        required=False,
    )
    org_district = forms.ModelChoiceField(
        label=_("District of the organisation"), queryset=District.objects.all(), required=False
    )
    org_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    org_contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    org_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    org_email = forms.EmailField(label=_("E-mail of the organisation"), required=False)
    org_website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    org_languages = _language_field(_("Languages spoken in the organisation"))
    org_description = forms.CharField(
        label=_("About the organisation"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    submitter_email = forms.EmailField(
        label=_("Your e-mail address"),
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
