"""Reads of offices for the pages: plain rows, and each office's schedule from two queries for
all offices of a page (rules, exceptions)."""

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from lokalwillkommen import reference
from lokalwillkommen.content import columns, pick, pick_field
from lokalwillkommen.roles import is_coordinator, team_ids

from .hours import Closure, Rule, Schedule, Special, local, status_at
from .models import Office, OpeningException, OpeningRule

OFFICE_ROW_FIELDS = ("id", "name", "slug", "street", "postcode", "city", "district_id", "team_id")


def office_rows(*, district_slug: str = "", ids=None) -> list[dict]:
    """Offices as plain rows (``OFFICE_ROW_FIELDS`` and ``district``, the district's name),
    ordered by name."""
    # Plain rows: no modeltranslation rewriting (nothing translated is read here).
    offices = Office.objects.rewrite(False).order_by("name")
    if district_slug:
        district = reference.by_key("districts").get(district_slug)
        offices = offices.filter(district_id=district.id if district else -1)
    if ids is not None:
        offices = offices.filter(id__in=ids)
    districts = reference.by_id("districts")
    rows = list(offices.values(*OFFICE_ROW_FIELDS))
    for row in rows:
        district = districts.get(row["district_id"])
        row["district"] = district.name if district else ""
    return rows


def schedules(
    office_ids, *, today: date | None = None, language: str | None = None
) -> dict[int, Schedule]:
    """The schedule of each office: the weekly rules still valid and the exceptions from
    yesterday on, in two queries; labels and reasons in ``language`` (the active one) where
    translated, else as they fall back (lokalwillkommen/content.py)."""
    today = today or local(timezone.now()).date()
    language = language or get_language() or "de"
    office_ids = list(office_ids)
    rules: dict[int, list[Rule]] = {pk: [] for pk in office_ids}
    closures: dict[int, list[Closure]] = {pk: [] for pk in office_ids}
    specials: dict[int, list[Special]] = {pk: [] for pk in office_ids}
    rule_rows = (
        OpeningRule.objects.rewrite(False)
        .filter(office_id__in=office_ids)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("weekday", "opens")
        .values_list(
            "office_id",
            "weekday",
            "opens",
            "closes",
            "valid_from",
            "valid_until",
            *columns("label"),
        )
    )
    for office_id, weekday, opens, closes, valid_from, valid_until, *labels in rule_rows:
        rules[office_id].append(
            Rule(weekday, opens, closes, valid_from, valid_until, _text(labels, language))
        )
    exception_rows = (
        OpeningException.objects.rewrite(False)
        .filter(office_id__in=office_ids, date_until__gte=today - timedelta(days=1))
        .order_by("date_from", "opens")
        .values_list(
            "office_id", "kind", "date_from", "date_until", "opens", "closes", *columns("reason")
        )
    )
    for office_id, kind, date_from, date_until, opens, closes, *reasons in exception_rows:
        reason = _text(reasons, language)
        if kind == OpeningException.Kind.SPECIAL:
            specials[office_id].append(Special(date_from, opens, closes, reason))
        else:
            closures[office_id].append(Closure(date_from, date_until, reason))
    return {
        pk: Schedule(tuple(rules[pk]), tuple(closures[pk]), tuple(specials[pk]))
        for pk in office_ids
    }


def _text(values, language: str):
    """A label or reason in ``language`` (``content.Text``: a string with its language), or
    '' when there is none."""
    found = pick(values, language)
    return found if found else ""


def offices_with_hours(*, today: date | None = None) -> QuerySet[Office]:
    """Offices as model instances with their district, languages, the rules still valid and
    the exceptions from yesterday on prefetched (for the open data API, which writes every
    field of every office)."""
    today = today or local(timezone.now()).date()
    return (
        Office.objects.select_related("district", "team")
        .prefetch_related(
            Prefetch(
                "rules",
                queryset=OpeningRule.objects.filter(
                    Q(valid_until__isnull=True) | Q(valid_until__gte=today)
                ),
            ),
            Prefetch(
                "exceptions",
                queryset=OpeningException.objects.filter(date_until__gte=today - timedelta(days=1)),
            ),
            "languages",
        )
        .order_by("name")
    )


def public_office(slug: str) -> Office | None:
    """The office for its public page, with its district."""
    return Office.objects.select_related("district").filter(slug=slug).first()


def office_language_names(office: Office) -> list[str]:
    """The names of the languages spoken in the office, in the page's language."""
    names = reference.labels("languages")
    ids = Office.languages.through.objects.filter(office=office).values_list(
        "language_id", flat=True
    )
    return sorted((names[i] for i in ids if i in names), key=str.casefold)


def office_language_codes(office: Office) -> list[str]:
    codes = reference.by_id("languages")
    ids = Office.languages.through.objects.filter(office=office).values_list(
        "language_id", flat=True
    )
    return sorted(codes[i].key for i in ids if i in codes)


def office_texts(office: Office, language: str) -> dict:
    """Description and accessibility notes in ``language`` where translated, else in the
    language they fall back to (lokalwillkommen/content.py), each with its language."""
    return {
        field: pick_field(office, field, language) for field in ("description", "accessibility")
    }


def schedule_for(office: Office) -> Schedule:
    """The office's schedule, read from the database (for one office)."""
    return schedules([office.pk])[office.pk]


def editable_offices(user) -> QuerySet[Office]:
    """Offices whose hours ``user`` may change: their teams' offices; all for coordinators."""
    offices = Office.objects.select_related("district", "team").order_by("name")
    if is_coordinator(user):
        return offices
    return offices.filter(team_id__in=team_ids(user))


def can_edit_office(user, office: Office) -> bool:
    return is_coordinator(user) or office.team_id in team_ids(user)


def first_open_office(now, *, district_slug: str = "") -> tuple[dict, object] | None:
    """The office open now (the one open longest), else the one that opens next, with its
    ``hours.Status``: the office a resident can go to soonest. Offices of the district first,
    when one is given and has an office that opens at all."""
    for slug in ((district_slug, "") if district_slug else ("",)):
        rows = office_rows(district_slug=slug)
        found = schedules(row["id"] for row in rows)
        best = None
        for row in rows:
            status = status_at(found[row["id"]], now)
            if status.is_open:
                key = (0, -status.current.end.timestamp())
            elif status.next is not None:
                key = (1, status.next.start.timestamp())
            else:
                continue
            if best is None or key < best[0]:
                best = (key, row, status)
        if best is not None:
            return best[1], best[2]
    return None
