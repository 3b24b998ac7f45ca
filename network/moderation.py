"""What a change to an offer changes: the proposal kept with a waiting ``OfferRevision``, and
the differences a coordinator sees before publishing it.

A proposal is kept as the coordinators' review form would send it (``OfferReviewForm``: every
field, and each text in its content-language column), so that it can be shown, edited and
translated in that form and then published by saving the form. The submitter's own form writes
its texts in the language of the page it was sent from; ``proposal_from_change`` puts them
into that language's column and takes everything the submitter did not send from the live
offer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django import forms
from django.db.models import Model
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format, time_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lokalwillkommen.content import store_language

from .forms import TRANSLATED_OFFER_FIELDS, OfferReviewForm
from .models import Offer


def _as_strings(value) -> list[str]:
    """A field's value as the strings a browser would send for it."""
    if value is None:
        return []
    if isinstance(value, bool):
        return ["on"] if value else []
    if isinstance(value, list | tuple | set | frozenset):
        return [item for part in value for item in _as_strings(part)]
    if isinstance(value, Model):
        return [str(value.pk)]
    if hasattr(value, "all") and callable(value.all):  # a related manager or queryset
        return [str(obj.pk) for obj in value.all()]
    if isinstance(value, time):
        return [value.strftime("%H:%M")]
    if isinstance(value, date):
        return [value.isoformat()]
    if isinstance(value, Decimal):
        return [format(value, "f")]
    return [str(value)]


def review_data(offer: Offer) -> dict[str, list[str]]:
    """The live offer as the review form would send it."""
    form = OfferReviewForm(instance=offer)
    return {name: _as_strings(form[name].value()) for name in form.fields}


def proposal_from_change(offer: Offer, change: forms.Form, language: str) -> dict[str, list[str]]:
    """The submitter's change (their bound form, sent from a page in ``language``) as a
    proposal: their texts in that language's column, all else as they sent it, and what their
    form does not have (the other languages' texts) as it is live."""
    proposal = review_data(Offer.objects.get(pk=offer.pk))  # as it is live, not as the form left it
    column = store_language(language)
    for name in change.fields:
        values = [str(v) for v in change.data.getlist(name)]
        target = f"{name}_{column}" if name in TRANSLATED_OFFER_FIELDS else name
        if target in proposal:
            proposal[target] = values
    return proposal


def change_initial(proposal: dict[str, list[str]], change_form_class, language: str) -> dict:
    """What the submitter's form shows while their change waits: the change, not the live
    offer (their texts in the column of the page's language)."""
    column = store_language(language)
    initial = {}
    for name, field in change_form_class.base_fields.items():
        key = f"{name}_{column}" if name in TRANSLATED_OFFER_FIELDS else name
        if key not in proposal:
            continue
        values = proposal[key]
        if isinstance(field, forms.MultipleChoiceField):
            initial[name] = values
        elif isinstance(field, forms.BooleanField):
            initial[name] = bool(values)
        else:
            initial[name] = values[0] if values else ""
    return initial


def review_form(offer: Offer, data: dict[str, list[str]] | None = None, **kwargs):
    """The review form for ``offer``, bound to ``data`` (a proposal, or what was posted)."""
    bound = MultiValueDict(data) if data is not None and not hasattr(data, "getlist") else data
    return OfferReviewForm(data=bound, instance=offer, **kwargs)


# What changed --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    diff: SafeString  # the words taken out and put in, marked <del> and <ins>


def _shown(field: forms.Field, value) -> str:
    if value in (None, "", [], ()):
        return ""
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, forms.ModelMultipleChoiceField):
        label = getattr(field, "label_from_instance", str)
        return ", ".join(sorted(str(label(obj)) for obj in value))
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = {str(k): str(v) for k, v in field.choices}
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, time):
        return time_format(value, "H:i")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _words(text: str) -> list[str]:
    return re.findall(r"\s+|[^\s]+", text)


def word_diff(before: str, after: str) -> SafeString:
    """``after`` with the words that differ from ``before`` marked (escaped throughout)."""
    old, new = _words(before), _words(after)
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("{}", "".join(new[b1:b2])))
            continue
        if a2 > a1:
            parts.append(("<del>{}</del>", "".join(old[a1:a2])))
        if b2 > b1:
            parts.append(("<ins>{}</ins>", "".join(new[b1:b2])))
    return format_html_join("", "{}", ((format_html(tpl, text),) for tpl, text in parts))


def changes(offer: Offer, proposal: dict[str, list[str]]) -> list[Change]:
    """What publishing ``proposal`` would change on the live offer, field by field (compared
    as the form reads both, so that "16:00" and "16:00:00" are the same)."""
    live = review_form(offer, review_data(offer))
    proposed = review_form(offer, proposal)
    live.is_valid()
    proposed.is_valid()
    found = []
    for name, field in proposed.fields.items():
        before = _shown(field, live.cleaned_data.get(name, live.data.get(name)))
        after_value = (
            proposed.cleaned_data.get(name)
            if name in proposed.cleaned_data
            else ", ".join(proposed.data.getlist(name))
        )
        after = _shown(field, after_value)
        if before != after:
            found.append(Change(str(field.label), before, after, word_diff(before, after)))
    return found
