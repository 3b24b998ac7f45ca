"""An office's hours as an OpenStreetMap ``opening_hours`` value, e.g. ``Th 08:30-11:30; PH off``.

The value says from ``today`` on what ``hours.py`` says, in the order ``hours.py`` decides a
day (see its docstring), because in ``opening_hours`` a later rule replaces an earlier one on
the days it names:

1. the weekly rules, each weekday cut at every date on which one of its rules starts or ends,
   so that two rules of the same weekday with different validities both hold (``hours.py``
   opens for every rule that applies) instead of the later one replacing the earlier;
2. ``PH off``: closed on public holidays — which holidays is for the reader to know from
   where the office is (North Rhine-Westphalia, as ``hours.py`` reckons);
3. announced closures that have not ended, by date (``2027 Dec 23-2028 Jan 01 off``);
4. special openings from today on, by date, last: they win over holidays and closures.

Weekly rules and closures that ended before ``today`` are left out; so are special openings
before it. A schedule without weekly rules or coming special openings gives ``""``: no hours
are announced, which is not the same as "always closed".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time, timedelta

from .hours import Rule, Schedule

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def opening_hours(schedule: Schedule, today: date) -> str:
    """The OSM ``opening_hours`` value of ``schedule`` as it holds from ``today`` on."""
    specials: dict[date, list[tuple[time, time]]] = defaultdict(list)
    for special in schedule.specials:
        if special.day >= today:
            specials[special.day].append((special.opens, special.closes))
    weekly = _weekly(schedule.rules, today)
    if not weekly and not specials:
        return ""
    parts = [*weekly, "PH off"]
    for closure in sorted(schedule.closures, key=lambda c: (c.date_from, c.date_until)):
        if closure.date_until >= today:
            parts.append(f"{_date_range(closure.date_from, closure.date_until)} off")
    for day in sorted(specials):
        parts.append(f"{_date(day)} {_times(specials[day])}")
    return "; ".join(parts)


def _weekly(rules: tuple[Rule, ...], today: date) -> list[str]:
    """Per weekday, the stretches of days in which the same rules hold; weekdays whose
    stretches and times are the same are named together."""
    alive = [r for r in rules if r.valid_until is None or r.valid_until >= today]
    groups: dict[tuple[date, str, tuple], list[int]] = defaultdict(list)
    for weekday in range(7):
        for start, end, times in _stretches([r for r in alive if r.weekday == weekday], today):
            # What holds today comes first, in weekday order; what starts later, by date.
            order = max(start, today)
            groups[(order, _validity(start, end, today), times)].append(weekday)
    return [
        " ".join(p for p in (selector, _days(weekdays), _times(list(times))) if p)
        for (_order, selector, times), weekdays in sorted(
            groups.items(), key=lambda item: (item[0][0], item[1][0])
        )
    ]


def _stretches(rules: list[Rule], today: date) -> list[tuple[date, date | None, tuple]]:
    """The rules of one weekday cut at every date on which one of them starts or ends:
    (first day, last day or None, the times that hold), leaving out what ended before today."""
    cuts = sorted(
        {r.valid_from for r in rules}
        | {r.valid_until + timedelta(days=1) for r in rules if r.valid_until is not None}
    )
    found = []
    for index, start in enumerate(cuts):
        end = cuts[index + 1] - timedelta(days=1) if index + 1 < len(cuts) else None
        if end is not None and end < today:
            continue
        times = tuple(
            sorted(
                {
                    (r.opens, r.closes)
                    for r in rules
                    if r.valid_from <= start
                    and (r.valid_until is None or (end is not None and r.valid_until >= end))
                }
            )
        )
        if times:
            found.append((start, end, times))
    return found


def _validity(start: date, end: date | None, today: date) -> str:
    """The date selector of a stretch of days; none for one that began and never ends."""
    if end is None:
        return "" if start <= today else f"{_date(start)}+"
    return _date_range(start, end)


def _days(weekdays: list[int]) -> str:
    runs: list[list[int]] = []
    for weekday in weekdays:
        if runs and weekday == runs[-1][-1] + 1:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    names = []
    for run in runs:
        if len(run) >= 3:
            names.append(f"{DAYS[run[0]]}-{DAYS[run[-1]]}")
        else:
            names.extend(DAYS[d] for d in run)
    return ",".join(names)


def _times(times: list[tuple[time, time]]) -> str:
    return ",".join(f"{o:%H:%M}-{c:%H:%M}" for o, c in sorted(set(times)))


def _date(day: date) -> str:
    return f"{day.year} {MONTHS[day.month - 1]} {day.day:02d}"


def _date_range(first: date, last: date) -> str:
    if first == last:
        return _date(first)
    return f"{_date(first)}-{_date(last)}"
