"""The office's coming openings as an iCalendar feed (RFC 5545)."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from . import hours
from .models import Office

FEED_DAYS = 120


def office_calendar(office: Office, schedule: hours.Schedule, now: datetime) -> bytes:
    today = hours.local(now).date()
    calendar = Calendar()
    calendar.add("prodid", "-//lokal willkommen//opening hours//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", office.name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    location = f"{office.name}, {office.street}, {office.postcode} {office.city}"
    for opening in hours.openings_between(schedule, today, today + timedelta(days=FEED_DAYS)):
        event = Event()
        event.add("uid", f"{office.slug}-{opening.start:%Y%m%dT%H%M}@lokalwillkommen")
        event.add("dtstamp", stamp)
        event.add("dtstart", opening.start)
        event.add("dtend", opening.end)
        summary = office.name if not opening.label else f"{office.name}: {opening.label}"
        event.add("summary", summary)
        event.add("location", location)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
