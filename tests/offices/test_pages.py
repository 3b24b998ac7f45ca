"""The public office pages as a resident sees them, and the calendar feed."""

import json
import re
from datetime import date, datetime, time

import pytest
import recurring_ical_events
from django.utils import timezone
from icalendar import Calendar

from offices.hours import TZ
from offices.models import Office, OpeningException, OpeningRule


@pytest.fixture
def at(monkeypatch):
    """Freeze the portal's clock at a Berlin wall-clock time."""

    def freeze(*args):
        moment = datetime(*args, tzinfo=TZ)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


def test_home_shows_lanstrop_open_until_half_past_eleven_on_thursday_morning(client, lanstrop, at):
    at(2026, 11, 26, 9, 0)
    page = client.get("/en/").content.decode()
    assert "lokal willkommen Lanstrop" in page
    assert "Open now until 11:30" in page.replace("a.m.", "").replace("11:30 ", "11:30")


def test_home_says_when_lanstrop_opens_next_in_german(client, lanstrop, at):
    at(2026, 11, 24, 15, 0)  # Tuesday
    page = client.get("/de/").content.decode()
    assert "Öffnet Donnerstag um 08:30" in page


def test_home_says_closed_today_public_holiday(client, lanstrop, at):
    at(2026, 5, 14, 9, 0)  # Ascension Day, a Thursday
    page = client.get("/de/").content.decode()
    assert "Heute geschlossen: Feiertag (Christi Himmelfahrt)" in page


def test_office_page_shows_weekly_hours_next_openings_and_contact(client, lanstrop, at):
    at(2026, 11, 24, 15, 0)
    page = client.get("/de/offices/lanstrop/").content.decode()
    assert "Donnerstag" in page and "08:30 – 11:30" in page
    assert "Nadlerweg 1" in page and "44329" in page
    assert page.count("Donnerstag, 26. November 2026") == 1
    assert "openstreetmap.org" in page
    assert 'href="/de/offices/lanstrop/calendar.ics"' in page
    assert "<iframe" not in page


def test_office_page_lists_an_announced_closure_and_skips_it_in_next_openings(client, lanstrop, at):
    at(2026, 11, 24, 15, 0)
    OpeningException.objects.create(
        office=lanstrop,
        kind="closed",
        date_from=date(2026, 11, 26),
        date_until=date(2026, 11, 26),
        reason="Teamfortbildung",
    )
    page = client.get("/de/offices/lanstrop/").content.decode()
    assert "Teamfortbildung" in page
    assert "26. November 2026: 08:30" not in page
    assert "Donnerstag, 3. Dezember 2026" in page


def test_office_page_has_structured_data_with_opening_hours(client, lanstrop, at):
    at(2026, 11, 24, 15, 0)
    page = client.get("/en/offices/lanstrop/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "GovernmentOffice"
    spec = data["openingHoursSpecification"][0]
    assert spec["dayOfWeek"] == "https://schema.org/Thursday"
    assert (spec["opens"], spec["closes"]) == ("08:30", "11:30")
    closed_days = {s["validFrom"] for s in data["specialOpeningHoursSpecification"]}
    assert "2026-12-24" not in closed_days  # Christmas Eve is no public holiday in NRW
    assert "2027-01-07" not in closed_days


def test_structured_data_cannot_break_out_of_its_script_block(client, lanstrop, at):
    at(2026, 11, 24, 15, 0)
    lanstrop.name = "</script><script>alert(1)</script>"
    lanstrop.save()
    page = client.get("/en/offices/lanstrop/").content.decode()
    assert "<script>alert(1)" not in page


def test_unknown_office_is_a_404_in_the_layout(client, db):
    response = client.get("/de/offices/nirgendwo/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_office_list_filters_by_district(client, lanstrop, other_district, other_team):
    Office.objects.create(
        name="lokal willkommen Nordstadt",
        slug="nordstadt",
        team=other_team,
        street="Mallinckrodtstraße 56",
        postcode="44145",
        district=other_district,
    )
    everything = client.get("/de/offices/").content.decode()
    assert "Lanstrop" in everything and "Nordstadt" in everything
    filtered = client.get("/de/offices/?district=nordstadt").content.decode()
    assert "lokal willkommen Nordstadt" in filtered
    assert "lokal willkommen Lanstrop" not in filtered


def test_calendar_feed_parses_with_the_coming_thursdays(client, lanstrop, at):
    at(2026, 11, 24, 15, 0)
    response = client.get("/de/offices/lanstrop/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert any(c.name == "VTIMEZONE" and c["TZID"] == "Europe/Berlin" for c in calendar.walk())
    events = calendar.walk("VEVENT")
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert all("DTSTAMP" in e for e in events)
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Berlin"
    occurrences = recurring_ical_events.of(calendar).between(date(2026, 11, 24), date(2027, 3, 1))
    starts = sorted(e.decoded("DTSTART") for e in occurrences)
    assert starts[0] == datetime(2026, 11, 26, 8, 30, tzinfo=TZ)
    assert all(s.weekday() == 3 and s.time() == time(8, 30) for s in starts)
    first = min(occurrences, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTEND") == datetime(2026, 11, 26, 11, 30, tzinfo=TZ)


def test_calendar_feed_leaves_out_holidays_and_closures(client, lanstrop, at):
    at(2026, 12, 1, 12, 0)
    OpeningException.objects.create(
        office=lanstrop,
        kind="closed",
        date_from=date(2026, 12, 28),
        date_until=date(2027, 1, 8),
        reason="Winterpause",
    )
    calendar = Calendar.from_ical(client.get("/de/offices/lanstrop/calendar.ics").content)
    occurrences = recurring_ical_events.of(calendar).between(date(2026, 12, 1), date(2027, 2, 1))
    days = {e.decoded("DTSTART").date() for e in occurrences}
    assert date(2026, 12, 3) in days
    assert date(2026, 12, 31) not in days  # closure
    assert date(2027, 1, 7) not in days  # closure
    assert date(2027, 1, 14) in days


@pytest.mark.parametrize("url", ["/de/", "/de/offices/"])
def test_query_count_does_not_grow_with_the_number_of_offices(
    client, url, lanstrop, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for n in range(10):
        office = Office.objects.create(
            name=f"Office {n}",
            slug=f"office-{n}",
            team=lanstrop.team,
            street="Weg 1",
            postcode="44329",
            district=lanstrop.district,
        )
        OpeningRule.objects.create(
            office=office,
            weekday=n % 7,
            opens=time(9),
            closes=time(12),
            valid_from=date(2020, 1, 1),
        )
        OpeningException.objects.create(
            office=office, kind="closed", date_from=date(2030, 1, 1), date_until=date(2030, 1, 2)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_office_texts_show_in_the_residents_language_where_translated(client, lanstrop):
    lanstrop.description_de = "Beratung zu allen Fragen des täglichen Lebens."
    lanstrop.accessibility_de = "Stufenloser Eingang."
    lanstrop.description_ar = "استشارات في كل جوانب الحياة اليومية."
    lanstrop.save()
    arabic = client.get("/ar/offices/lanstrop/").content.decode()
    assert "<p>استشارات في كل جوانب الحياة اليومية.</p>" in arabic
    # Not translated: the German original, marked as German for screen readers.
    assert '<p lang="de" dir="ltr">Stufenloser Eingang.</p>' in arabic
    assert "هذا النص متوفر باللغة الألمانية فقط." in arabic
    german = client.get("/de/offices/lanstrop/").content.decode()
    assert "<p>Beratung zu allen Fragen des täglichen Lebens.</p>" in german
    assert "nur auf Deutsch" not in german


def test_phone_and_postcode_keep_their_order_on_right_to_left_pages(client, lanstrop):
    lanstrop.phone = "0231 50-00000"
    lanstrop.save()
    page = client.get("/ar/offices/lanstrop/").content.decode()
    assert 'dir="ltr">0231 50-00000</a>' in page
    assert "<bdi>44329 Dortmund</bdi>" in page


def test_home_shows_offices_with_and_without_hours_read_without_a_list_of_ids(
    client, lanstrop, at
):
    """Home reads the hours of every office without a list of their ids: an office without
    any hours shows as such, one added a moment ago with its hours."""
    at(2026, 11, 26, 9, 0)  # Thursday morning
    for slug, name in (("neu", "lokal willkommen Neu"), ("leer", "lokal willkommen Leer")):
        Office.objects.create(
            name=name, slug=slug, team=lanstrop.team, street="Weg 1", postcode="44329",
            district=lanstrop.district,
        )  # fmt: skip
    OpeningRule.objects.create(
        office=Office.objects.get(slug="neu"), weekday=3, opens=time(8), closes=time(12),
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    page = client.get("/en/").content.decode()

    def card(name):
        found = page[page.index(name) :]
        return found[: found.index("</article>")]

    assert "Open now until noon" in card("lokal willkommen Neu")
    assert "No opening hours are announced" in card("lokal willkommen Leer")
