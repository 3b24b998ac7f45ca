"""The gap analysis on a constructed city whose gaps are known."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consultations.gaps import gap_analysis, gap_households, needs_without_offer
from lokalwillkommen.models import AccessLog, District, Language
from tests.conftest import client_for
from tests.consultations.conftest import make_household


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def hoerde(db):
    return District.objects.get_or_create(slug="hoerde", defaults={"name": "Hörde"})[0]


def lang(code):
    return Language.objects.get_or_create(code=code, defaults={"name": code})[0]


def household(team, district, name, needs, languages=(), **extra):
    h = make_household(team, district, name=name, needs=needs, **extra)
    h.languages.set([lang(code) for code in languages])
    return h


@pytest.fixture
def city(lanstrop_team, other_team, lanstrop_district, other_district, hoerde, organisation):
    """Lanstrop: kita covered (offer in Arabic), language course offered in Arabic only
    (two Ukrainian-speaking households uncovered), one health need. Nordstadt: three open
    kita households and no kita offer there. Hörde: four health needs; no current health offer
    anywhere in the city."""
    from network.models import Offer, Organisation

    ar, de = lang("ar"), lang("de")
    a = lanstrop_team, lanstrop_district
    for i in range(3):
        household(*a, f"A-kita-{i}", ["kita"], ["ar"])
    household(*a, "A-lang-0", ["language"], ["uk"])
    household(*a, "A-lang-1", ["language"], ["uk", "de"])
    household(*a, "A-lang-2", ["language"], ["ar"])
    household(*a, "A-health", ["health"], ["ar"])
    b = other_team, other_district
    household(*b, "B-1", ["kita"], ["ar"])
    contacted = household(*b, "B-2", ["kita"])
    taken_up = household(*b, "B-3", ["kita"])
    household(*b, "B-4", ["kita"], status="closed", closed_at=timezone.now())
    work_taken_up = household(*b, "B-5", ["kita", "work"])
    for h, category, status in [
        (contacted, "kita", "contacted"),
        (taken_up, "kita", "taken_up"),
        (work_taken_up, "work", "taken_up"),
    ]:
        h.referrals.create(organisation=organisation, category=category, status=status)
    for i in range(4):
        household(other_team, hoerde, f"C-{i}", ["health"], ["ar"])

    def offer(slug, category, district, languages, org=organisation, **extra):
        o = Offer.objects.create(
            organisation=org,
            title=slug,
            slug=slug,
            category=category,
            district=district,
            status=extra.pop("status", "published"),
            **extra,
        )
        o.languages.set(languages)
        return o

    offer("kita-a", "kita", lanstrop_district, [de, ar])
    offer("lang-a", "language", lanstrop_district, [ar])
    offer("work-a", "work", lanstrop_district, [de])
    yesterday = timezone.localdate() - timedelta(days=1)
    offer("health-old", "health", hoerde, [ar], valid_until=yesterday)
    offer("health-new", "health", hoerde, [ar], status="submitted")
    hidden = Organisation.objects.create(
        kind="other",
        name="Unpublished",
        slug="unpublished",
        district=other_district,
        status="submitted",
    )
    offer("kita-b", "kita", other_district, [ar], org=hidden)


def rows(gaps):
    return [(g.district_name, g.need, g.households, g.offers, g.size) for g in gaps]


def test_the_known_gaps_are_found_in_order(city, carla):
    gaps = gap_analysis(carla)
    assert rows(gaps) == [
        ("Hörde", "health", 4, 0, 4),
        ("Lanstrop", "health", 1, 0, 1),
        ("Nordstadt", "kita", 3, 0, 3),
        ("Lanstrop", "language", 3, 1, 2),
        ("Lanstrop", "kita", 3, 1, 0),
    ]
    assert [g.is_gap for g in gaps] == [True, True, True, True, False]
    assert [g.no_offer_in_city for g in gaps] == [True, True, False, False, False]
    assert needs_without_offer(gaps) == ["health"]


def test_languages_of_households_against_languages_of_offers(city, carla):
    language = next(g for g in gap_analysis(carla) if g.need == "language")
    names = dict(Language.objects.values_list("code", "name"))
    ar, de, uk = names["ar"], names["de"], names["uk"]
    assert language.household_languages == sorted(
        [(uk, 2), (ar, 1), (de, 1)], key=lambda x: (-x[1], x[0])
    )
    assert language.offer_languages == [ar]
    assert set(language.missing_languages) == {(uk, 2), (de, 1)}
    assert language.unserved_in_language == 2
    kita = next(g for g in gap_analysis(carla) if g.need == "kita" and g.offers)
    assert kita.missing_languages == []


def test_staff_see_the_gaps_of_their_teams_households(city, alice, bob):
    assert [(g.district_name, g.need) for g in gap_analysis(bob)] == [
        ("Hörde", "health"),
        ("Nordstadt", "kita"),
    ]
    assert [(g.district_name, g.need) for g in gap_analysis(alice)] == [
        ("Lanstrop", "health"),
        ("Lanstrop", "language"),
        ("Lanstrop", "kita"),
    ]


def test_the_households_behind_a_figure(city, carla, alice, other_district):
    names = {h.contact_name for h in gap_households(carla, district=other_district, need="kita")}
    assert names == {"B-1", "B-2", "B-5"}
    assert not gap_households(alice, district=other_district, need="kita").exists()


def test_the_gap_page_highlights_gaps(city, carla_client):
    response = carla_client.get(reverse("consultations-gaps"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="gap-highlight"') == 4
    assert "Needs with no matching offer anywhere in the city" in html
    assert html.index("Hörde") < html.index("Nordstadt")


@pytest.mark.parametrize(
    ("actor", "status", "count"),
    [(None, 302, None), ("dan", 403, None), ("alice", 200, 0), ("bob", 200, 3), ("carla", 200, 3)],
)
def test_gap_household_list_access_and_log(request, client, city, actor, status, count):
    user = request.getfixturevalue(actor) if actor else None
    url = reverse("consultations-gap-households")
    response = client_for(client, user).get(url, {"district": "nordstadt", "need": "kita"})
    assert response.status_code == status
    if count is None:
        assert not AccessLog.objects.exists()
        return
    assert response.context["page"].paginator.count == count
    logged = AccessLog.objects.filter(username=user.username, action="view")
    assert logged.count() == count
    assert set(logged.values_list("subject_label", flat=True)) == {
        h.reference for h in response.context["page"]
    }


@pytest.mark.parametrize(
    "query",
    [{"district": "nowhere", "need": "kita"}, {"district": "nordstadt", "need": "magic"}, {}],
)
def test_gap_household_list_with_bad_parameters_is_not_found(carla_client, city, query):
    response = carla_client.get(reverse("consultations-gap-households"), query)
    assert response.status_code == 404


def test_the_gap_csv_writes_small_counts_as_fewer_than_3(city, carla_client):
    response = carla_client.get(reverse("consultations-gaps-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:4] == ["District", "Need", "Open households", "Offers"]
    assert table[1][:4] == ["Hörde", "Health", "4", "fewer than 3"]
    assert table[2][:4] == ["Lanstrop", "Health", "fewer than 3", "fewer than 3"]
    assert table[4][4].count("(fewer than 3)") == 3
    counts = [cell for row in table[1:] for cell in row[2:4]]
    assert not {"0", "1", "2"} & set(counts)
    assert "(1)" not in response.content.decode() and "(2)" not in response.content.decode()


def test_the_gap_page_costs_a_fixed_number_of_queries(
    city, carla_client, lanstrop_team, lanstrop_district, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("consultations-gaps")
    carla_client.get(url)
    with CaptureQueriesContext(connection) as small:
        carla_client.get(url)
    for i in range(20):
        household(lanstrop_team, lanstrop_district, f"more-{i}", ["school", "other"], ["fa"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert carla_client.get(url).status_code == 200
