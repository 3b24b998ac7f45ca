"""The household list is served from the staff page cache, and still shows every change at once,
never shows a household to somebody who may not see it, and never mixes up CSRF tokens."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import HomeVisit, Household
from lokalwillkommen.staff_cache import CSRF_PLACEHOLDER

from .conftest import make_household

LIST = "/de/staff/households/"


@pytest.fixture
def page_cache(settings):
    settings.LW_STAFF_PAGE_CACHE = True
    settings.LW_IDENTITY_CACHE = True
    cache.clear()
    yield
    cache.clear()


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def test_the_second_visit_of_the_list_is_served_without_database_queries(
    alice_client, household, page_cache, django_assert_max_num_queries
):
    first = alice_client.get(LIST)
    assert "Familie Test" in first.text
    with django_assert_max_num_queries(1):  # the session (database sessions in the tests)
        second = alice_client.get(LIST)
    assert second.status_code == 200
    assert "Familie Test" in second.text
    assert second["Cache-Control"] == "no-store"


def test_the_cached_page_carries_the_users_own_working_csrf_token(
    alice_client, household, page_cache, settings
):
    alice_client.get(LIST)
    page = alice_client.get(LIST)
    assert CSRF_PLACEHOLDER not in page.text
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = alice_client.cookies
    response = strict.post(reverse("logout"), {"csrfmiddlewaretoken": _token(page)})
    assert response.status_code == 302  # logged out, not a CSRF failure
    assert alice_client.get(LIST).status_code == 302


def test_a_colleague_in_the_same_team_gets_the_same_list_with_her_own_token(
    alice_client, household, lanstrop_team, django_user_model, page_cache
):
    from django.contrib.auth.models import Group

    colleague = django_user_model.objects.create_user("erika", password="erika-password-123")
    colleague.groups.add(Group.objects.get(name="staff"))
    lanstrop_team.members.add(colleague)
    other = Client()
    other.force_login(colleague)
    mine = alice_client.get(LIST)
    hers = other.get(LIST)
    assert "Familie Test" in hers.text
    assert CSRF_PLACEHOLDER not in hers.text
    assert mine.text.replace(_token(mine), "") == hers.text.replace(_token(hers), "")


def test_staff_of_another_team_never_get_a_list_cached_for_this_team(
    alice_client, client, bob, household, page_cache
):
    assert "Familie Test" in alice_client.get(LIST).text
    client.force_login(bob)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "Familie Test" not in page.text


def test_a_coordinator_sees_every_team_and_staff_only_their_own(
    alice_client, carla, household, other_team, other_district, page_cache
):
    make_household(other_team, other_district, name="Familie Anderswo")
    coordinator = Client()
    coordinator.force_login(carla)
    assert "Familie Anderswo" not in alice_client.get(LIST).text
    assert "Familie Anderswo" in coordinator.get(LIST).text
    assert "Familie Anderswo" not in alice_client.get(LIST).text


def test_an_edit_shows_in_the_cached_list_at_once(alice_client, household, page_cache):
    from .test_households import edit_data

    assert "Familie Test" in alice_client.get(LIST).text
    url = reverse("consultations-household-edit", args=[household.pk])
    response = alice_client.post(url, edit_data(household, contact_name="Familie Umbenannt"))
    assert response.status_code == 302
    page = alice_client.get(LIST)
    assert "Familie Umbenannt" in page.text
    assert "Familie Test" not in page.text


def test_a_visit_that_advances_the_status_shows_at_once(alice, alice_client, household, page_cache):
    assert "neu" in alice_client.get(LIST).text.lower()
    visit = HomeVisit(
        household=household, status=HomeVisit.Status.DONE,
        scheduled_at=timezone.now() - timedelta(hours=1),
    )
    services.visit_create(visit=visit, user=alice)
    household.refresh_from_db()
    assert household.status == Household.Status.VISITED
    assert str(Household.Status.VISITED.label) in _status_cells(alice_client.get(LIST))


def _status_cells(response) -> str:
    return " ".join(re.findall(r"<td>([^<]*)</td>", response.text))


def test_erasure_removes_the_name_from_every_cached_list_at_once(
    alice_client, carla, household, page_cache
):
    carla_client = Client()
    carla_client.force_login(carla)
    assert "Familie Test" in alice_client.get(LIST).text
    assert "Familie Test" in carla_client.get(LIST).text
    url = reverse("consultations-household-erase", args=[household.pk])
    assert carla_client.post(url, {"confirm": household.reference}).status_code == 302
    assert "Familie Test" not in alice_client.get(LIST).text
    assert "Familie Test" not in carla_client.get(LIST).text


def test_a_new_household_of_a_colleague_shows_at_once(
    alice_client, alice, lanstrop_team, lanstrop_district, household, page_cache
):
    assert "Familie Neu" not in alice_client.get(LIST).text
    make_household(lanstrop_team, lanstrop_district, user=alice, name="Familie Neu")
    assert "Familie Neu" in alice_client.get(LIST).text


def test_each_language_and_each_filter_is_its_own_page(alice_client, household, page_cache):
    german = alice_client.get(LIST)
    english = alice_client.get("/en/staff/households/")
    assert german.text != english.text
    assert "Haushalte" in german.text and "Households" in english.text
    empty = alice_client.get(LIST + "?q=Niemand")
    assert "Familie Test" not in empty.text
    assert "Familie Test" in alice_client.get(LIST).text


def test_a_message_waiting_is_shown_and_not_swallowed_by_the_cache(
    alice_client, household, page_cache
):
    alice_client.get(LIST)  # cached
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    message = Message(constants.SUCCESS, "Gespeichert und weiter")
    alice_client.cookies["messages"] = storage._encode([message])
    assert "Gespeichert und weiter" in alice_client.get(LIST).text
    assert "Gespeichert und weiter" not in alice_client.get(LIST).text


def test_the_list_still_works_when_the_cache_is_away(
    alice_client, household, page_cache, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionError("cache away")

    monkeypatch.setattr(cache, "get_many", broken)
    page = alice_client.get(LIST)
    assert page.status_code == 200
    assert "Familie Test" in page.text
    assert CSRF_PLACEHOLDER not in page.text


def test_without_a_shared_cache_nothing_is_cached(alice_client, household, settings):
    settings.LW_STAFF_PAGE_CACHE = None  # the default: only with a shared cache (Redis)
    cache.clear()
    alice_client.get(LIST)
    assert not [k for k in cache._cache if "staff-pages:" in k]
