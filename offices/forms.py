from crispy_forms.helper import FormHelper
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from . import hours
from .models import Office, OpeningException, OpeningRule


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RuleForm(forms.ModelForm):
    class Meta:
        model = OpeningRule
        fields = ["weekday", "opens", "closes", "valid_from", "valid_until", "label"]
        widgets = {
            "opens": TimeInput(),
            "closes": TimeInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("The office must close after it opens."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end of the validity lies before its start."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The messages above say it better than the database constraint names would.
        if self.errors:
            return
        super().validate_constraints(exclude=exclude)


class BaseRuleFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE") or form.errors:
                continue
            data = form.cleaned_data
            if not all(data.get(k) is not None for k in ("weekday", "opens", "closes")):
                continue
            rule = hours.Rule(
                data["weekday"],
                data["opens"],
                data["closes"],
                data["valid_from"],
                data.get("valid_until"),
                data.get("label", ""),
            )
            for other in kept:
                if hours.rules_overlap(rule, other):
                    form.add_error(
                        None,
                        _("These hours overlap with other hours on the same weekday."),
                    )
                    break
            else:
                kept.append(rule)


RuleFormSet = inlineformset_factory(
    Office,
    OpeningRule,
    form=RuleForm,
    formset=BaseRuleFormSet,
    extra=1,
    can_delete=True,
)


class ExceptionForm(forms.ModelForm):
    date_until = forms.DateField(
        label=_("until (for a closure of several days)"), required=False, widget=DateInput()
    )

    class Meta:
        model = OpeningException
        fields = ["kind", "date_from", "date_until", "opens", "closes", "reason"]
        widgets = {"date_from": DateInput(), "opens": TimeInput(), "closes": TimeInput()}
        help_texts = {
            "opens": _("Only for a special opening."),
            "reason": _("Shown to residents, e.g. “team training” or “summer break”."),
        }

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.office = office
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        start, end = cleaned.get("date_from"), cleaned.get("date_until")
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if start and not end:
            cleaned["date_until"] = end = start
        if start and end and end < start:
            self.add_error("date_until", _("The last day lies before the first day."))
        if kind == OpeningException.Kind.SPECIAL:
            if opens is None or closes is None:
                self.add_error("opens", _("A special opening needs a time to open and to close."))
            elif closes <= opens:
                self.add_error("closes", _("The office must close after it opens."))
            if start and end and end != start:
                self.add_error("date_until", _("A special opening is on a single day."))
        elif kind == OpeningException.Kind.CLOSED:
            cleaned["opens"] = cleaned["closes"] = None
        if not self.errors:
            self.instance.date_until = cleaned.get("date_until")
            self.instance.opens = cleaned.get("opens")
            self.instance.closes = cleaned.get("closes")
        return cleaned

    def validate_constraints(self, exclude=None):
        if self.errors:
            return
        super().validate_constraints(exclude=exclude)
