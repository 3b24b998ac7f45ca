"""Volunteer matching: from a household's need (or a language gap) to active volunteers who
agreed to be contacted, by language, district and its neighbours, skill and availability,
each with the reasons it matched."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.matching import volunteer_matches
from lokalwillkommen.models import AccessLog, District, Language
from network.models import Skill, VolunteerRegistration
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.fixture
def scharnhorst(lanstrop_district):
    district = District.objects.create(slug="scharnhorst", name="Scharnhorst")
    lanstrop_district.neighbours.add(district)
    return district


def volunteer(name, district, languages, skills, status="active", availability=""):
    v = VolunteerRegistration.objects.create(
        name=name, email=f"{name.lower()}@example.org", phone="0231 55", district=district,
        status=status, availability=availability, consent_at=timezone.now(),
    )
    v.languages.set(Language.objects.filter(code__in=languages))
    v.skills.set(Skill.objects.filter(code__in=skills))
    return v


@pytest.fixture
def volunteers(lanstrop_district, scharnhorst, other_district):
    return {
        "Vera": volunteer("Vera", lanstrop_district, ["ar", "de"], ["accompanying"],
                          availability="Samstag vormittags"),
        "Nina": volunteer("Nina", scharnhorst, ["ar"], ["interpreting"]),
        "Otto": volunteer("Otto", other_district, ["ar"], ["accompanying"]),
        "Ina": volunteer("Ina", lanstrop_district, ["ar"], ["accompanying"], status="inactive"),
        "Uwe": volunteer("Uwe", lanstrop_district, ["uk"], ["accompanying"]),
        "Sam": volunteer("Sam", lanstrop_district, ["ar"], ["sports"]),
    }


@pytest.fixture
def family(household):
    household.languages.set(Language.objects.filter(code="ar"))
    household.needs.all().delete()
    household.needs.create(need="authorities")
    return household


def match_url(household=None, **query):
    url = reverse("consultations-volunteer-match")
    return url + (f"?household={household.pk}" if household else "")


def names(response):
    return [v.name for v in response.context["volunteers"]]


def test_a_household_need_finds_active_volunteers_nearby_who_speak_its_language(
    alice_client, family, volunteers
):
    response = alice_client.get(match_url(family))
    assert response.status_code == 200
    assert names(response) == ["Vera", "Nina"]
    vera, nina = response.context["volunteers"]
    assert vera.reasons == ["spricht Arabisch", "wohnt in Lanstrop",
                            "bietet: Begleitung zu Behörden"]
    assert "wohnt im Nachbarstadtteil Scharnhorst" in nina.reasons
    assert "bietet: Dolmetschen" in nina.reasons
    html = response.content.decode()
    assert "mailto:vera@example.org" in html and "Samstag vormittags" in html
    assert "Ina" not in names(response) and "Otto" not in names(response)


def test_availability_and_the_whole_city_narrow_or_widen_the_search(
    alice_client, family, volunteers
):
    url = reverse("consultations-volunteer-match")
    response = alice_client.get(url, {"household": family.pk, "availability": "samstag"})
    assert names(response) == ["Vera"]
    response = alice_client.get(url, {"household": family.pk, "district": ""})
    assert names(response) == ["Vera", "Nina", "Otto"]
    response = alice_client.get(url, {"household": family.pk, "need": "", "district": ""})
    assert names(response) == ["Vera", "Nina", "Otto", "Sam"]


def test_a_language_gap_finds_interpreters_without_a_household(
    client, bob, volunteers, lanstrop_district
):
    response = client_for(client, bob).get(
        reverse("consultations-volunteer-match"),
        {"skill": "interpreting", "languages": ["ar"], "district": "lanstrop"},
    )
    assert response.status_code == 200
    assert names(response) == ["Nina"]


def test_the_match_function_ranks_the_district_before_its_neighbours(
    volunteers, lanstrop_district
):
    with translation.override("en"):
        found = volunteer_matches(
            skills={"accompanying", "interpreting"},
            language_ids={Language.objects.get(code="ar").pk},
            district_id=lanstrop_district.pk,
        )
    assert [(m.name, m.score) for m in found] == [("Vera", 3), ("Nina", 1)]


@pytest.mark.parametrize(
    ("actor", "status"),
    [(None, 302), ("dan", 403), ("bob", 404), ("alice", 200), ("carla", 200)],
)
def test_matching_for_a_household_follows_the_household_scope(
    request, client, family, volunteers, actor, status
):
    user = request.getfixturevalue(actor) if actor else None
    response = client_for(client, user).get(match_url(family))
    assert response.status_code == status
    logged = AccessLog.objects.filter(subject_id=family.pk, detail="volunteer match")
    assert logged.exists() == (status == 200)


def test_matching_costs_the_same_queries_for_more_volunteers(
    alice_client, family, volunteers, lanstrop_district
):
    alice_client.get(match_url(family))
    with CaptureQueriesContext(connection) as small:
        alice_client.get(match_url(family))
    for i in range(10):
        volunteer(f"Mehr{i}", lanstrop_district, ["ar"], ["accompanying", "interpreting"])
    with CaptureQueriesContext(connection) as large:
        response = alice_client.get(match_url(family))
    assert len(names(response)) == 12
    assert len(large.captured_queries) == len(small.captured_queries)
