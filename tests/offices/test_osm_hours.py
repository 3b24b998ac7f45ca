"""Office hours as an OpenStreetMap ``opening_hours`` value, read back by an OSM opening-hours
library (opening-hours-py), agree with ``offices/hours.py``.

The library's holiday calendar knows Germany's nationwide public holidays only: its Python
API takes a country code ("DE") and no region, so ``PH`` there lacks the holidays of North
Rhine-Westphalia alone (Corpus Christi and All Saints' Day). The agreement test gives the
library those days as dates, right after ``PH off`` where they belong; a reader that knows
the region (as opening_hours.js does from the address) needs no such help.
"""

import random
from datetime import date, datetime, time, timedelta

import holidays
import pytest
from django.urls import reverse
from opening_hours import OpeningHours

from offices.hours import TZ, Closure, Rule, Schedule, Special, status_at
from offices.models import OpeningException, OpeningRule
from offices.osm import opening_hours

LANSTROP = Schedule(rules=(Rule(3, time(8, 30), time(11, 30), date(2018, 9, 1)),))

BUSY = Schedule(
    rules=(
        Rule(0, time(14, 0), time(17, 0), date(2020, 1, 1)),
        Rule(1, time(9, 0), time(12, 0), date(2019, 1, 1), date(2026, 12, 31)),
        Rule(2, time(9, 0), time(12, 0), date(2020, 1, 1)),
        Rule(2, time(14, 0), time(16, 0), date(2020, 1, 1)),
        Rule(3, time(8, 30), time(11, 30), date(2020, 1, 1), date(2027, 6, 30)),
        Rule(3, time(13, 0), time(15, 0), date(2027, 4, 1)),
        Rule(4, time(10, 0), time(12, 0), date(2027, 3, 1)),
    ),
    closures=(
        Closure(date(2027, 8, 2), date(2027, 8, 13), "Sommerpause"),
        Closure(date(2027, 12, 23), date(2028, 1, 1), "Weihnachtspause"),
    ),
    specials=(
        Special(date(2027, 5, 6), time(9, 0), time(10, 0), "Ascension Day"),
        Special(date(2027, 9, 4), time(10, 0), time(14, 0), "Stadtteilfest"),
        Special(date(2027, 11, 1), time(14, 0), time(16, 0), "All Saints' Day"),
        Special(date(2027, 12, 27), time(10, 0), time(12, 0), "zwischen den Jahren"),
    ),
)

YEAR_START = date(2027, 1, 1)


def nrw_only_holidays(year: int) -> list[date]:
    regional = holidays.country_holidays("DE", subdiv="NW", years=year)
    nationwide = holidays.country_holidays("DE", years=year)
    return sorted(day for day in regional if day not in nationwide)


def read_by_library(value: str, year: int) -> OpeningHours:
    """The value as the library reads it, with NRW's own holidays given as dates."""
    dates = "; ".join(f"{day:%Y %b %d} off" for day in nrw_only_holidays(year))
    return OpeningHours(value.replace("PH off", f"PH off; {dates}"), timezone=TZ, country="DE")


def moments_in_2027(schedule: Schedule, count: int = 500) -> list[datetime]:
    """Seeded random moments: a third anywhere in the year; a third during the day on the
    days where a mistake would show (holidays, the edges of closures and validities,
    specials, the changes to and from summer time); a third around a weekly opening time."""
    rng = random.Random(2027)
    days = [YEAR_START + timedelta(days=n) for n in range(365)]
    telling = sorted(
        set(holidays.country_holidays("DE", subdiv="NW", years=2027))
        | {c.date_from for c in schedule.closures}
        | {c.date_until for c in schedule.closures if c.date_until.year == 2027}
        | {s.day for s in schedule.specials}
        | {r.valid_from for r in schedule.rules if r.valid_from.year == 2027}
        | {r.valid_until for r in schedule.rules if r.valid_until and r.valid_until.year == 2027}
        | {date(2027, 3, 28), date(2027, 10, 31)}
    )
    moments = []
    for n in range(count):
        if n % 3 == 0:
            day = rng.choice(days)
            minute = rng.randrange(24 * 60)
        elif n % 3 == 1:
            day = rng.choice(telling)
            minute = rng.randrange(7 * 60, 19 * 60)
        else:
            rule = rng.choice(schedule.rules)
            day = rng.choice([d for d in days if d.weekday() == rule.weekday])
            opens = rule.opens.hour * 60 + rule.opens.minute
            closes = rule.closes.hour * 60 + rule.closes.minute
            minute = rng.randrange(opens - 20, closes + 20)
        moments.append(datetime.combine(day, time(minute // 60, minute % 60), tzinfo=TZ))
    return moments


def test_the_lanstrop_office_reads_thursday_mornings_and_closed_on_public_holidays():
    assert opening_hours(LANSTROP, YEAR_START) == "Th 08:30-11:30; PH off"


def test_rules_with_validities_closures_and_special_openings_are_written_in_deciding_order():
    assert opening_hours(BUSY, YEAR_START) == (
        "Mo 14:00-17:00; We 09:00-12:00,14:00-16:00; 2020 Jan 01-2027 Mar 31 Th 08:30-11:30; "
        "2027 Mar 01+ Fr 10:00-12:00; "
        "2027 Apr 01-2027 Jun 30 Th 08:30-11:30,13:00-15:00; 2027 Jul 01+ Th 13:00-15:00; "
        "PH off; 2027 Aug 02-2027 Aug 13 off; 2027 Dec 23-2028 Jan 01 off; "
        "2027 May 06 09:00-10:00; 2027 Sep 04 10:00-14:00; 2027 Nov 01 14:00-16:00; "
        "2027 Dec 27 10:00-12:00"
    )


def test_an_office_without_announced_hours_has_no_value():
    assert opening_hours(Schedule(), YEAR_START) == ""
    ended = Schedule(rules=(Rule(0, time(9), time(12), date(2020, 1, 1), date(2026, 6, 30)),))
    assert opening_hours(ended, YEAR_START) == ""


@pytest.mark.parametrize("schedule", [LANSTROP, BUSY], ids=["lanstrop", "busy"])
def test_the_library_reading_the_value_agrees_with_hours_at_500_moments_in_2027(schedule):
    library = read_by_library(opening_hours(schedule, YEAR_START), 2027)
    moments = moments_in_2027(schedule)
    disagreements = [
        (moment.isoformat(), status_at(schedule, moment).is_open, library.is_open(moment))
        for moment in moments
        if status_at(schedule, moment).is_open != library.is_open(moment)
    ]
    assert disagreements == []
    # The sample has teeth: open moments, and holidays on which the week would open.
    assert sum(status_at(schedule, m).is_open for m in moments) >= 80
    on_holidays = [
        m
        for m in moments
        if m.date() in holidays.country_holidays("DE", subdiv="NW", years=2027)
        and any(r.applies_on(m.date()) and r.opens <= m.time() < r.closes for r in schedule.rules)
    ]
    assert on_holidays


def test_the_library_alone_knows_only_germanys_nationwide_holidays():
    """Why the agreement test names NRW's own holidays: without them the library would send
    people to the Lanstrop office on Corpus Christi 2027, a Thursday."""
    corpus_christi = datetime(2027, 5, 27, 9, 0, tzinfo=TZ)
    assert not status_at(LANSTROP, corpus_christi).is_open
    plain = OpeningHours(opening_hours(LANSTROP, YEAR_START), timezone=TZ, country="DE")
    assert plain.is_open(corpus_christi)
    assert not read_by_library(opening_hours(LANSTROP, YEAR_START), 2027).is_open(corpus_christi)


@pytest.mark.django_db
def test_the_office_page_shows_the_hours_for_apps(client, lanstrop):
    OpeningRule.objects.create(
        office=lanstrop, weekday=0, opens=time(14), closes=time(16), valid_from=date(2020, 1, 1)
    )
    OpeningException.objects.create(
        office=lanstrop, kind="closed", date_from=date(2099, 12, 24), date_until=date(2099, 12, 24)
    )
    response = client.get(reverse("offices-detail", args=["lanstrop"]))
    value = "Mo 14:00-16:00; Th 08:30-11:30; PH off; 2099 Dec 24 off"
    assert f'<data value="{value}">' in response.content.decode()
