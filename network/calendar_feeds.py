"""An offer's times as an iCalendar feed: one event per time, repeating with an RRULE
(weekly on its weekdays, monthly in one week of the month, daily through a period), within
the offer's validity; titles in the feed's language where the offer is translated."""

from datetime import UTC, datetime, timedelta

from django.utils import translation
from icalendar import Event

from lokalwillkommen.content import pick_field
from offices import hours
from offices.calendar_feed import subscribable_calendar

from .offer_times import recurrence


def offer_calendar(offer, language: str, now: datetime) -> bytes:
    with translation.override(language):
        title = pick_field(offer, "title", language)
        note = pick_field(offer, "time_note", language)
    today = hours.local(now).date()
    calendar = subscribable_calendar("offers", title.text)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    location = ", ".join(part for part in (offer.place, offer.district.name) if part)
    for offer_time in offer.times.all():
        start_from = max(filter(None, (offer.valid_from, today.replace(day=1))))
        first, rule = recurrence(
            offer_time.weekdays,
            offer_time.week_of_month,
            offer_time.date_from,
            offer_time.date_until,
            valid_from=start_from if offer_time.weekdays else None,
            valid_until=offer.valid_until,
        )
        event = Event()
        event.add("uid", f"{offer.uuid}-{offer_time.pk}@lokalwillkommen")
        event.add("dtstamp", stamp)
        if offer_time.starts:
            start = datetime.combine(first, offer_time.starts, tzinfo=hours.TZ)
            end = datetime.combine(first, offer_time.ends or offer_time.starts, tzinfo=hours.TZ)
            if not offer_time.ends:
                end += timedelta(hours=1)
            event.add("dtstart", start)
            event.add("dtend", end)
        else:
            event.add("dtstart", first)
            event.add("dtend", first + timedelta(days=1))
        if rule is not None:
            if "until" in rule and offer_time.starts:
                rule["until"] = datetime.combine(
                    rule["until"], offer_time.ends or offer_time.starts, tzinfo=hours.TZ
                ).astimezone(UTC)
            event.add("rrule", rule)
        event.add("summary", title.text)
        if note:
            event.add("description", note.text)
        if location:
            event.add("location", location)
        event.add("url", offer.get_absolute_url())
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
