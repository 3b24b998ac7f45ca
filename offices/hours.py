"""When is an office open? One small module of plain functions.

The home page, the office page, the calendar feed and the structured data all ask these
functions. Everything is computed in Europe/Berlin wall-clock time and compared as aware
datetimes, so it stays right across the change to and from summer time.

Rules of a day, in order:
1. special openings on that day: the office is open exactly then (even on a public holiday or
   inside a closure: the more specific announcement wins);
2. otherwise a closure covering the day, or a public holiday of North Rhine-Westphalia, closes
   the office;
3. otherwise the weekly rules valid on that day apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Europe/Berlin")
HORIZON_DAYS = 400


@dataclass(frozen=True)
class Rule:
    weekday: int
    opens: time
    closes: time
    valid_from: date
    valid_until: date | None = None
    label: str = ""

    def applies_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass(frozen=True)
class Closure:
    date_from: date
    date_until: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.date_from <= day <= self.date_until


@dataclass(frozen=True)
class Special:
    day: date
    opens: time
    closes: time
    reason: str = ""


@dataclass(frozen=True)
class Schedule:
    rules: tuple[Rule, ...] = ()
    closures: tuple[Closure, ...] = ()
    specials: tuple[Special, ...] = ()

    @property
    def weekdays(self) -> frozenset[int]:
        """The weekdays some rule opens on (a day on another weekday opens only by a special
        opening): lets the day-by-day searches skip most days at once."""
        found = self.__dict__.get("_weekdays")
        if found is None:
            found = frozenset(rule.weekday for rule in self.rules)
            object.__setattr__(self, "_weekdays", found)
        return found

    @property
    def special_days(self) -> frozenset[date]:
        found = self.__dict__.get("_special_days")
        if found is None:
            found = frozenset(special.day for special in self.specials)
            object.__setattr__(self, "_special_days", found)
        return found

    def may_open_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays or day in self.special_days


@dataclass(frozen=True, order=True)
class Opening:
    start: datetime
    end: datetime
    label: str = field(default="", compare=False)
    special: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class DayOff:
    """A day on which the weekly rules would open the office, but it stays closed."""

    day: date
    reason: str
    holiday: bool


@dataclass(frozen=True)
class Status:
    is_open: bool
    current: Opening | None
    next: Opening | None
    closed_today: DayOff | None


@lru_cache(maxsize=8)
def _holidays_for(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("DE", subdiv="NW", years=year))


def holiday_name(day: date) -> str | None:
    """The English name of the NRW public holiday on ``day``, or None."""
    return _holidays_for(day.year).get(day)


@lru_cache(maxsize=32)
def _localised_holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("DE", subdiv="NW", years=year, language=language))


def holiday_name_in(day: date, language: str) -> str:
    """The holiday's name in ``language`` where the holidays package has it, else ''."""
    supported = {"de": "de", "en": "en_US", "uk": "uk"}
    if language not in supported:
        return ""
    return _localised_holidays(day.year, supported[language]).get(day, "")


def local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(TZ)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=TZ)


def day_off(schedule: Schedule, day: date) -> DayOff | None:
    """Why the office is closed on ``day`` although a weekly rule would open it."""
    if day.weekday() not in schedule.weekdays or day in schedule.special_days:
        return None
    if not any(rule.applies_on(day) for rule in schedule.rules):
        return None
    for closure in schedule.closures:
        if closure.covers(day):
            return DayOff(day, closure.reason, holiday=False)
    name = holiday_name(day)
    if name is not None:
        return DayOff(day, name, holiday=True)
    return None


def openings_on(schedule: Schedule, day: date) -> list[Opening]:
    """The openings on one calendar day, in order."""
    if not schedule.may_open_on(day):
        return []
    specials = [s for s in schedule.specials if s.day == day]
    if specials:
        found = [
            Opening(_at(day, s.opens), _at(day, s.closes), s.reason, special=True) for s in specials
        ]
    elif any(c.covers(day) for c in schedule.closures) or holiday_name(day) is not None:
        found = []
    else:
        found = [
            Opening(_at(day, r.opens), _at(day, r.closes), r.label)
            for r in schedule.rules
            if r.applies_on(day)
        ]
    return sorted(found)


def openings_between(schedule: Schedule, first: date, last: date) -> list[Opening]:
    """All openings from day ``first`` to day ``last`` inclusive."""
    found: list[Opening] = []
    day = first
    while day <= last:
        found.extend(openings_on(schedule, day))
        day += timedelta(days=1)
    return found


def upcoming_openings(
    schedule: Schedule, moment: datetime, count: int = 5, horizon_days: int = HORIZON_DAYS
) -> list[Opening]:
    """The next ``count`` openings that have not ended at ``moment`` (a current one first)."""
    if not schedule.rules and not schedule.specials:
        return []
    now = local(moment)
    found: list[Opening] = []
    day = now.date()
    last = day + timedelta(days=horizon_days)
    weekdays, special_days, one_day = schedule.weekdays, schedule.special_days, timedelta(days=1)
    while day <= last and len(found) < count:
        # most days of most offices: no rule's weekday, no special opening
        if day.weekday() in weekdays or day in special_days:
            found.extend(o for o in openings_on(schedule, day) if o.end > now)
        day += one_day
    return found[:count]


def next_opening(schedule: Schedule, moment: datetime) -> Opening | None:
    """The first opening that starts after ``moment``."""
    for opening in upcoming_openings(schedule, moment, count=3):
        if opening.start > local(moment):
            return opening
    return None


def status_at(schedule: Schedule, moment: datetime) -> Status:
    """Open or closed at ``moment``, until when, and when next."""
    now = local(moment)
    # The first opening not yet ended: the current one, or else the next (and so the only one
    # needed: most offices are closed at most moments). While open, the one after it as well.
    upcoming = upcoming_openings(schedule, now, count=1)
    if upcoming and upcoming[0].start <= now:
        upcoming = upcoming_openings(schedule, now, count=2)
    current = next((o for o in upcoming if o.start <= now < o.end), None)
    following = next((o for o in upcoming if o.start > now), None)
    return Status(
        is_open=current is not None,
        current=current,
        next=following,
        closed_today=None if current else day_off(schedule, now.date()),
    )


def days_off_between(schedule: Schedule, first: date, last: date) -> list[DayOff]:
    """Announced closures and holidays that fall on a usual opening day."""
    found = []
    day = first
    while day <= last:
        off = day_off(schedule, day)
        if off is not None:
            found.append(off)
        day += timedelta(days=1)
    return found


def build_schedule(rules: Iterable, exceptions: Iterable) -> Schedule:
    """A Schedule from model instances (``OpeningRule`` and ``OpeningException``)."""
    closures, specials = [], []
    for exc in exceptions:
        if exc.kind == "special":
            specials.append(Special(exc.date_from, exc.opens, exc.closes, exc.reason))
        else:
            closures.append(Closure(exc.date_from, exc.date_until, exc.reason))
    return Schedule(
        rules=tuple(
            Rule(r.weekday, r.opens, r.closes, r.valid_from, r.valid_until, r.label) for r in rules
        ),
        closures=tuple(closures),
        specials=tuple(specials),
    )


def rules_overlap(a: Rule, b: Rule) -> bool:
    """Two weekly rules for the same weekday whose times and validities overlap."""
    if a.weekday != b.weekday:
        return False
    if not (a.opens < b.closes and b.opens < a.closes):
        return False
    a_end = a.valid_until or date.max
    b_end = b.valid_until or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end
