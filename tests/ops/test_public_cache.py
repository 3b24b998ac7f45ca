"""Public pages are cached for anonymous visitors, and a change shows at once all the same."""

from datetime import datetime

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone

from offices.hours import TZ

HOURS = "/de/staff/offices/lanstrop/hours/"


@pytest.fixture
def page_cache(settings):
    settings.LW_PUBLIC_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tuesday(monkeypatch):
    moment = datetime(2026, 11, 24, 15, 0, tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _hours_form(office, opens, closes):
    rule = office.rules.get()
    return {
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "1",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-id": str(rule.pk),
        "rules-0-office": str(office.pk),
        "rules-0-weekday": "3",
        "rules-0-opens": opens,
        "rules-0-closes": closes,
        "rules-0-valid_from": "2018-09-01",
        "rules-0-valid_until": "",
        "rules-0-label": "Sprechstunde",
    }


def test_the_second_anonymous_visit_is_served_from_the_cache(
    client, lanstrop, page_cache, django_assert_num_queries
):
    first = client.get("/de/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/de/")
    assert second.content == first.content
    assert "Cookie" in second["Vary"]
    assert not second.cookies


def test_a_change_of_hours_shows_at_once_although_the_home_page_was_cached(
    client, alice, lanstrop, page_cache, tuesday
):
    assert "Öffnet Donnerstag um 08:30" in client.get("/de/").content.decode()
    assert "Öffnet Donnerstag um 08:30" in client.get("/de/offices/lanstrop/").content.decode()

    # What the staff hours page does with a valid form (the page itself is tested in offices).
    from offices import services
    from offices.forms import RuleFormSet

    formset = RuleFormSet(
        _hours_form(lanstrop, "14:00", "16:00"), instance=lanstrop, prefix="rules"
    )
    assert formset.is_valid(), formset.errors
    services.office_hours_update(office=lanstrop, formset=formset, user=alice)

    assert "Öffnet Donnerstag um 14:00" in client.get("/de/").content.decode()
    assert "14:00" in client.get("/de/offices/lanstrop/").content.decode()


def test_a_closure_shows_at_once_on_the_cached_office_page(client, alice, lanstrop, page_cache):
    from offices import services

    client.get("/de/offices/lanstrop/")
    services.office_exception_add(
        office=lanstrop,
        data={"kind": "closed", "date_from": timezone.localdate(), "reason": "Betriebsausflug"},
        user=alice,
    )
    assert "Betriebsausflug" in client.get("/de/offices/lanstrop/").content.decode()


def test_a_logged_in_user_never_gets_a_cached_page(client, alice, lanstrop, page_cache):
    anonymous = client.get("/de/").content.decode()
    assert "Log out" not in anonymous and "Abmelden" not in anonymous
    client.force_login(alice)
    page = client.get("/de/")
    body = page.content.decode()
    assert page.content != anonymous.encode()
    assert 'action="/de/accounts/logout/"' in body
    # ... and what a logged-in user sees is never stored for anonymous visitors either.
    client.logout()
    assert 'action="/de/accounts/logout/"' not in client.get("/de/").content.decode()


def test_a_query_string_other_than_the_filters_bypasses_the_cache(
    client, lanstrop, page_cache, django_assert_max_num_queries
):
    client.get("/de/")
    with django_assert_max_num_queries(50) as captured:
        client.get("/de/?utm_source=x")
    assert len(captured) > 0


def test_directory_filters_are_part_of_the_key(client, page_cache, db):
    everything = client.get("/de/network/")
    assert everything.status_code == 200
    filtered = client.get("/de/network/?q=zzzz-nothing-matches")
    assert filtered.status_code == 200
    assert filtered.content != everything.content


def test_pages_are_not_cached_with_a_process_local_cache(client, lanstrop, settings):
    settings.LW_PUBLIC_PAGE_CACHE = None  # auto: the test settings use process memory
    cache.clear()
    client.get("/de/")
    assert not [key for key in cache._cache if "public-pages:" in key and ":version" not in key]


def _age_the_cached_pages(monkeypatch, seconds):
    import time as real_time

    from lokalwillkommen import public_cache

    later = real_time.time() + seconds
    monkeypatch.setattr(public_cache.time, "time", lambda: later)


def test_a_stale_page_is_rendered_anew_by_the_first_request(
    client, lanstrop, page_cache, monkeypatch, django_assert_max_num_queries
):
    client.get("/de/")
    _age_the_cached_pages(monkeypatch, 31)
    with django_assert_max_num_queries(50) as captured:
        assert client.get("/de/").status_code == 200
    assert len(captured) > 0  # rendered, not served from the cache


def test_while_one_request_renders_a_stale_page_the_others_get_the_stale_copy(
    client, lanstrop, page_cache, monkeypatch, django_assert_num_queries
):
    first = client.get("/de/")
    _age_the_cached_pages(monkeypatch, 31)
    from lokalwillkommen.public_cache import _claim_render, _key

    class Request:  # the key of /de/ for an anonymous visitor
        GET = QueryDict()
        path = "/de/"

    from django.utils import translation

    with translation.override("de"):
        assert _claim_render(_key(Request()))  # another request is rendering it now
    with django_assert_num_queries(0):
        second = client.get("/de/")
    assert second.content == first.content


def test_a_change_is_never_hidden_by_a_stale_copy(
    client, alice, lanstrop, page_cache, monkeypatch
):
    """Staleness only bridges the clock, never a change: a new closure shows at once even
    while another request holds the claim to render the stale page."""
    from django.utils import translation

    from lokalwillkommen.public_cache import _claim_render, _key
    from offices import services

    client.get("/de/offices/lanstrop/")
    _age_the_cached_pages(monkeypatch, 31)

    class Request:
        GET = QueryDict()
        path = "/de/offices/lanstrop/"

    with translation.override("de"):
        assert _claim_render(_key(Request()))
    services.office_exception_add(
        office=lanstrop,
        data={"kind": "closed", "date_from": timezone.localdate(), "reason": "Betriebsausflug"},
        user=alice,
    )
    assert "Betriebsausflug" in client.get("/de/offices/lanstrop/").content.decode()
