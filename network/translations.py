"""Which texts people typed in lack a translation: for the coordinators' page that lists them
per content language, with a link to the admin page where a translation is entered."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalwillkommen.content import CONTENT_LANGUAGES, DEFAULT, columns
from offices.models import Office, OpeningException, OpeningRule

from .models import Offer, Organisation

SHOWN_PER_LANGUAGE = 200


@dataclass(frozen=True)
class Missing:
    kind: str
    name: str
    field: str
    edit_url: str


def _missing(model, fields: dict, name_fields: tuple, kind, admin: str, qs=None):
    """(language, Missing) for every translated field of ``model`` that has text in some
    language but none in another."""
    qs = qs if qs is not None else model.objects.all()
    names = [column for field in fields for column in columns(field)]
    for pk, *values in qs.rewrite(False).order_by("pk").values_list("pk", *name_fields, *names):
        label = " – ".join(str(v) for v in values[: len(name_fields)] if v)
        texts = values[len(name_fields) :]
        url = reverse(admin, args=[pk])
        for n, field_label in enumerate(fields.values()):
            own = dict(zip(CONTENT_LANGUAGES, texts[n * len(CONTENT_LANGUAGES) :], strict=False))
            if not any(own.values()):
                continue
            for language, text in own.items():
                if not text:
                    yield language, Missing(str(kind), label, str(field_label), url)


def missing_translations() -> dict[str, dict]:
    """{language: {"count": n, "entries": [Missing, …] (at most SHOWN_PER_LANGUAGE)}}."""
    today = timezone.localdate()
    sources = [
        _missing(
            Offer,
            {
                "title": _("title"),
                "description": _("description"),
                "time_note": _("when, in words"),
                "cost_note": _("note on the cost"),
            },
            ("title_de", "organisation__name"),
            _("offer"),
            "admin:network_offer_change",
            Offer.objects.exclude(status__in=[Offer.Status.REJECTED, Offer.Status.EXPIRED]),
        ),
        _missing(
            Organisation,
            {"description": _("description")},
            ("name",),
            _("organisation"),
            "admin:network_organisation_change",
            Organisation.objects.exclude(status=Organisation.Status.REJECTED),
        ),
        _missing(
            Office,
            {"description": _("description"), "accessibility": _("accessibility")},
            ("name",),
            _("office"),
            "admin:offices_office_change",
        ),
        _missing(
            OpeningRule,
            {"label": _("label")},
            ("office__name",),
            _("opening hours"),
            "admin:offices_office_change",
            OpeningRule.objects.exclude(valid_until__lt=today),
        ),
        _missing(
            OpeningException,
            {"reason": _("reason")},
            ("office__name", "date_from"),
            _("closure or special opening"),
            "admin:offices_office_change",
            OpeningException.objects.filter(date_until__gte=today),
        ),
    ]
    found = {code: {"count": 0, "entries": []} for code in CONTENT_LANGUAGES if code != DEFAULT}
    found = {DEFAULT: {"count": 0, "entries": []}, **found}
    for source in sources:
        for language, entry in source:
            bucket = found[language]
            bucket["count"] += 1
            if len(bucket["entries"]) < SHOWN_PER_LANGUAGE:
                bucket["entries"].append(entry)
    return found
