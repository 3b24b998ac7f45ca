"""When an offer takes place and what it costs, in the page's language, and as iCalendar
recurrence rules. Everything here is structure (weekdays, times, dates, an amount) put into
words by the interface's own catalogues and Django's date formats, so an Arabic page shows
no German word; only a free note someone typed is shown as typed (network/models.py).

``parse_schedule`` and ``parse_cost`` read the German free text of the time the offers had
before (used once, by the migration that gave offers their structured times)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@lru_cache(maxsize=16)
def _words(language: str) -> dict:
    """The words times and costs are put into, in ``language`` (translated once per process
    and language: a directory page puts a few dozen times into words)."""
    from offices.models import Weekday

    return {
        "weekdays": [str(label) for _value, label in Weekday.choices],
        "ordinals": {
            1: _("every first %(weekday)s of the month"),
            2: _("every second %(weekday)s of the month"),
            3: _("every third %(weekday)s of the month"),
            4: _("every fourth %(weekday)s of the month"),
            -1: _("every last %(weekday)s of the month"),
        },
        "period": _("%(start)s to %(end)s"),
        "from_date": _("from %(date)s"),
        "from_time": _("from %(time)s"),
        "free": _("free of charge"),
        "on_request": _("cost on request"),
        "amount": _("%(amount)s €"),
        "when_label": _("When:"),
        "cost_label": _("Cost:"),
    }


def words() -> dict:
    return _words(get_language() or "de")


def clock(value: time | str) -> str:
    """A time of day, 24 hours and digits in every language ("16:00")."""
    return value if isinstance(value, str) else f"{value:%H:%M}"


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def time_parts(
    weekdays: str,
    week_of_month: int | None,
    starts: time | None,
    ends: time | None,
    date_from: date | None,
    date_until: date | None,
    table: dict | None = None,
) -> list[str]:
    """The parts of one time in words, in the active language (``table``: its ``words()``):
    the period or date, the days, the hours."""
    table = table or words()
    parts = []
    if date_from and date_until and date_until != date_from:
        parts.append(table["period"] % {"start": _day(date_from), "end": _day(date_until)})
    elif date_from and weekdays:
        parts.append(table["from_date"] % {"date": _day(date_from)})
    elif date_from:
        parts.append(_day(date_from))
    if weekdays:
        names = table["weekdays"]
        days = ", ".join(names[int(d)] for d in sorted(weekdays))
        parts.append(
            table["ordinals"][week_of_month] % {"weekday": days} if week_of_month else days
        )
    if starts and ends:
        parts.append(f"{clock(starts)}–{clock(ends)}")
    elif starts:
        parts.append(table["from_time"] % {"time": clock(starts)})
    return parts


def time_text(offer_time) -> str:
    """One ``OfferTime`` (or a row with the same attributes) in words."""
    return " · ".join(
        time_parts(
            offer_time.weekdays,
            offer_time.week_of_month,
            offer_time.starts,
            offer_time.ends,
            offer_time.date_from,
            offer_time.date_until,
        )
    )


TIME_FIELDS = ("weekdays", "week_of_month", "starts", "ends", "date_from", "date_until")


def time_texts(rows) -> list[str]:
    """Rows of ``TIME_FIELDS`` values, in words."""
    return [" · ".join(time_parts(*row)) for row in rows]


def digest_texts(digest, table: dict | None = None) -> list[str]:
    """An offer's ``times_digest`` (network/search.py: times as JSON values) in words."""
    table = table or words()
    return [
        " · ".join(
            time_parts(
                weekdays,
                week,
                starts,
                ends,
                date.fromisoformat(first) if first else None,
                date.fromisoformat(last) if last else None,
                table,
            )
        )
        for weekdays, week, starts, ends, first, last in digest
    ]


def cost_text(cost: str, amount: Decimal | None, table: dict | None = None) -> str:
    """The cost in words ('' when the offer does not say)."""
    if not cost:
        return ""
    table = table or words()
    if cost == "free":
        return table["free"]
    if cost == "on_request":
        return table["on_request"]
    if cost == "amount" and amount is not None:
        places = 0 if amount == amount.to_integral_value() else 2
        return table["amount"] % {"amount": number_format(amount, places)}
    return ""


# iCalendar --------------------------------------------------------------------------------


def recurrence(
    weekdays: str,
    week_of_month: int | None,
    date_from: date | None,
    date_until: date | None,
    *,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> tuple[date, dict | None]:
    """The first day and the RRULE (as icalendar's dict, or None for one day) of a time."""
    start = max(filter(None, (date_from, valid_from)), default=None)
    until = min(filter(None, (date_until, valid_until)), default=None)
    if weekdays:
        days = [WEEKDAY_CODES[int(d)] for d in sorted(weekdays)]
        first = start or date.today()  # a weekly time of an offer without a start date
        while first.weekday() not in {int(d) for d in weekdays}:
            first += timedelta(days=1)
        if week_of_month:
            rule = {"freq": "MONTHLY", "byday": [f"{week_of_month}{d}" for d in days]}
        else:
            rule = {"freq": "WEEKLY", "byday": days}
        if until:
            rule["until"] = until
        return first, rule
    assert start is not None
    if until and until > start:
        return start, {"freq": "DAILY", "until": until}
    return start, None


# Reading the old free text ------------------------------------------------------------------

_DAYS = {
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonnabend": 5,
    "sonntag": 6,
}
_DAY = r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)s?"
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_ORDINALS = {"ersten": 1, "zweiten": 2, "dritten": 3, "vierten": 4, "letzten": -1}


def _clock(hours: str, minutes: str | None) -> time | None:
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError:
        return None


def parse_schedule(text: str) -> tuple[dict | None, str]:
    """A time (``OfferTime`` fields) read from German free text like "Mittwochs 16:00–18:00"
    or "Montag bis Donnerstag 14–16 Uhr", and the note to keep: '' when everything was
    understood, else the whole text (never a half-read one)."""
    source = " ".join((text or "").split())
    rest = source.lower()
    if not rest:
        return None, ""
    weekdays: set[int] = set()
    for match in re.finditer(rf"{_DAY}\s*(?:bis|–|-)\s*{_DAY}", rest):
        first, last = _DAYS[match.group(1)], _DAYS[match.group(2)]
        weekdays.update(range(first, last + 1) if first <= last else ())
    rest = re.sub(rf"{_DAY}\s*(?:bis|–|-)\s*{_DAY}", " ", rest)
    week_of_month = None
    match = re.search(rf"jeden (ersten|zweiten|dritten|vierten|letzten) {_DAY} im monat", rest)
    if match:
        week_of_month = _ORDINALS[match.group(1)]
        weekdays.add(_DAYS[match.group(2)])
        rest = rest.replace(match.group(0), " ")
    for match in re.finditer(_DAY, rest):
        weekdays.add(_DAYS[match.group(1)])
    rest = re.sub(_DAY, " ", rest)
    starts = ends = None
    match = re.search(rf"{_TIME}\s*(?:–|-|bis)\s*{_TIME}", rest)
    if match:
        starts, ends = (
            _clock(match.group(1), match.group(2)),
            _clock(match.group(3), match.group(4)),
        )
        rest = rest.replace(match.group(0), " ")
    else:
        match = re.search(rf"\b{_TIME}\b", rest)
        if match and (match.group(2) or "uhr" in rest):
            starts = _clock(match.group(1), match.group(2))
            rest = rest.replace(match.group(0), " ")
    if starts and ends and ends <= starts:
        starts = ends = None
    leftover = re.sub(r"\b(und|uhr|ab|von|jeweils|immer)\b|[,;·&+]", " ", rest).strip()
    if not weekdays:
        return None, source
    found = {
        "weekdays": "".join(str(d) for d in sorted(weekdays)),
        "week_of_month": week_of_month,
        "starts": starts,
        "ends": ends if starts else None,
        "date_from": None,
        "date_until": None,
    }
    return found, (source if leftover else "")


def parse_cost(text: str) -> tuple[str, Decimal | None, str]:
    """(cost, amount, note) from German free text: "kostenlos" → free; "5 € pro Woche" →
    amount 5 with the note "pro Woche"; "auf Anfrage" → on request; anything else is kept
    as the note."""
    source = " ".join((text or "").split())
    lower = source.lower()
    if not lower:
        return "", None, ""
    if re.fullmatch(r"(kostenlos|gratis|kostenfrei|umsonst|frei|free|free of charge)\.?", lower):
        return "free", None, ""
    if re.fullmatch(r"(kosten )?(auf|nach) (anfrage|absprache|vereinbarung)\.?", lower):
        return "on_request", None, ""
    match = re.search(
        r"(\d+(?:[.,]\d{1,2})?)\s*(?:€|eur(?:o|os)?\b)|(?:€|\beur\b)\s*(\d+(?:[.,]\d{1,2})?)", lower
    )
    if match:
        try:
            amount = Decimal((match.group(1) or match.group(2)).replace(",", "."))
        except InvalidOperation:
            return "", None, source
        if amount > 0:
            note = (source[: match.start()] + source[match.end() :]).strip(" ,;")
            return "amount", amount, note
    return "", None, source
