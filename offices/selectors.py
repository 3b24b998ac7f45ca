"""Reads of offices for the pages: plain rows, and each office's schedule from two queries for
all offices of a page (rules, exceptions)."""

from datetime import date, timedelta

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from lokalwillkommen import reference
from lokalwillkommen.content import columns, pick, pick_field
from lokalwillkommen.prepared import Param, ParamList, Prepared, instance, model_columns
from lokalwillkommen.roles import is_coordinator, team_ids

from .hours import Closure, Rule, Schedule, Special, local, status_at
from .models import Office, OpeningException, OpeningRule

OFFICE_ROW_FIELDS = ("id", "name", "slug", "street", "postcode", "city", "district_id", "team_id")


def _office_rows_read(by_district: bool, by_ids: bool) -> QuerySet:
    # Plain rows: no modeltranslation rewriting (nothing translated is read here).
    offices = Office.objects.rewrite(False).order_by("name")
    if by_district:
        offices = offices.filter(district_id=Param("district", models.BigIntegerField()))
    if by_ids:
        offices = offices.filter(id__in=ParamList("ids", models.BigIntegerField()))
    return offices.values_list(*OFFICE_ROW_FIELDS)


_OFFICE_ROWS = Prepared(_office_rows_read)


def office_rows(*, district_slug: str = "", ids=None) -> list[dict]:
    """Offices as plain rows (``OFFICE_ROW_FIELDS`` and ``district``, the district's name),
    ordered by name."""
    values = {}
    if district_slug:
        district = reference.by_key("districts").get(district_slug)
        values["district"] = district.id if district else -1
    if ids is not None:
        values["ids"] = list(ids)
    districts = reference.by_id("districts")
    rows = []
    for found in _OFFICE_ROWS.rows(bool(district_slug), ids is not None, **values):
        row = dict(zip(OFFICE_ROW_FIELDS, found, strict=True))
        district = districts.get(row["district_id"])
        row["district"] = district.name if district else ""
        rows.append(row)
    return rows


def office_district_ids() -> frozenset[int]:
    """The districts that have an office."""
    return frozenset(_OFFICE_DISTRICTS.rows())


_OFFICE_DISTRICTS = Prepared(
    lambda: (
        Office.objects.rewrite(False).order_by().values_list("district_id", flat=True).distinct()
    )
)
def _of_offices(queryset: QuerySet, every: bool) -> QuerySet:
    """``queryset`` for the offices of a list given when it runs, or (``every``) for all."""
    if every:
        return queryset
    return queryset.filter(office_id__in=ParamList("offices", models.BigIntegerField()))


_RULES = Prepared(
    lambda every: (
        _of_offices(OpeningRule.objects.rewrite(False), every)
        .filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=Param("today", models.DateField()))
        )
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
)
_EXCEPTIONS = Prepared(
    lambda every: (
        _of_offices(OpeningException.objects.rewrite(False), every)
        .filter(date_until__gte=Param("since", models.DateField()))
        .order_by("date_from", "opens")
        .values_list(
            "office_id", "kind", "date_from", "date_until", "opens", "closes", *columns("reason")
        )
    )
)


def schedules(
    office_ids=None, *, today: date | None = None, language: str | None = None
) -> dict[int, Schedule]:
    """The schedule of each office: the weekly rules still valid and the exceptions from
    yesterday on, in two queries; labels and reasons in ``language`` (the active one) where
    translated, else as they fall back (lokalwillkommen/content.py). With ``office_ids`` None,
    of every office that has rules or exceptions (the home page's, without a list of all their
    ids to send and compare; an office missing from it has no hours)."""
    today = today or local(timezone.now()).date()
    language = language or get_language() or "de"
    every = office_ids is None
    values = {} if every else {"offices": list(office_ids)}
    office_ids = () if every else values["offices"]
    rules: dict[int, list[Rule]] = {pk: [] for pk in office_ids}
    closures: dict[int, list[Closure]] = {pk: [] for pk in office_ids}
    specials: dict[int, list[Special]] = {pk: [] for pk in office_ids}
    for office_id, weekday, opens, closes, valid_from, valid_until, *labels in _RULES.rows(
        every, today=today, **values
    ):
        rules.setdefault(office_id, []).append(
            Rule(weekday, opens, closes, valid_from, valid_until, _text(labels, language))
        )
    exception_rows = _EXCEPTIONS.rows(every, since=today - timedelta(days=1), **values)
    for office_id, kind, date_from, date_until, opens, closes, *reasons in exception_rows:
        reason = _text(reasons, language)
        if kind == OpeningException.Kind.SPECIAL:
            specials.setdefault(office_id, []).append(Special(date_from, opens, closes, reason))
        else:
            closures.setdefault(office_id, []).append(Closure(date_from, date_until, reason))
    return {
        pk: Schedule(
            tuple(rules.get(pk, ())), tuple(closures.get(pk, ())), tuple(specials.get(pk, ()))
        )
        for pk in rules.keys() | closures.keys() | specials.keys()
    }


def _text(values, language: str):
    """A label or reason in ``language`` (``content.Text``: a string with its language), or
    '' when there is none."""
    if not any(values):  # most rules have no label
        return ""
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


_OFFICE = Prepared(
    lambda: (
        Office.objects.rewrite(False)
        .filter(slug=Param("slug", models.CharField()))
        .values_list(*model_columns(Office))[:1]
    )
)
_OFFICE_LANGUAGES = Prepared(
    lambda: Office.languages.through.objects.filter(
        office_id=Param("office", models.BigIntegerField())
    ).values_list("language_id", flat=True)
)


def public_office(slug: str) -> Office | None:
    """The office for its public page (its district's name is ``reference.by_id``'s)."""
    found = _OFFICE.first(slug=slug)
    return instance(Office, found) if found else None


def office_language_ids(office: Office) -> list[int]:
    return _OFFICE_LANGUAGES.rows(office=office.pk)


def office_language_names(office: Office, ids=None) -> list[str]:
    """The names of the languages spoken in the office, in the page's language."""
    names = reference.labels("languages")
    ids = office_language_ids(office) if ids is None else ids
    return sorted((names[i] for i in ids if i in names), key=str.casefold)


def office_language_codes(office: Office, ids=None) -> list[str]:
    codes = reference.by_id("languages")
    ids = office_language_ids(office) if ids is None else ids
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
    for slug in (district_slug, "") if district_slug else ("",):
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
