"""Dates and times in lists, formatted as Django's ``date`` and ``time`` filters would, at a
fraction of their cost.

The dashboard shows some sixty dates, the office cards a time or two each; Django formats each
by walking its format string character by character (18 µs for a time). Here the active
language's ``SHORT_DATE_FORMAT``, ``SHORT_DATETIME_FORMAT`` and ``TIME_FORMAT`` are turned once
per process into a ``str.format`` pattern (for the format characters lists use: day, month,
year, hour, minute); a format with any other character (English "9 a.m.") is left to Django.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.utils import formats, timezone
from django.utils.translation import get_language

# Django format character -> str.format field of the values below
_FIELDS = {
    "d": "{day:02d}",
    "j": "{day}",
    "m": "{month:02d}",
    "n": "{month}",
    "Y": "{year}",
    "y": "{year2:02d}",
    "H": "{hour:02d}",
    "G": "{hour}",
    "i": "{minute:02d}",
}


@lru_cache(maxsize=32)
def _pattern(format_name: str, language: str) -> str | None:
    pattern = []
    for char in formats.get_format(format_name, language):
        if char in _FIELDS:
            pattern.append(_FIELDS[char])
        elif char.isalpha() or char == "\\":
            return None  # a name of a month or day, or an escape: Django formats it
        else:
            pattern.append(char.replace("{", "{{").replace("}", "}}"))
    return "".join(pattern)


def _format(value, format_name: str) -> str:
    pattern = _pattern(format_name, get_language() or "de")
    if pattern is None:
        return formats.date_format(value, format_name)
    return _fill(pattern, value)


def _fill(pattern: str, value) -> str:
    """A pattern of ``_pattern`` with a date's (or a moment's) fields."""
    return pattern.format(
        day=value.day, month=value.month, year=value.year, year2=value.year % 100,
        hour=getattr(value, "hour", 0), minute=getattr(value, "minute", 0),
    )


def short_date(value: date | None) -> str:
    return _format(value, "SHORT_DATE_FORMAT") if value else ""


def short_time(value: datetime) -> str:
    """An aware moment's time of day in the current time zone, as ``TIME_FORMAT``."""
    return _format(timezone.localtime(value), "TIME_FORMAT")


def short_datetime(value: datetime | None) -> str:
    """An aware moment in the current time zone, as ``SHORT_DATETIME_FORMAT``."""
    if not value:
        return ""
    return _format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


class Formatters:
    """``short_date`` and ``short_datetime`` for the active language and time zone, looked up
    once for a list's many rows rather than once per date."""

    __slots__ = ("_date", "_datetime", "_zone")

    def __init__(self):
        language = get_language() or "de"
        self._date = _pattern("SHORT_DATE_FORMAT", language)
        self._datetime = _pattern("SHORT_DATETIME_FORMAT", language)
        self._zone = timezone.get_current_timezone()

    def date(self, value: date | None) -> str:
        if not value:
            return ""
        if self._date is None:
            return short_date(value)
        return _fill(self._date, value)

    def datetime(self, value: datetime | None) -> str:
        if not value:
            return ""
        if self._datetime is None:
            return short_datetime(value)
        return _fill(self._datetime, value.astimezone(self._zone))
