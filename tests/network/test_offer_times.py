"""Offers say when and at what cost as structure, put into words by the page's language: an
Arabic page shows no German word in an offer's time and cost; the free text the offers had
before is read into that structure; each offer has its own calendar feed."""

import re
from datetime import date, time
from decimal import Decimal

import recurring_ical_events
from icalendar import Calendar

from network import offer_times, search
from network.models import OfferTime

from .conftest import make_offer

GERMAN = re.compile(r"[A-Za-zÄÖÜäöüß]")


def _cafe(juki):
    offer = make_offer(
        juki,
        title="Sprachcafé",
        slug="sprachcafe",
        category="language",
        cost="amount",
        cost_amount=Decimal("5"),
        cost_note_de="pro Woche",
        cost_note_ar="في الأسبوع",
    )
    OfferTime.objects.create(offer=offer, weekdays="2", starts=time(16), ends=time(18))
    OfferTime.objects.create(offer=offer, weekdays="0", week_of_month=1, starts=time(10))
    search.offer_index(offer_ids=[offer.pk])
    return offer


def _when_and_cost(html: str) -> list[str]:
    """The text of the elements that say when and at what cost (cards and detail page),
    without the link to the calendar and the hidden labels."""
    found = re.findall(r'class="[^"]*offer-(?:when|cost)">(.*?)</(?:p|dd)>', html, re.S)
    texts = [
        re.sub(r'<span class="visually-hidden">.*?</span>|<a [^>]*>.*?</a>', " ", t) for t in found
    ]
    return [re.sub(r"<[^>]+>", " ", text) for text in texts]


def test_an_arabic_page_shows_an_offers_time_and_cost_with_no_german_word(client, juki):
    offer = _cafe(juki)
    for url in ("/ar/network/", f"/ar/network/offers/{offer.slug}/"):
        html = client.get(url).content.decode()
        texts = _when_and_cost(html)
        assert len(texts) >= 2, url
        for text in texts:
            assert not GERMAN.search(text.replace("€", "")), (url, text)
        joined = " ".join(texts)
        assert "الأربعاء" in joined and "16:00–18:00" in joined
        assert "كل الاثنين أول من الشهر" in joined or "الاثنين" in joined
        assert "5 يورو" in joined and "في الأسبوع" in joined
    german = client.get(f"/de/network/offers/{offer.slug}/").content.decode()
    assert "Mittwoch · 16:00–18:00" in german and "5 € (" in german


def test_a_note_not_yet_translated_is_shown_in_german_marked_as_german(client, juki):
    offer = make_offer(
        juki, title="Beratung", slug="beratung", cost="free", time_note_de="nach Vereinbarung"
    )
    html = client.get(f"/uk/network/offers/{offer.slug}/").content.decode()
    assert '<span lang="de" dir="ltr">nach Vereinbarung</span>' in html
    assert "безкоштовно" in html


def test_the_free_text_of_before_is_read_into_times_and_costs():
    parse = offer_times.parse_schedule
    assert parse("Mittwochs 16:00–18:00") == (
        {
            "weekdays": "2",
            "week_of_month": None,
            "starts": time(16),
            "ends": time(18),
            "date_from": None,
            "date_until": None,
        },
        "",
    )
    assert parse("Montag bis Donnerstag 14:00–16:00")[0]["weekdays"] == "0123"
    assert parse("Dienstags und Donnerstags 15–17 Uhr")[0]["weekdays"] == "13"
    assert parse("jeden ersten Montag im Monat")[0]["week_of_month"] == 1
    assert parse("Mittwochs 16:00")[0]["starts"] == time(16)
    # What cannot be read whole is kept, whole, as the note.
    assert parse("nach Absprache") == (None, "nach Absprache")
    assert parse("April bis September, samstags 10:00")[1] == "April bis September, samstags 10:00"
    assert offer_times.parse_cost("kostenlos") == ("free", None, "")
    assert offer_times.parse_cost("5 € pro Woche") == ("amount", Decimal("5"), "pro Woche")
    assert offer_times.parse_cost("30 € pro Kurs, Ermäßigung möglich")[1] == Decimal("30")
    assert offer_times.parse_cost("auf Anfrage") == ("on_request", None, "")
    assert offer_times.parse_cost("Spende erwünscht") == ("", None, "Spende erwünscht")


def test_each_offer_has_a_calendar_feed_with_its_times_repeating(client, juki):
    offer = _cafe(juki)
    offer.valid_from = date(2026, 1, 1)
    offer.valid_until = date(2027, 6, 30)
    offer.save(update_fields=["valid_from", "valid_until"])
    response = client.get(f"/ar/network/offers/{offer.slug}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    rules = {str(e["RRULE"].to_ical().decode()) for e in calendar.walk("VEVENT")}
    assert any("FREQ=WEEKLY;" in r and "BYDAY=WE" in r for r in rules)
    assert any("FREQ=MONTHLY" in r and "BYDAY=1MO" in r for r in rules)
    occurrences = recurring_ical_events.of(calendar).between(date(2027, 3, 1), date(2027, 4, 1))
    starts = sorted(e.decoded("DTSTART") for e in occurrences)
    assert [s.date() for s in starts if s.hour == 16] == [
        date(2027, 3, 3),
        date(2027, 3, 10),
        date(2027, 3, 17),
        date(2027, 3, 24),
        date(2027, 3, 31),
    ]
    assert [s.date() for s in starts if s.hour == 10] == [date(2027, 3, 1)]
    assert not recurring_ical_events.of(calendar).between(date(2027, 7, 1), date(2027, 8, 1))
