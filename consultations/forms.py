"""Forms of the casework pages. Every form carries a one-time token (a double submit creates
nothing twice); forms that edit carry the record's version (a stale save is refused)."""

import re
import uuid

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lokalwillkommen import reference
from lokalwillkommen.categories import Need
from lokalwillkommen.models import Language
from lokalwillkommen.plainforms import PlainFields
from lokalwillkommen.roles import COORDINATOR, STAFF, is_coordinator, team_ids

from .models import Consultation, HomeVisit, Household, Referral
from .selectors import households_for, my_offices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


FORM_TOKEN_SALT = "consultations.form-token"
FORM_TOKEN_MAX_LENGTH = 120
_NONCE = re.compile(r"[0-9a-f]{32}")


def new_form_token(user) -> str:
    """A one-time token for a form that ``user`` opens: a random nonce, signed together with
    the user's id, so that it is good for this user's submission only."""
    return signing.Signer(salt=FORM_TOKEN_SALT).sign(f"{user.pk}.{uuid.uuid4().hex}")


def form_token_nonce(token: str, user) -> str | None:
    """The nonce of a token that ``new_form_token`` made for ``user``; None for a token that
    is too long, malformed, tampered with or made for somebody else."""
    if not isinstance(token, str) or not token or len(token) > FORM_TOKEN_MAX_LENGTH:
        return None
    try:
        value = signing.Signer(salt=FORM_TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    owner, _dot, nonce = value.partition(".")
    if owner != str(user.pk) or not _NONCE.fullmatch(nonce):
        return None
    return nonce


class GuardedForm(forms.Form):
    """Adds the hidden one-time token (bound to the user who opened the form) and, for edits,
    the hidden version."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def _guard(self, user):
        self.user = user
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token(user))
            instance = getattr(self, "instance", None)
            if instance is not None and instance.pk:
                self.initial["version"] = instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        """``form_token`` becomes the token's nonce. A token from another user's form, or one
        that was changed, is refused with a message; the form comes back with the input and a
        fresh token, so that saving again works."""
        data = super().clean()
        token = data.get("form_token") or ""
        if token:
            nonce = form_token_nonce(token, self.user)
            if nonce is None:
                data.pop("form_token", None)
                self.data = self.data.copy()
                self.data[self.add_prefix("form_token")] = new_form_token(self.user)
                self.add_error(
                    None,
                    _(
                        "This form could not be checked: it was opened by another login or "
                        "changed on the way. Check your input and save again."
                    ),
                )
            else:
                data["form_token"] = nonce
        return data

    def _default(self, name, value):
        """Prefill ``name`` unless the instance or the caller gave it a value."""
        if self.initial.get(name) in (None, "", []):
            self.initial[name] = value


def _staff_users():
    User = get_user_model()
    return (
        User.objects.filter(groups__name__in=[STAFF, COORDINATOR], is_active=True)
        .distinct()
        .order_by("username")
    )


def _published_organisations():
    from network.models import Organisation

    return Organisation.objects.filter(status="published").order_by("name")


def _published_offers():
    from network.models import Offer

    return Offer.objects.filter(status="published").select_related("organisation").order_by(
        "title"
    )


class HouseholdForm(GuardedForm, forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=Need.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"), queryset=Language.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    consent_confirmed = forms.BooleanField(
        label=_("The household was told what we store and why, and agreed."),
        required=True,
    )

    class Meta:
        model = Household
        fields = [
            "contact_name", "phone", "street", "postcode", "district", "moved_in_on",
            "previous_housing", "size", "children_0_2", "children_3_5", "children_6_9",
            "children_10_17", "languages", "status", "team", "responsible",
            "consent_given_on", "consent_scope", "notes",
        ]
        widgets = {
            "moved_in_on": DATE,
            "consent_given_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._guard(user)
        from offices.models import Team

        teams = Team.objects.order_by("name")
        if not is_coordinator(user):
            teams = teams.filter(id__in=team_ids(user))
        self.fields["team"].queryset = teams
        self.fields["responsible"].queryset = _staff_users()
        self.fields["contact_name"].required = True
        self.fields["consent_given_on"].required = True
        self.fields["consent_scope"].required = True
        if self.instance.pk:
            self.initial.setdefault(
                "needs", list(self.instance.needs.values_list("need", flat=True))
            )
            del self.fields["consent_confirmed"]
        else:
            self._default("consent_given_on", timezone.localdate())
            self._default("responsible", user.pk)
            if len(teams) == 1:
                self._default("team", teams[0].pk)

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not (len(postcode) == 5 and postcode.isdigit()):
            raise forms.ValidationError(_("A postcode has five digits."))
        return postcode

    def clean_consent_given_on(self):
        value = self.cleaned_data["consent_given_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be given in the future."))
        return value

    def clean(self):
        data = super().clean()
        children = sum(
            data.get(f) or 0 for f in ("children_0_2", "children_3_5", "children_6_9",
                                       "children_10_17")
        )
        size = data.get("size")
        if size is not None and children > size:
            self.add_error(
                "size", _("The household cannot have more children than members.")
            )
        return data


class VisitForm(GuardedForm, forms.ModelForm):
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )

    class Meta:
        model = HomeVisit
        fields = ["status", "scheduled_at", "kind", "information_given", "notes",
                  "next_follow_up_on"]
        widgets = {
            "next_follow_up_on": DATE,
            "information_given": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._guard(user)
        if not self.instance.pk:
            self._default(
                "scheduled_at",
                timezone.localtime().replace(minute=0, second=0, microsecond=0)
                + timezone.timedelta(days=1),
            )
            if household is not None and household.visits.exists():
                self.initial["kind"] = HomeVisit.Kind.FOLLOW_UP

    def clean(self):
        data = super().clean()
        when = data.get("scheduled_at")
        if (
            when
            and data.get("status") in (HomeVisit.Status.DONE, HomeVisit.Status.MISSED)
            and when > timezone.now() + timezone.timedelta(hours=1)
        ):
            self.add_error(
                "scheduled_at", _("A visit in the future cannot be done or missed yet.")
            )
        follow_up = data.get("next_follow_up_on")
        if when and follow_up and follow_up < timezone.localtime(when).date():
            self.add_error(
                "next_follow_up_on", _("The next follow-up must come after the visit.")
            )
        return data


class ReferralTargetMixin:
    def _referral_fields(self, prefix="", required=True):
        self.fields[prefix + "organisation"] = forms.ModelChoiceField(
            label=_("Organisation"), queryset=_published_organisations(), required=False
        )
        self.fields[prefix + "offer"] = forms.ModelChoiceField(
            label=_("Offer"), queryset=_published_offers(), required=False
        )

    def _check_target(self, data, prefix="", required=True):
        organisation = data.get(prefix + "organisation")
        offer = data.get(prefix + "offer")
        if offer and organisation and offer.organisation_id != organisation.pk:
            self.add_error(
                prefix + "offer", _("This offer belongs to another organisation.")
            )
        if required and not organisation and not offer:
            self.add_error(prefix + "organisation", _("Choose an organisation or an offer."))
        if offer and not organisation:
            data[prefix + "organisation"] = offer.organisation
        return organisation, offer


class ReferralForm(ReferralTargetMixin, GuardedForm, forms.ModelForm):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("as the offer"))] + list(Need.choices),
        required=False,
    )

    class Meta:
        model = Referral
        fields = ["organisation", "offer", "category", "follow_up_on", "notes"]
        widgets = {"follow_up_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, household=None, language_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._guard(user)
        self._referral_fields()
        self.order_fields(["organisation", "offer", "category", "follow_up_on", "notes"])
        if household is not None:
            from .matching import organisation_choices

            # The offers are chosen from the ranked suggestions on the page (radio buttons
            # written by the template); the organisations are grouped by distance.
            self.fields["organisation"].choices = organisation_choices(
                district_id=household.district_id, language_ids=language_ids
            )
            self.fields["organisation"].label = _("Or an organisation")
            self.helper.layout = Layout(
                "form_token", "version", "organisation", "category", "follow_up_on", "notes"
            )

    def clean(self):
        data = super().clean()
        _organisation, offer = self._check_target(data)
        if not data.get("category"):
            if offer:
                data["category"] = offer.category
            else:
                self.add_error("category", _("Choose a category."))
        return data


class ReferralOutcomeForm(GuardedForm, forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["status", "outcome_reason", "follow_up_on", "notes"]
        widgets = {"follow_up_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._guard(user)
        self.fields["outcome_reason"].help_text = _(
            "Required when the offer was not taken up: the gap analysis and the report count "
            "the reasons."
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == Referral.Status.NOT_TAKEN_UP:
            if not data.get("outcome_reason"):
                self.add_error("outcome_reason", _("Say why the offer was not taken up."))
        else:
            data["outcome_reason"] = ""
            self.instance.outcome_reason = ""
        return data


class ConsultationForm(ReferralTargetMixin, GuardedForm, forms.ModelForm):
    held_at = forms.DateTimeField(
        label=_("Time"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Need.choices, widget=forms.CheckboxSelectMultiple
    )
    household_reference = forms.CharField(
        label=_("Household reference (optional)"), required=False, max_length=16,
        help_text=_("For example LW-2026-0042. Leave empty for an anonymous consultation."),
    )

    class Meta:
        model = Consultation
        fields = ["office", "held_at", "topics", "language", "interpreter_needed",
                  "duration_minutes", "notes"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "duration_minutes": forms.NumberInput(attrs={"min": 1, "max": 600, "step": 5}),
        }

    def __init__(self, *args, user, default_office=None, open_offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._guard(user)
        self._referral_fields(prefix="refer_")
        self.fields["refer_organisation"].label = _("Refer to organisation (optional)")
        self.fields["refer_offer"].label = _("Refer to offer (optional)")
        offices = my_offices(user)
        self.fields["office"].queryset = offices
        self.fields["language"].queryset = Language.objects.order_by("name")
        names = reference.by_id("offices")
        open_names = [names[pk].name for pk in open_offices if pk in names]
        if open_names:
            self.fields["office"].help_text = _("Open now: %(offices)s") % {
                "offices": ", ".join(open_names)
            }
        elif default_office is not None:
            self.fields["office"].help_text = _(
                "None of your offices is open now: the office you used last is chosen."
            )
        if not self.is_bound:
            self._default("held_at", timezone.localtime().replace(second=0, microsecond=0))
            if default_office is not None:
                self._default("office", default_office)
        self.order_fields(
            ["office", "held_at", "topics", "language", "interpreter_needed",
             "duration_minutes", "household_reference", "refer_organisation", "refer_offer",
             "notes"]
        )

    def clean_household_reference(self):
        reference = self.cleaned_data["household_reference"].strip().upper()
        if not reference:
            return None
        household = households_for(self.user).filter(
            reference=reference, anonymised_at__isnull=True
        ).first()
        if household is None:
            raise forms.ValidationError(
                _("No household with this reference in your teams.")
            )
        return household

    def clean(self):
        data = super().clean()
        self._check_target(data, prefix="refer_", required=False)
        return data

    def referral(self) -> Referral | None:
        data = self.cleaned_data
        if not data.get("refer_organisation") and not data.get("refer_offer"):
            return None
        offer = data.get("refer_offer")
        topics = data.get("topics") or [Need.OTHER]
        return Referral(
            organisation=data.get("refer_organisation"),
            offer=offer,
            category=offer.category if offer else topics[0],
            follow_up_on=timezone.localdate() + timezone.timedelta(days=14),
        )


class ConsultationCorrectionForm(ConsultationForm):
    """The author's correction of a consultation: the same fields, without a new referral
    (a referral made with it has its own page)."""

    def __init__(self, *args, user, instance, **kwargs):
        super().__init__(*args, user=user, instance=instance, **kwargs)
        del self.fields["refer_organisation"]
        del self.fields["refer_offer"]
        if not self.is_bound:
            self.initial["topics"] = list(instance.topics.values_list("topic", flat=True))
            self.initial["household_reference"] = (
                instance.household.reference if instance.household_id else ""
            )

    def clean_household_reference(self):
        value = self.cleaned_data["household_reference"].strip().upper()
        current = self.instance.household if self.instance.household_id else None
        if current is not None and value == current.reference:
            return current
        return super().clean_household_reference()

    def referral(self):
        return None


class HouseholdFilterForm(forms.Form):
    """The household list's search and filters; written as plain HTML (``PlainFields``)."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Reference, name or street")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("all"))] + list(Household.Status.choices),
    )
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        choices=lambda: [("", _("all")), *reference.choices("districts")],
    )
    team = forms.ChoiceField(label=_("Team"), required=False)
    need = forms.ChoiceField(
        label=_("Need"), required=False, choices=[("", _("all"))] + list(Need.choices)
    )
    first_visit = forms.ChoiceField(
        label=_("First visit"),
        required=False,
        choices=[
            ("", _("all")),
            ("overdue", pgettext_lazy("first visit", "overdue")),
            ("due", _("due within three days")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = reference.rows("teams")
        if not is_coordinator(user):
            mine = team_ids(user)
            teams = [team for team in teams if team.id in mine]
        self.fields["team"].choices = [("", _("all"))] + [(t.key, t.name) for t in teams]

    def plain_fields(self) -> PlainFields:
        """The fields as plain HTML; the team choices are the user's own."""
        return PlainFields(self, personal=frozenset({"team"}))


class VolunteerMatchForm(forms.Form):
    """What to match volunteers against: a need (its skills) or a skill, languages, a
    district (with its neighbours) and words from their availability."""

    need = forms.ChoiceField(
        label=_("Need"), required=False, choices=[("", _("any"))] + list(Need.choices)
    )
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Speaks one of"), required=False, widget=forms.CheckboxSelectMultiple
    )
    district = forms.ChoiceField(
        label=_("Lives in or next to"), required=False,
    )
    availability = forms.CharField(
        label=_("Available"), required=False, max_length=60,
        help_text=_("A word from their availability, e.g. “Saturday” or “evenings”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        skill_names = reference.labels("skills")
        self.fields["skill"].choices = [("", _("any"))] + [
            (row.key, skill_names[row.id]) for row in reference.rows("skills")
        ]
        self.fields["languages"].choices = reference.choices("languages")
        self.fields["district"].choices = [("", _("the whole city"))] + reference.choices(
            "districts"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("need", css_class="col-md-4"), Column("skill", css_class="col-md-4"),
                Column("district", css_class="col-md-4")),
            InlineCheckboxes("languages"),
            "availability",
        )


class ReportPeriodForm(forms.Form):
    """The report's period (month, quarter, year or from–to) and an optional team or office.

    Staff may only choose among their own teams and their teams' offices."""

    class Kind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")
        RANGE = "range", _("From – to")

    MAX_DAYS = 5 * 366

    period = forms.ChoiceField(label=_("Period"), choices=Kind.choices, initial=Kind.QUARTER)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=int, empty_value=None,
        choices=[("", "–")] + list(MONTHS.items()),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), required=False, coerce=int, empty_value=None,
        choices=[("", "–"), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=None, empty_label=_("all"), to_field_name="slug"
    )
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=None, empty_label=_("all"),
        to_field_name="slug",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from offices.models import Office, Team

        teams = Team.objects.order_by("name")
        offices = Office.objects.order_by("name")
        if not is_coordinator(user):
            teams = teams.filter(id__in=team_ids(user))
            offices = offices.filter(team_id__in=team_ids(user))
        self.fields["team"].queryset = teams
        self.fields["office"].queryset = offices
        today = timezone.localdate()
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("quarter", (today.month - 1) // 3 + 1)
        self.initial.setdefault("month", today.month)

    def clean(self):
        from .reports import Period

        data = super().clean()
        kind = data.get("period")
        year = data.get("year")
        if kind in (self.Kind.MONTH, self.Kind.QUARTER, self.Kind.YEAR) and not year:
            self.add_error("year", _("Choose a year."))
        if kind == self.Kind.MONTH and not data.get("month"):
            self.add_error("month", _("Choose a month."))
        if kind == self.Kind.QUARTER and not data.get("quarter"):
            self.add_error("quarter", _("Choose a quarter."))
        if kind == self.Kind.RANGE:
            start, end = data.get("date_from"), data.get("date_to")
            if not start:
                self.add_error("date_from", _("Enter the first day."))
            if not end:
                self.add_error("date_to", _("Enter the last day."))
            if start and end and end < start:
                self.add_error("date_to", _("The last day cannot be before the first day."))
            elif start and end and (end - start).days > self.MAX_DAYS:
                self.add_error("date_to", _("A report covers at most five years."))
        team, office = data.get("team"), data.get("office")
        if team and office and office.team_id != team.pk:
            self.add_error("office", _("This office belongs to another team."))
        if self.errors:
            return data
        if kind == self.Kind.MONTH:
            data["range"] = Period.month(year, data["month"])
        elif kind == self.Kind.QUARTER:
            data["range"] = Period.quarter(year, data["quarter"])
        elif kind == self.Kind.YEAR:
            data["range"] = Period.year(year)
        else:
            data["range"] = Period(data["date_from"], data["date_to"])
        return data
