"""The office's iCalendar feed, read back as a calendar app reads it: parsed with icalendar and
expanded with recurring-ical-events over a year, it has exactly the openings hours.py
computes (public holidays, closures and days with special openings removed, special openings
added), and its titles are in the feed's language."""

from datetime import date, datetime, time, timedelta

import recurring_ical_events
from django.utils import timezone
from icalendar import Calendar

from offices import hours
from offices.hours import TZ
from offices.models import OpeningException, OpeningRule
from offices.selectors import schedules


def _freeze(monkeypatch, *args):
    moment = datetime(*args, tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def _feed(client, language="de"):
    response = client.get(f"/{language}/offices/lanstrop/calendar.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def test_a_year_of_the_feed_expanded_is_exactly_the_openings_of_hours_py(
    client, lanstrop, monkeypatch
):
    now = _freeze(monkeypatch, 2026, 12, 1, 12, 0)
    OpeningRule.objects.create(
        office=lanstrop,
        weekday=0,
        opens=time(14),
        closes=time(16),
        valid_from=date(2027, 2, 1),
        valid_until=date(2027, 6, 30),
        label="Frauensprechstunde",
    )
    OpeningException.objects.create(
        office=lanstrop,
        kind="closed",
        date_from=date(2026, 12, 21),
        date_until=date(2027, 1, 8),
        reason="Winterpause",
    )
    # A special opening on Ascension Day (a holiday, Thursday 13 May 2027) and one on a Friday.
    for day in (date(2027, 5, 13), date(2027, 3, 12)):
        OpeningException.objects.create(
            office=lanstrop,
            kind="special",
            date_from=day,
            date_until=day,
            opens=time(10),
            closes=time(12),
            reason="Sondertermin",
        )
    first, last = date(2026, 12, 1), date(2027, 11, 30)
    calendar = _feed(client)
    found = sorted(
        (e.decoded("DTSTART"), e.decoded("DTEND"))
        for e in recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
    )
    schedule = schedules([lanstrop.pk], today=first)[lanstrop.pk]
    expected = [(o.start, o.end) for o in hours.openings_between(schedule, first, last)]
    assert found == expected
    days = {start.date() for start, _end in found}
    # Holidays on Thursdays: Ascension Day (only the special opening), Corpus Christi.
    assert date(2027, 5, 27) not in days
    assert (datetime(2027, 5, 13, 10, tzinfo=TZ), datetime(2027, 5, 13, 12, tzinfo=TZ)) in found
    assert date(2026, 12, 24) not in days and date(2027, 1, 7) not in days  # the closure
    assert date(2027, 1, 14) in days
    assert now.date() <= min(days)


def test_the_feed_asks_calendars_to_fetch_it_again_and_keeps_its_uids(
    client, lanstrop, monkeypatch
):
    _freeze(monkeypatch, 2026, 12, 1, 12, 0)
    calendar = _feed(client)
    assert str(calendar["REFRESH-INTERVAL"].to_ical().decode()) == "PT12H"
    assert "X-PUBLISHED-TTL" in calendar
    weekly = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert weekly and weekly[0]["RRULE"]["FREQ"] == ["WEEKLY"]
    assert weekly[0]["RRULE"]["BYDAY"] == ["TH"]
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    _freeze(monkeypatch, 2026, 12, 9, 12, 0)
    assert {str(e["UID"]) for e in _feed(client).walk("VEVENT")} == uids


def test_the_event_titles_are_in_the_feeds_language(client, lanstrop, monkeypatch):
    _freeze(monkeypatch, 2026, 12, 1, 12, 0)
    rule = lanstrop.rules.get()
    rule.label_de, rule.label_ar = "Sprechstunde", ""
    rule.save()
    german = {str(e["SUMMARY"]) for e in _feed(client, "de").walk("VEVENT")}
    arabic = {str(e["SUMMARY"]) for e in _feed(client, "ar").walk("VEVENT")}
    assert german == {"lokal willkommen Lanstrop: Sprechstunde"}
    assert not any("Sprechstunde" in title for title in arabic)
    rule.label_ar = "ساعات الاستشارة"
    rule.save()
    arabic = {str(e["SUMMARY"]) for e in _feed(client, "ar").walk("VEVENT")}
    assert arabic == {"lokal willkommen Lanstrop: ساعات الاستشارة"}


def test_the_office_page_offers_to_subscribe_to_the_feed(client, lanstrop):
    html = client.get("/ar/offices/lanstrop/").content.decode()
    assert 'href="webcal://testserver/ar/offices/lanstrop/calendar.ics"' in html
