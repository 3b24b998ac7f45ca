"""Figures for the city's report: what the network achieved in a period.

Every figure is counted by the database (``values`` + ``annotate``), never by a loop over
records, so the report costs the same fixed number of queries at any size. Casework figures
are read through the access scope in ``selectors`` (staff: their teams; coordinators: all);
network figures (volunteers, offers) are city-wide counts.
"""

from __future__ import annotations

import calendar
import functools
import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalwillkommen import reference
from lokalwillkommen.categories import Need
from lokalwillkommen.languages import language_label
from lokalwillkommen.roles import is_coordinator

from . import tallies
from .models import Consultation, ConsultationTopic, HomeVisit, Household, Referral
from .selectors import consultations_for, households_for, referrals_for, visits_for

SMALL_COUNT = 3


# Periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of whole days, ``start`` to ``end`` inclusive, in Europe/Berlin."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(
            date(year, first, 1),
            date(year, first + 2, calendar.monthrange(year, first + 2)[1]),
        )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def current_quarter(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls.quarter(today.year, (today.month - 1) // 3 + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes: the start of the first day and the start of the day after."""
        tz = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(self.start, time.min), tz),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz),
        )

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


# Tables ----------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    counts: list[int]

    @property
    def value(self) -> int:
        return self.counts[0]


@dataclass
class Table:
    """One figure: a labelled list of counts. The first count is the one charted."""

    slug: str
    title: str
    label_heading: str
    count_headings: list
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    people: bool = True  # counts of people (suppressed when small in exports), not of offers

    @property
    def total(self) -> list[int]:
        return [sum(row.counts[i] for row in self.rows) for i in range(len(self.count_headings))]

    @property
    def maximum(self) -> int:
        return max((row.value for row in self.rows), default=0)


def small_count(value: int) -> int | str:
    """A count of people as it may leave the office: 1 or 2 only as "fewer than 3", so that no
    family can be singled out; any other count as the number. Zero stays zero: it is the gap
    itself, and names nobody. (Counts of offers are public and never go through here.)"""
    if 0 < value < SMALL_COUNT:
        return str(_("fewer than 3"))
    return value


# Scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Who asks, and the optional team or office they narrowed the report to.

    An office narrows consultations to that office; households, visits and referrals to the
    team that works there (plus referrals made during consultations at the office)."""

    user: object
    team: object = None
    office: object = None
    # what several tables of one report share, read once (see _consultation_counts)
    memo: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def everything(self) -> bool:
        """A coordinator's report of all teams: nothing to narrow."""
        return is_coordinator(self.user) and self.team is None and self.office is None

    @property
    def team_id(self):
        if self.office is not None:
            return self.office.team_id
        return self.team.pk if self.team is not None else None

    def households(self) -> QuerySet[Household]:
        qs = households_for(self.user)
        if self.team_id is not None:
            qs = qs.filter(team_id=self.team_id)
        return qs

    def visits(self) -> QuerySet[HomeVisit]:
        qs = visits_for(self.user)
        if self.team_id is not None:
            qs = qs.filter(household__team_id=self.team_id)
        return qs

    def consultations(self) -> QuerySet[Consultation]:
        qs = consultations_for(self.user)
        if self.office is not None:
            qs = qs.filter(office=self.office)
        elif self.team is not None:
            qs = qs.filter(Q(office__team=self.team) | Q(household__team=self.team))
        return qs

    def referrals(self) -> QuerySet[Referral]:
        qs = referrals_for(self.user)
        if self.office is not None:
            qs = qs.filter(
                Q(consultation__office=self.office) | Q(household__team_id=self.office.team_id)
            )
        elif self.team is not None:
            qs = qs.filter(Q(household__team=self.team) | Q(consultation__office__team=self.team))
        return qs


# Figures ---------------------------------------------------------------------------------


def new_households_by_district(scope: Scope, period: Period) -> Table:
    start, end = period.bounds()
    rows = (
        scope.households()
        .filter(created_at__gte=start, created_at__lt=end)
        .values("district__name")
        .annotate(n=Count("id"))
        .order_by("-n", "district__name")
    )
    return Table(
        "households",
        _("New households by district"),
        _("District"),
        [_("Households")],
        [Row(r["district__name"], [r["n"]]) for r in rows],
        note=_("Households recorded in the period."),
    )


def home_visits(scope: Scope, period: Period) -> Table:
    start, end = period.bounds()
    counts = dict(
        scope.visits()
        .filter(
            scheduled_at__gte=start,
            scheduled_at__lt=end,
            status__in=[HomeVisit.Status.DONE, HomeVisit.Status.MISSED],
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    statuses = [HomeVisit.Status.DONE, HomeVisit.Status.MISSED]
    return Table(
        "visits",
        _("Home visits done and missed"),
        _("Status"),
        [_("Home visits")],
        [Row(s.label, [counts.get(s.value, 0)]) for s in statuses],
    )


def _spans(field: str, spans: list[tuple[date, date]]) -> Q:
    """``field`` within any of ``spans`` (whole days, Europe/Berlin)."""
    found = []
    for first, last in spans:
        start, end = Period(first, last).bounds()
        found.append(Q(**{f"{field}__gte": start, f"{field}__lt": end}))
    return functools.reduce(operator.or_, found)


def _consultation_counts(scope: Scope, period: Period) -> dict[str, Counter]:
    """The period's consultations counted by office, language, interpreter need and topic
    (kept on the scope for the request).

    The report of all teams reads whole months from the monthly counts (``tallies``: some
    fifty rows a month, however many consultations) and counts only the days of a month the
    period touches from the records; a narrowed report counts its records: from the report's
    covering index (office, language, interpreter need) and the topics' (time, topic)."""
    key = ("consultation_counts", period)
    found = scope.memo.get(key)
    if found is not None:
        return found
    months, spans = [], [(period.start, period.end)]
    if scope.everything:
        months, spans = tallies.whole_months(period.start, period.end)
    found = {d: Counter() for d in tallies.DIMENSIONS}
    for dimension, values in tallies.counts(months).items():
        convert = _TALLY_VALUES[dimension]
        for value, n in values.items():
            if n:
                found[dimension][convert(value)] += n
    if spans:
        consultations = scope.consultations().filter(_spans("held_at", spans))
        rows = (
            consultations.values_list("office_id", "language_id")
            # not Count("id"): the id is not in the index
            .annotate(
                n=Count("*"),
                interpreter=Count("interpreter_needed", filter=Q(interpreter_needed=True)),
            )
            .order_by()
        )
        for office_id, language_id, n, interpreter in rows:
            found[tallies.OFFICE][office_id] += n
            found[tallies.LANGUAGE][language_id] += n
            found[tallies.INTERPRETER][True] += interpreter
            found[tallies.INTERPRETER][False] += n - interpreter
        # The topics carry their consultation's time: a span's topics are one range of the
        # (held_at, topic) index; consultations are read only when the scope narrows them.
        topics = ConsultationTopic.objects.filter(_spans("held_at", spans))
        if not scope.everything:
            topics = topics.filter(consultation__in=scope.consultations())
        found[tallies.TOPIC].update(
            dict(topics.values_list("topic").annotate(n=Count("*")).order_by())
        )
    scope.memo[key] = found
    return found


_TALLY_VALUES = {
    tallies.OFFICE: int,
    tallies.LANGUAGE: lambda value: int(value) if value else None,
    tallies.INTERPRETER: lambda value: value == "1",
    tallies.TOPIC: str,
}


def consultations_by_topic(scope: Scope, period: Period) -> Table:
    counts = _consultation_counts(scope, period)[tallies.TOPIC]
    return Table(
        "topics",
        _("Consultations by topic"),
        _("Topic"),
        [_("Consultations")],
        [Row(need.label, [counts.get(need.value, 0)]) for need in Need],
        note=_("A consultation can have several topics."),
    )


def _by_name(counts: dict, name_of) -> list[tuple]:
    """``counts`` (id → count) summed by ``name_of(id)``: (name, count), most first, then by
    name."""
    found: dict = {}
    for key, n in counts.items():
        name = name_of(key)
        found[name] = found.get(name, 0) + n
    return sorted(found.items(), key=lambda item: (-item[1], item[0] or ""))


def consultations_by_language(scope: Scope, period: Period) -> Table:
    languages = reference.by_id("languages")
    rows = _by_name(
        _consultation_counts(scope, period)[tallies.LANGUAGE],
        lambda pk: languages[pk].key if pk in languages else None,
    )
    return Table(
        "languages",
        _("Consultations by language"),
        _("Language"),
        [_("Consultations")],
        [Row(language_label(code) if code else _("not recorded"), [n]) for code, n in rows],
    )


def consultations_by_office(scope: Scope, period: Period) -> Table:
    offices = reference.by_id("offices")
    rows = _by_name(
        _consultation_counts(scope, period)[tallies.OFFICE],
        lambda pk: offices[pk].name if pk in offices else "",
    )
    return Table(
        "offices",
        _("Consultations by office"),
        _("Office"),
        [_("Consultations")],
        [Row(name, [n]) for name, n in rows],
    )


def consultations_by_interpreter(scope: Scope, period: Period) -> Table:
    counts = _consultation_counts(scope, period)[tallies.INTERPRETER]
    return Table(
        "interpreter",
        _("Consultations by interpreter need"),
        _("Interpreter"),
        [_("Consultations")],
        [
            Row(_("interpreter needed"), [counts.get(True, 0)]),
            Row(_("no interpreter needed"), [counts.get(False, 0)]),
        ],
    )


def referrals_by_category(scope: Scope, period: Period) -> Table:
    start, end = period.bounds()
    found = {
        r["category"]: r
        for r in scope.referrals()
        .filter(created_at__gte=start, created_at__lt=end)
        .values("category")
        .annotate(
            total=Count("id"),
            taken_up=Count("id", filter=Q(status=Referral.Status.TAKEN_UP)),
        )
        .order_by()
    }
    rows = []
    for need in Need:
        r = found.get(need.value, {"total": 0, "taken_up": 0})
        rows.append(Row(need.label, [r["total"], r["taken_up"]]))
    return Table(
        "referrals",
        _("Referrals by category"),
        _("Category"),
        [_("Referrals"), _("Taken up")],
        rows,
        note=_("Referrals made in the period; taken up: their outcome so far."),
    )


def referrals_not_taken_up(scope: Scope, period: Period) -> Table:
    start, end = period.bounds()
    counts = dict(
        scope.referrals()
        .filter(
            created_at__gte=start, created_at__lt=end, status=Referral.Status.NOT_TAKEN_UP
        )
        .values_list("outcome_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Table(
        "not-taken-up",
        _("Referrals not taken up, by reason"),
        _("Reason"),
        [_("Referrals")],
        [Row(r.label, [counts.get(r.value, 0)]) for r in Referral.OutcomeReason],
        note=_("Referrals made in the period whose offer was not taken up, and why."),
    )


def volunteers_by_status(scope: Scope, period: Period) -> Table:
    from network.models import VolunteerRegistration

    _start, end = period.bounds()
    counts = dict(
        VolunteerRegistration.objects.filter(created__lt=end)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Table(
        "volunteers",
        _("Volunteers by status"),
        _("Status"),
        [_("Volunteers")],
        [Row(s.label, [counts.get(s.value, 0)]) for s in VolunteerRegistration.Status],
        note=_("City-wide: registrations up to the end of the period, by their status now."),
    )


def current_offers_in(period: Period) -> QuerySet:
    """Published offers of published organisations valid on at least one day of the period."""
    from network.models import Offer, Organisation

    return Offer.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end),
        Q(valid_until__isnull=True) | Q(valid_until__gte=period.start),
        status=Offer.Status.PUBLISHED,
        organisation__status=Organisation.Status.PUBLISHED,
    )


def offers_by_category(scope: Scope, period: Period) -> Table:
    counts = dict(
        current_offers_in(period).values_list("category").annotate(n=Count("*")).order_by()
    )
    return Table(
        "offers",
        _("Offers by category"),
        _("Category"),
        [_("Offers")],
        [Row(need.label, [counts.get(need.value, 0)]) for need in Need],
        note=_("City-wide: published offers valid during the period."),
        people=False,
    )


FIGURES = (
    new_households_by_district,
    home_visits,
    consultations_by_topic,
    consultations_by_language,
    consultations_by_office,
    consultations_by_interpreter,
    referrals_by_category,
    referrals_not_taken_up,
    volunteers_by_status,
    offers_by_category,
)
TABLE_SLUGS = (
    "households",
    "visits",
    "topics",
    "languages",
    "offices",
    "interpreter",
    "referrals",
    "not-taken-up",
    "volunteers",
    "offers",
)


def report(user, period: Period, *, team=None, office=None) -> list[Table]:
    """Every figure of the report, one query each."""
    scope = Scope(user=user, team=team, office=office)
    return [figure(scope, period) for figure in FIGURES]


def report_table(user, period: Period, slug: str, *, team=None, office=None) -> Table:
    scope = Scope(user=user, team=team, office=office)
    return FIGURES[TABLE_SLUGS.index(slug)](scope, period)


# Charts ----------------------------------------------------------------------------------

CHART_WIDTH = 500
CHART_BAR_SPACE = 420
CHART_ROW = 36


def chart(table: Table) -> dict:
    """Geometry of a horizontal bar chart of the table's first count: a label above each bar,
    the number after it. Only arithmetic on the aggregated rows; the template draws it."""
    top = table.maximum or 1
    rows = []
    for i, row in enumerate(table.rows):
        y = i * CHART_ROW
        width = round(CHART_BAR_SPACE * row.value / top)
        rows.append(
            {
                "label": row.label,
                "value": row.value,
                "label_y": y + 12,
                "bar_y": y + 16,
                "width": max(width, 1) if row.value else 0,
                "value_x": width + 6,
                "value_y": y + 28,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * CHART_ROW + 4,
        "rows": rows,
    }
