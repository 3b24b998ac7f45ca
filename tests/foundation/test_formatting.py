"""Dates and times in lists read exactly as Django's date and time filters write them, in every
language."""

from datetime import date, datetime

import pytest
from django.utils import formats, timezone, translation

from lokalwillkommen.formatting import Formatters, short_date, short_datetime, short_time


@pytest.mark.parametrize("language", ["de", "en", "ar", "uk", "fa", "ru"])
@pytest.mark.parametrize("day", [date(2026, 3, 5), date(2027, 12, 31)])
def test_short_dates_read_as_the_date_filter_writes_them(language, day):
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 7, 5))
    with translation.override(language):
        assert short_date(day) == formats.date_format(day, "SHORT_DATE_FORMAT")
        assert short_datetime(moment) == formats.date_format(
            timezone.localtime(moment), "SHORT_DATETIME_FORMAT"
        )
        # the same, with the language and time zone looked up once for a list's rows
        dates = Formatters()
        assert dates.date(day) == short_date(day)
        assert dates.datetime(moment) == short_datetime(moment)
        # the office cards' times ("open until 11:30")
        for hour in (7, 13, 23):
            at = moment.replace(hour=hour, minute=30)
            assert short_time(at) == formats.time_format(timezone.localtime(at), "TIME_FORMAT")


def test_no_date_is_an_empty_text():
    assert short_date(None) == "" and short_datetime(None) == ""
    assert Formatters().date(None) == "" and Formatters().datetime(None) == ""
