"""The gap analysis: where the demand for support meets no offer, per district × need ×
language.

Demand comes from three sources, each counted by the database (GROUP BY district, need,
language), whatever the size of the city:

- **households**: the needs of open households (not closed, no referral of that category
  taken up), in the household's district, under each language the household speaks (a
  household speaking two languages counts under both; one without a language recorded under
  "not recorded");
- **consultations**: the topics of drop-in consultations in the current quarter and the four
  before it (``window_start``), in the district of the office, in the language the
  consultation was held in — most of them anonymous, most of the demand;
- **suggestions** sent through the public form in the same window that name a need, in the
  district they name, in the language of the form.

Against them: the current published offers of that category in the district, given in that
language (an offer in several languages counts under each), and the same in the neighbouring
districts. A cell is a **gap** when it has demand and no offer in the district in that
language (for demand without a recorded language: no offer in the district at all).

Households and consultations are read through the access scope (staff: their teams);
suggestions and offers are city-wide. ``trend`` counts the demand per quarter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from lokalwillkommen import reference
from lokalwillkommen.categories import Need
from lokalwillkommen.roles import is_coordinator, is_staff_member, team_ids

from .models import ConsultationTopic, Household, HouseholdNeed, Referral
from .reports import Period, current_offers_in
from .selectors import _in_scope, households_for

WINDOW_QUARTERS = 5
HEAT_LEVELS = 5


@dataclass
class Cell:
    """Demand and offers in one district, for one need, in one language (None: demand whose
    language was not recorded)."""

    district_id: int | None
    need: str
    language_id: int | None
    households: int = 0
    consultations: int = 0
    suggestions: int = 0
    offers: int = 0  # in the district, in this language
    offers_in_district: int = 0  # in the district, in any language
    offers_nearby: int = 0  # in the neighbouring districts, in this language
    district_name: str = ""
    district_slug: str = ""
    need_label: str = ""
    language_code: str = ""
    language_name: str = ""

    @property
    def demand(self) -> int:
        return self.households + self.consultations + self.suggestions

    @property
    def is_gap(self) -> bool:
        if not self.demand:
            return False
        if self.language_id is None:
            return self.offers_in_district == 0
        return self.offers == 0


@dataclass
class HeatCell:
    need: str
    demand: int = 0
    offers: int = 0
    gaps: int = 0  # languages with demand and no offer in them
    level: int = 0  # 0–HEAT_LEVELS: the demand against the largest demand of the map

    @property
    def no_offer(self) -> bool:
        return self.demand > 0 and self.offers == 0


@dataclass
class HeatRow:
    district_id: int | None
    district_name: str
    cells: list[HeatCell]


@dataclass
class TrendRow:
    quarter: date
    households: int = 0
    consultations: int = 0
    suggestions: int = 0
    by_need: dict[str, int] = field(default_factory=dict)

    @property
    def demand(self) -> int:
        return self.households + self.consultations + self.suggestions

    @property
    def label(self) -> str:
        return f"{self.quarter.year} Q{(self.quarter.month - 1) // 3 + 1}"


@dataclass
class GapAnalysis:
    cells: list[Cell]
    since: date
    today: date
    language_id: int | None = None  # the heat map's language (None: all languages)
    heat: list[HeatRow] = field(default_factory=list)
    needs_without_offer: list[str] = field(default_factory=list)
    trend: list[TrendRow] = field(default_factory=list)

    @property
    def gaps(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.is_gap]


# Demand --------------------------------------------------------------------------------------


def _open_needs(user) -> QuerySet[HouseholdNeed]:
    """Needs of open households in the user's scope that no taken-up referral has met."""
    taken_up = Referral.objects.filter(
        household=OuterRef("household"),
        category=OuterRef("need"),
        status=Referral.Status.TAKEN_UP,
    )
    needs = HouseholdNeed.objects.exclude(household__status=Household.Status.CLOSED).exclude(
        Exists(taken_up)
    )
    scope = _in_scope(user, "household")
    return needs if scope is None else needs.filter(scope)


def _consultation_topics(user, since: date) -> QuerySet[ConsultationTopic]:
    """Topics of the consultations in the user's scope held since ``since``."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    topics = ConsultationTopic.objects.filter(consultation__held_at__gte=start)
    if is_coordinator(user):
        return topics
    if is_staff_member(user):
        teams = team_ids(user)
        return topics.filter(
            Q(consultation__office__team_id__in=teams)
            | Q(consultation__household__team_id__in=teams)
        )
    return topics.none()


def _suggestions(since: date):
    from network.models import Suggestion

    return Suggestion.objects.filter(created__date__gte=since).exclude(need="")


def gap_households(
    user, *, district, need: str, language_id: int | None = None
) -> QuerySet[Household]:
    """The households behind one figure of the gap analysis (read through the access scope):
    open households of ``district`` with the open ``need``, speaking ``language_id``."""
    open_needs = _open_needs(user).filter(need=need, household__district=district)
    households = households_for(user).filter(id__in=open_needs.values("household_id"))
    if language_id is not None:
        households = households.filter(languages__id=language_id)
    return (
        households.select_related("district", "team", "responsible")
        .prefetch_related("needs")
        .order_by("-created_at", "-id")
    )


# The analysis --------------------------------------------------------------------------------


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(day: date) -> date:
    return date(day.year + (day.month > 9), (day.month + 2) % 12 + 1, 1)


def window_start(today: date) -> date:
    """The first day of the demand window: the current quarter and the four before it (the
    same quarter a year ago included), so that the trend compares like with like."""
    return trend_start(today, WINDOW_QUARTERS)


def trend_start(today: date, quarters: int = WINDOW_QUARTERS) -> date:
    first = _quarter_start(today)
    for _i in range(quarters - 1):
        first = _quarter_start(first - timedelta(days=1))
    return first


def _moment(day: date) -> datetime:
    """The first moment of ``day`` in Europe/Berlin."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _quarter_index(field_name: str, starts: list[date]) -> Case:
    """The index in ``starts`` (first days of quarters, ascending) of the quarter a moment
    falls in: comparisons of the stored time with the quarters' first moments (Europe/Berlin),
    cheaper for the database than converting every row's time zone to extract its quarter."""
    moments = [_moment(day) for day in starts]
    return Case(
        *(
            When(**{f"{field_name}__gte": moment}, then=Value(i))
            for i, moment in reversed(list(enumerate(moments)))
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def gap_analysis(
    user, *, today: date | None = None, language_id: int | None = None, trend: bool = True
) -> GapAnalysis:
    """Every district × need × language with demand or offers: the gaps first, the largest
    first; the heat map (for one language, or all); the quarterly trend of the demand.

    Six queries: households, consultations (the window and the trend's quarters in one),
    suggestions (the same), offers in each language, offers in any language; the trend adds
    one for the households recorded per quarter."""
    heat_language = language_id  # (the loops below reuse the name for each row's language)
    today = today or timezone.localdate()
    since = first = window_start(today)
    cells: dict[tuple, Cell] = {}
    quarters: dict[date, TrendRow] = {}
    if trend:
        day = first
        while day <= today:
            quarters[day] = TrendRow(day)
            day = _next_quarter(day)

    def cell(district_id, need, language_id) -> Cell:
        key = (district_id, need, language_id)
        found = cells.get(key)
        if found is None:
            found = cells[key] = Cell(district_id, need, language_id)
        return found

    def count_in_trend(quarter: date, source: str, need: str, n: int) -> None:
        row = quarters.get(quarter)
        if row is not None:
            setattr(row, source, getattr(row, source) + n)
            row.by_need[need] = row.by_need.get(need, 0) + n

    # (household, need) is unique, and so is each of its languages: rows count households
    for district_id, need, language_id, n in (
        _open_needs(user)
        .values_list("household__district_id", "need", "household__languages")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cell(district_id, need, language_id).households = n
    # (consultation, topic) is unique: counting topic rows counts consultations
    # One query for the cells and the trend: grouped by quarter too.
    starts = sorted({since, *quarters})
    for index, district_id, need, language_id, n in (
        _consultation_topics(user, first)
        .annotate(q=_quarter_index("consultation__held_at", starts))
        .values_list(
            "q", "consultation__office__district_id", "topic", "consultation__language_id"
        )
        .annotate(n=Count("id"))
        .order_by()
    ):
        quarter = starts[index]
        if quarter >= since:
            cell(district_id, need, language_id).consultations += n
        count_in_trend(quarter, "consultations", need, n)
    language_rows = reference.by_key("languages")
    for year, number, district_id, need, code, n in (
        _suggestions(first)
        .annotate(y=ExtractYear("created"), q=ExtractQuarter("created"))
        .values_list("y", "q", "district_id", "need", "language")
        .annotate(n=Count("id"))
        .order_by()
    ):
        quarter = date(year, 3 * number - 2, 1)
        if quarter >= since:
            language = language_rows.get(code)
            cell(district_id, need, language.id if language else None).suggestions += n
        count_in_trend(quarter, "suggestions", need, n)
    if trend:
        for year, number, need, n in _households_per_quarter(user, first):
            count_in_trend(date(year, 3 * number - 2, 1), "households", need, n)

    offers: dict[tuple, int] = {}
    offers_in_district: dict[tuple, int] = {}
    offered_needs = set()
    for district_id, category, language_id, n, total in _offer_counts(today):
        offered_needs.add(category)
        offers_in_district[(district_id, category)] = total
        if language_id is not None:
            offers[(district_id, category, language_id)] = n
            cell(district_id, category, language_id)  # offers without demand are listed too

    neighbours = reference.neighbours()
    districts = reference.by_id("districts")
    languages = reference.by_id("languages")
    language_names = reference.labels("languages")
    need_labels = {value: str(label) for value, label in Need.choices}
    for (district_id, need, language_id), found in cells.items():
        found.offers = offers.get((district_id, need, language_id), 0)
        found.offers_in_district = offers_in_district.get((district_id, need), 0)
        found.offers_nearby = sum(
            offers.get((other, need, language_id), 0)
            for other in neighbours.get(district_id, ())
        )
        district = districts.get(district_id)
        found.district_name = district.name if district else ""
        found.district_slug = district.key if district else ""
        found.need_label = need_labels.get(need, need)
        if language_id is not None and language_id in languages:
            found.language_code = languages[language_id].key
            found.language_name = language_names.get(language_id, "")
    need_order = {need: i for i, need in enumerate(Need.values)}
    ordered = sorted(
        cells.values(),
        key=lambda c: (
            not c.is_gap,
            -c.demand,
            c.district_name.casefold() or "\uffff",
            need_order.get(c.need, 99),
            c.language_name.casefold() or "\uffff",
        ),
    )
    analysis = GapAnalysis(
        cells=ordered,
        since=since,
        today=today,
        language_id=heat_language,
        needs_without_offer=sorted(
            {c.need for c in ordered if c.demand} - offered_needs, key=need_order.get
        ),
        trend=list(quarters.values()),
    )
    analysis.heat = heat_map(ordered, language_id=heat_language)
    return analysis


def _households_per_quarter(user, first: date):
    """(quarter, need, households recorded with that need) since ``first``."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    needs = HouseholdNeed.objects.filter(household__created_at__gte=start)
    scope = _in_scope(user, "household")
    if scope is not None:
        needs = needs.filter(scope)
    return (
        needs.annotate(
            y=ExtractYear("household__created_at"), q=ExtractQuarter("household__created_at")
        )
        .values_list("y", "q", "need")
        .annotate(n=Count("id"))
        .order_by()
    )


def _offer_counts(today: date):
    """(district, category, language or None, offers in that language, offers in the
    district in any language) of the offers current today: one query."""
    offers = current_offers_in(Period(today, today))
    per_language = (
        offers.values_list("district_id", "category", "languages")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    rows = list(per_language)
    totals: dict[tuple, int] = defaultdict(int)
    # an offer in two languages is one offer in the district: count it once there
    any_language = (
        offers.values_list("district_id", "category").annotate(n=Count("id")).order_by()
    )
    for district_id, category, n in any_language:
        totals[(district_id, category)] = n
    return [
        (district_id, category, language_id, n, totals[(district_id, category)])
        for district_id, category, language_id, n in rows
    ]


def heat_map(cells: list[Cell], *, language_id: int | None = None) -> list[HeatRow]:
    """District rows × need columns of the demand (all languages, or one) against the offers
    there, each with a level 0–5 for its colour and the number of language gaps in it."""
    needs = list(Need.values)
    rows: dict[int | None, dict[str, HeatCell]] = {}
    names: dict[int | None, str] = {}
    for c in cells:
        if language_id is not None and c.language_id != language_id:
            continue
        row = rows.setdefault(c.district_id, {need: HeatCell(need) for need in needs})
        names[c.district_id] = c.district_name
        heat = row[c.need]
        heat.demand += c.demand
        heat.gaps += 1 if c.is_gap and c.language_id is not None else 0
        heat.offers = c.offers if language_id is not None else c.offers_in_district
    top = max((h.demand for row in rows.values() for h in row.values()), default=0)
    for row in rows.values():
        for heat in row.values():
            if heat.demand and top:
                heat.level = max(1, round(HEAT_LEVELS * heat.demand / top))
    return [
        HeatRow(district_id, names[district_id], [rows[district_id][n] for n in needs])
        for district_id in sorted(rows, key=lambda d: (names[d] == "", names[d].casefold()))
    ]
