"""The office's hours as a subscribable iCalendar feed (RFC 5545).

One event per weekly rule, repeating with ``RRULE:FREQ=WEEKLY;BYDAY=…`` (until the rule's
last day), with ``EXDATE`` for every public holiday of North Rhine-Westphalia, announced
closure and day with a special opening within ``HORIZON_DAYS`` (as ``hours.openings_on``
decides); one event per special opening. Calendars that subscribe fetch the feed again as
``REFRESH-INTERVAL`` / ``X-PUBLISHED-TTL`` ask (twice a day), so closures announced later and
holidays further ahead arrive by themselves; the events keep their ``UID``s, so a calendar
updates them instead of adding copies. Titles are in the feed's language (its address is
under the language prefix): the rule's label where it is translated, else "Office hours".
"""

from datetime import UTC, date, datetime, timedelta

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from . import hours
from .models import Office

HORIZON_DAYS = 400
REFRESH = timedelta(hours=12)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _closed(schedule: hours.Schedule, day: date) -> bool:
    """A weekly rule does not open on ``day`` (a closure, a holiday, or a special opening
    that replaces the day's hours)."""
    return (
        day in schedule.special_days
        or any(closure.covers(day) for closure in schedule.closures)
        or hours.holiday_name(day) is not None
    )


def _title(office: Office, label, language: str) -> str:
    own = label and getattr(label, "lang", language) == language
    generic = _("Office hours")
    return f"{office.name}: {label if own else generic}"


def subscribable_calendar(product: str, name: str) -> Calendar:
    """An empty feed named ``name`` that calendar apps subscribe to and fetch again every
    ``REFRESH`` (both the standard property and the older one many apps read)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//lokal willkommen//{product}//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def office_calendar(
    office: Office, schedule: hours.Schedule, now: datetime, language: str | None = None
) -> bytes:
    language = language or translation.get_language() or "de"
    today = hours.local(now).date()
    # Calendars need no history: each rule starts at the beginning of the current month.
    first = today.replace(day=1)
    horizon = today + timedelta(days=HORIZON_DAYS)
    calendar = subscribable_calendar("opening hours", office.name)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    location = f"{office.name}, {office.street}, {office.postcode} {office.city}"
    for rule in schedule.rules:
        start = _first_on_or_after(max(rule.valid_from, first), rule.weekday)
        if rule.valid_until is not None and start > rule.valid_until:
            continue
        event = Event()
        event.add(
            "uid",
            f"{office.uuid}-{WEEKDAY_CODES[rule.weekday]}-{rule.opens:%H%M}-"
            f"{rule.valid_from:%Y%m%d}@lokalwillkommen",
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(start, rule.opens, tzinfo=hours.TZ))
        event.add("dtend", datetime.combine(start, rule.closes, tzinfo=hours.TZ))
        recur = {"freq": "WEEKLY", "byday": WEEKDAY_CODES[rule.weekday]}
        if rule.valid_until is not None:
            recur["until"] = datetime.combine(rule.valid_until, rule.closes, tzinfo=hours.TZ)
            recur["until"] = recur["until"].astimezone(UTC)
        event.add("rrule", recur)
        last = min(horizon, rule.valid_until or horizon)
        excluded = []
        day = start
        while day <= last:
            if _closed(schedule, day):
                excluded.append(datetime.combine(day, rule.opens, tzinfo=hours.TZ))
            day += timedelta(days=7)
        if excluded:
            event.add("exdate", excluded)
        event.add("summary", _title(office, rule.label, language))
        event.add("location", location)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    for special in schedule.specials:
        if special.day < first:
            continue
        event = Event()
        event.add(
            "uid",
            f"{office.uuid}-special-{special.day:%Y%m%d}-{special.opens:%H%M}@lokalwillkommen",
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(special.day, special.opens, tzinfo=hours.TZ))
        event.add("dtend", datetime.combine(special.day, special.closes, tzinfo=hours.TZ))
        own = special.reason and getattr(special.reason, "lang", language) == language
        special_opening = _("special opening")
        title = f"{special_opening}: {special.reason}" if own else special_opening
        event.add("summary", f"{office.name}: {title}")
        event.add("location", location)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
