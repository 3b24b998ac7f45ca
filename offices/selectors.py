"""Reads of offices with everything a public page needs, in a fixed number of queries."""

from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from lokalwillkommen.roles import is_coordinator, team_ids

from .hours import Schedule, build_schedule, local
from .models import Office, OpeningException, OpeningRule


def public_offices(*, district_slug: str = "", today: date | None = None) -> QuerySet[Office]:
    today = today or local(timezone.now()).date()
    offices = (
        Office.objects.select_related("district", "team")
        .prefetch_related(
            Prefetch(
                "rules",
                queryset=OpeningRule.objects.filter(valid_until__isnull=True)
                | OpeningRule.objects.filter(valid_until__gte=today),
            ),
            Prefetch(
                "exceptions",
                queryset=OpeningException.objects.filter(date_until__gte=today - timedelta(days=1)),
            ),
            "languages",
            "translations",
        )
        .order_by("name")
    )
    if district_slug:
        offices = offices.filter(district__slug=district_slug)
    return offices


def office_texts(office: Office, language: str) -> dict:
    """Description and accessibility notes in ``language`` where translated, else the German
    original; each with the language it is written in."""
    translated = next((t for t in office.translations.all() if t.language == language), None)
    texts = {}
    for field in ("description", "accessibility"):
        text = getattr(translated, field, "") if translated is not None else ""
        texts[field] = {"text": text, "lang": language} if text else {
            "text": getattr(office, field), "lang": "de"
        }
    return texts


def schedule_for(office: Office) -> Schedule:
    """The office's schedule from its (prefetched) rules and exceptions."""
    return build_schedule(office.rules.all(), office.exceptions.all())


def editable_offices(user) -> QuerySet[Office]:
    """Offices whose hours ``user`` may change: their teams' offices; all for coordinators."""
    offices = Office.objects.select_related("district", "team").order_by("name")
    if is_coordinator(user):
        return offices
    return offices.filter(team_id__in=team_ids(user))


def can_edit_office(user, office: Office) -> bool:
    return is_coordinator(user) or office.team_id in team_ids(user)
