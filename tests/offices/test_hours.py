"""The office logic with fixed dates: the days on which getting it wrong would send people
to a locked door."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from offices.hours import (
    TZ,
    Closure,
    Rule,
    Schedule,
    Special,
    day_off,
    next_opening,
    openings_on,
    rules_overlap,
    status_at,
    upcoming_openings,
)

THURSDAY_DROP_IN = Rule(3, time(8, 30), time(11, 30), date(2018, 9, 1), None, "Drop-in hours")
LANSTROP = Schedule(rules=(THURSDAY_DROP_IN,))


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_office_is_open_at_the_minute_it_opens():
    status = status_at(LANSTROP, berlin(2026, 11, 26, 8, 30))
    assert status.is_open
    assert status.current.end == berlin(2026, 11, 26, 11, 30)


def test_office_is_closed_the_minute_before_it_opens():
    status = status_at(LANSTROP, berlin(2026, 11, 26, 8, 29))
    assert not status.is_open
    assert status.next.start == berlin(2026, 11, 26, 8, 30)


def test_office_is_closed_at_the_minute_it_closes_and_next_is_a_week_later():
    status = status_at(LANSTROP, berlin(2026, 11, 26, 11, 30))
    assert not status.is_open
    assert status.next.start == berlin(2026, 12, 3, 8, 30)


def test_office_is_open_the_last_minute_before_closing():
    assert status_at(LANSTROP, berlin(2026, 11, 26, 11, 29, 59)).is_open


def test_office_is_closed_on_a_public_holiday_thursday():
    # Ascension Day, Thursday 14 May 2026, and Corpus Christi, Thursday 4 June 2026.
    for holiday in (date(2026, 5, 14), date(2026, 6, 4)):
        status = status_at(LANSTROP, datetime.combine(holiday, time(9, 0), tzinfo=TZ))
        assert not status.is_open
        assert status.closed_today is not None and status.closed_today.holiday
        assert openings_on(LANSTROP, holiday) == []
        assert status.next.start.date() == holiday + timedelta(days=7)


def test_christmas_day_on_a_thursday_closes_the_office():
    # 25 December 2025 was a Thursday.
    assert openings_on(LANSTROP, date(2025, 12, 25)) == []
    status = status_at(LANSTROP, berlin(2025, 12, 24, 12, 0))
    assert status.next.start == berlin(2026, 1, 8, 8, 30)  # 1 January is a holiday too


def test_special_opening_on_a_holiday_opens_the_office():
    schedule = Schedule(
        rules=(THURSDAY_DROP_IN,),
        specials=(Special(date(2026, 5, 14), time(10, 0), time(12, 0), "Ascension café"),),
    )
    status = status_at(schedule, berlin(2026, 5, 14, 10, 30))
    assert status.is_open
    assert status.current.special
    assert status.current.end == berlin(2026, 5, 14, 12, 0)
    assert not status_at(schedule, berlin(2026, 5, 14, 9, 0)).is_open


def test_closure_spanning_a_week_skips_the_thursday_inside_it():
    schedule = Schedule(
        rules=(THURSDAY_DROP_IN,),
        closures=(Closure(date(2026, 12, 28), date(2027, 1, 8), "Christmas break"),),
    )
    assert openings_on(schedule, date(2026, 12, 31)) == []
    assert openings_on(schedule, date(2027, 1, 7)) == []
    assert next_opening(schedule, berlin(2026, 12, 24, 12, 0)).start == berlin(2027, 1, 14, 8, 30)
    off = day_off(schedule, date(2027, 1, 7))
    assert off is not None and off.reason == "Christmas break" and not off.holiday


def test_spring_forward_night_keeps_wall_clock_hours():
    # Clocks go from 02:00 to 03:00 on Sunday 29 March 2026.
    sunday = Schedule(rules=(Rule(6, time(8, 30), time(11, 30), date(2020, 1, 1)),))
    opening = next_opening(sunday, berlin(2026, 3, 28, 23, 0))
    assert opening.start == berlin(2026, 3, 29, 8, 30)
    assert opening.start.astimezone(UTC).hour == 6  # CEST is UTC+2
    assert opening.end - opening.start == timedelta(hours=3)
    # An hour on the far side of the switch: 01:59 CET, then 03:00 CEST.
    assert not status_at(sunday, berlin(2026, 3, 29, 3, 0)).is_open
    assert status_at(sunday, datetime(2026, 3, 29, 6, 30, tzinfo=UTC)).is_open
    assert not status_at(sunday, datetime(2026, 3, 29, 6, 29, tzinfo=UTC)).is_open


def test_fall_back_night_keeps_wall_clock_hours():
    # Clocks go from 03:00 back to 02:00 on Sunday 25 October 2026.
    sunday = Schedule(rules=(Rule(6, time(8, 30), time(11, 30), date(2020, 1, 1)),))
    opening = next_opening(sunday, berlin(2026, 10, 24, 23, 0))
    assert opening.start.astimezone(UTC) == datetime(2026, 10, 25, 7, 30, tzinfo=UTC)
    assert status_at(sunday, datetime(2026, 10, 25, 7, 30, tzinfo=UTC)).is_open
    assert not status_at(sunday, datetime(2026, 10, 25, 6, 30, tzinfo=UTC)).is_open


def test_thursday_after_the_clocks_change_opens_at_local_time():
    before = next_opening(LANSTROP, berlin(2026, 3, 25, 12, 0))
    after = next_opening(LANSTROP, berlin(2026, 3, 27, 12, 0))
    assert before.start == berlin(2026, 3, 26, 8, 30)
    assert before.start.astimezone(UTC).hour == 7  # CET is UTC+1
    assert after.start == berlin(2026, 4, 2, 8, 30)
    assert after.start.astimezone(UTC).hour == 6


def test_rule_outside_its_validity_does_not_open():
    thursdays_until_june = Rule(3, time(8, 30), time(11, 30), date(2018, 9, 1), date(2026, 6, 30))
    ended = Schedule(rules=(thursdays_until_june,))
    assert openings_on(ended, date(2026, 6, 25)) != []
    assert openings_on(ended, date(2026, 7, 2)) == []
    assert next_opening(ended, berlin(2026, 7, 1, 0, 0)) is None
    not_yet = Schedule(rules=(Rule(3, time(8, 30), time(11, 30), date(2018, 9, 1)),))
    assert openings_on(not_yet, date(2018, 8, 30)) == []


def test_an_office_without_hours_has_no_next_opening():
    status = status_at(Schedule(), berlin(2026, 11, 26, 9, 0))
    assert not status.is_open and status.next is None


def test_overlapping_rules_on_one_weekday_are_detected():
    a = Rule(3, time(8, 30), time(11, 30), date(2018, 9, 1))
    assert rules_overlap(a, Rule(3, time(11, 0), time(12, 0), date(2020, 1, 1)))
    assert not rules_overlap(a, Rule(3, time(11, 30), time(12, 0), date(2020, 1, 1)))
    assert not rules_overlap(a, Rule(2, time(9, 0), time(10, 0), date(2020, 1, 1)))
    old = Rule(3, time(8, 30), time(11, 30), date(2018, 9, 1), date(2019, 12, 31))
    assert not rules_overlap(old, Rule(3, time(9, 0), time(10, 0), date(2020, 1, 1)))


# Property-based: "next opening" is never in the past, never on a closed day, and agrees
# with "open now".

times = st.integers(min_value=6 * 4, max_value=20 * 4).map(lambda q: time(q // 4, (q % 4) * 15))


@st.composite
def schedules(draw):
    rules = []
    for weekday in draw(st.sets(st.integers(0, 6), max_size=4)):
        opens = draw(times)
        length = draw(st.integers(1, 16))
        close_minutes = min(opens.hour * 60 + opens.minute + length * 15, 23 * 60 + 45)
        rules.append(
            Rule(weekday, opens, time(close_minutes // 60, close_minutes % 60), date(2020, 1, 1))
        )
    closures = []
    for _ in range(draw(st.integers(0, 3))):
        start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
        closures.append(Closure(start, start + timedelta(days=draw(st.integers(0, 20))), "x"))
    specials = []
    for _ in range(draw(st.integers(0, 2))):
        day = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
        specials.append(Special(day, time(10, 0), time(12, 0), "special"))
    return Schedule(tuple(rules), tuple(closures), tuple(specials))


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(TZ)
)


@settings(max_examples=200, deadline=None)
@given(schedule=schedules(), moment=moments)
def test_next_opening_is_never_in_the_past_nor_on_a_closed_day(schedule, moment):
    status = status_at(schedule, moment)
    opening = status.next
    if opening is not None:
        assert opening.start > moment
        assert opening in openings_on(schedule, opening.start.date())
        day = opening.start.date()
        if not opening.special:
            assert not any(c.covers(day) for c in schedule.closures)
    upcoming = upcoming_openings(schedule, moment, count=3)
    assert all(o.end > moment for o in upcoming)
    assert upcoming == sorted(upcoming)


@settings(max_examples=200, deadline=None)
@given(schedule=schedules(), moment=moments)
def test_open_now_agrees_with_the_openings_of_the_day(schedule, moment):
    status = status_at(schedule, moment)
    todays = openings_on(schedule, moment.date())
    inside = [o for o in todays if o.start <= moment < o.end]
    assert status.is_open == bool(inside)
    if status.is_open:
        assert status.current.start <= moment < status.current.end
        assert status.next is None or status.next.start > moment
