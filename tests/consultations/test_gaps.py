"""The gap analysis on a hand-made city whose gaps are known: demand from households,
(mostly anonymous) consultations and suggestions, per district × need × language, against
the offers; the same gap in the page, the CSV and the XLSX; small counts of people hidden in
the downloads, never zeros or offers."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.gaps import gap_analysis, gap_households, window_start
from consultations.models import Consultation, ConsultationTopic
from lokalwillkommen.models import AccessLog, District, Language
from network.models import Suggestion
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
    return Language.objects.get(code=code)


def household(team, district, name, needs, languages=(), **extra):
    h = make_household(team, district, name=name, needs=needs, **extra)
    h.languages.set([lang(code) for code in languages])
    return h


def consultation(office, topics, language=None, days_ago=1, household=None):
    c = Consultation.objects.create(
        office=office, held_at=timezone.now() - timedelta(days=days_ago),
        language=lang(language) if language else None, household=household,
    )
    for topic in topics:
        ConsultationTopic.objects.create(consultation=c, topic=topic)
    return c


@pytest.fixture
def city(lanstrop, lanstrop_team, other_team, lanstrop_district, other_district, hoerde,
         organisation):
    """Hörde: 5 open households needing a Kita who speak Arabic, no Kita offer there (the
    gap), plus a closed one and one whose Kita referral was taken up (not counted).
    Lanstrop: 3 Arabic-speaking households needing a Kita, covered by an offer in Arabic;
    4 anonymous consultations about language courses in Ukrainian at the Lanstrop office,
    where the language course is given in Arabic only; 2 suggestions in Arabic asking for
    leisure offers, which no one offers anywhere. Nordstadt: a household needing health
    support with no language recorded."""
    from network.models import Offer

    for i in range(5):
        household(other_team, hoerde, f"H-{i}", ["kita"], ["ar"])
    household(other_team, hoerde, "H-closed", ["kita"], ["ar"], status="closed",
              closed_at=timezone.now())
    served = household(other_team, hoerde, "H-served", ["kita"], ["ar"])
    served.referrals.create(organisation=organisation, category="kita", status="taken_up")
    for i in range(3):
        household(lanstrop_team, lanstrop_district, f"L-{i}", ["kita"], ["ar"])
    for _i in range(4):
        consultation(lanstrop, ["language"], "uk")
    consultation(lanstrop, ["language"], "uk", days_ago=800)  # before the window
    household(other_team, other_district, "N-1", ["health"])
    for _i in range(2):
        Suggestion.objects.create(text="Mehr Sport", need="leisure",
                                  district=lanstrop_district, language="ar")
    Suggestion.objects.create(text="Ohne Bedarf", district=lanstrop_district, language="de")

    def offer(slug, category, district, languages):
        o = Offer.objects.create(organisation=organisation, title=slug, slug=slug,
                                 category=category, district=district, status="published")
        o.languages.set([lang(code) for code in languages])
        return o

    offer("kita-lanstrop", "kita", lanstrop_district, ["ar", "de"])
    offer("sprachkurs", "language", lanstrop_district, ["ar"])
    offer("gesundheit-lanstrop", "health", lanstrop_district, ["de"])


def find(analysis, district, need, language):
    return next(
        c for c in analysis.cells
        if (c.district_name, c.need, c.language_code) == (district, need, language)
    )


def test_the_hand_made_gap_comes_first(city, carla):
    analysis = gap_analysis(carla)
    gap = analysis.gaps[0]
    assert (gap.district_name, gap.need, gap.language_code) == ("Hörde", "kita", "ar")
    assert (gap.households, gap.consultations, gap.suggestions, gap.offers) == (5, 0, 0, 0)
    assert gap.is_gap


def test_anonymous_consultations_and_suggestions_count_as_demand(city, carla):
    analysis = gap_analysis(carla)
    language = find(analysis, "Lanstrop", "language", "uk")
    assert (language.consultations, language.offers, language.offers_in_district) == (4, 0, 1)
    assert language.is_gap
    leisure = find(analysis, "Lanstrop", "leisure", "ar")
    assert (leisure.suggestions, leisure.is_gap) == (2, True)
    assert analysis.needs_without_offer == ["leisure"]
    covered = find(analysis, "Lanstrop", "kita", "ar")
    assert (covered.households, covered.offers, covered.is_gap) == (3, 1, False)


def test_demand_without_a_recorded_language_is_a_gap_only_without_any_offer(city, carla):
    health = next(c for c in gap_analysis(carla).cells if c.need == "health" and c.demand)
    assert (health.district_name, health.language_code, health.is_gap) == ("Nordstadt", "", True)


def test_offers_next_door_are_shown_but_do_not_close_the_gap(
    city, carla, hoerde, lanstrop_district
):
    hoerde.neighbours.add(lanstrop_district)
    gap = find(gap_analysis(carla), "Hörde", "kita", "ar")
    assert (gap.offers_nearby, gap.is_gap) == (1, True)


def test_staff_see_the_demand_of_their_teams_and_the_city_wide_suggestions(city, alice, bob):
    alice_cells = {(c.district_name, c.need, c.language_code) for c in gap_analysis(alice).gaps}
    assert ("Hörde", "kita", "ar") not in alice_cells
    assert {("Lanstrop", "language", "uk"), ("Lanstrop", "leisure", "ar")} <= alice_cells
    bob_cells = {(c.district_name, c.need, c.language_code) for c in gap_analysis(bob).gaps}
    assert ("Hörde", "kita", "ar") in bob_cells and ("Lanstrop", "language", "uk") not in bob_cells


def gap_row(html, *cells):
    table = html.split('class="table table-sm align-middle gap-table"')[1].split("</table>")[0]
    rows = table.split("<tr")
    return next(row for row in rows if all(f">{cell}<" in row for cell in cells))


def test_the_page_shows_the_hand_made_gap_in_the_table_and_the_heat_map(city, carla_client):
    response = carla_client.get(reverse("consultations-gaps"))
    assert response.status_code == 200
    html = response.content.decode()
    row = gap_row(html, "Hörde", "Kita place and childcare", "Arabic")
    assert 'aria-label="5 open households in Hörde with the need Kita place and childcare"' in row
    assert "/staff/volunteers/match/?need=kita&amp;languages=ar&amp;district=hoerde" in row
    heat = response.context["analysis"].heat
    hoerde_row = next(r for r in heat if r.district_name == "Hörde")
    kita = next(c for c in hoerde_row.cells if c.need == "kita")
    assert (kita.demand, kita.offers, kita.no_offer, kita.level) == (5, 0, True, 5)
    assert "Needs with no matching offer anywhere in the city" in html
    arabic = carla_client.get(reverse("consultations-gaps"), {"language": "uk"})
    lanstrop_row = next(r for r in arabic.context["analysis"].heat
                        if r.district_name == "Lanstrop")
    language = next(c for c in lanstrop_row.cells if c.need == "language")
    assert (language.demand, language.offers) == (4, 0)


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_shows_the_same_gap_with_semicolons_and_a_byte_order_mark(city, carla_client):
    table = read_csv(carla_client.get(reverse("consultations-gaps-csv")))
    assert table[0][:4] == ["District", "Need", "Language", "Open households"]
    assert table[1] == ["Hörde", "Kita place and childcare", "Arabic", "5", "0", "0", "0", "0",
                        "0", "yes"]


def test_the_csv_hides_one_or_two_people_but_never_zeros_or_offers(city, carla_client):
    rows = {tuple(row[:3]): row for row in read_csv(carla_client.get(
        reverse("consultations-gaps-csv")))[1:]}
    leisure = rows[("Lanstrop", "Leisure, sports and clubs", "Arabic")]
    assert leisure[3:6] == ["0", "0", "fewer than 3"]
    health = rows[("Nordstadt", "Health", "not recorded")]
    assert health[3] == "fewer than 3" and health[-1] == "yes"
    kita = rows[("Lanstrop", "Kita place and childcare", "Arabic")]
    assert kita[6:8] == ["1", "1"] and kita[-1] == "no"
    assert "(1)" not in str(rows) and "(2)" not in str(rows)


def test_the_xlsx_holds_the_same_gap_as_numbers(city, carla_client):
    from openpyxl import load_workbook

    response = carla_client.get(reverse("consultations-gaps-xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "District"
    assert rows[1] == ["Hörde", "Kita place and childcare", "Arabic", 5, 0, 0, 0, 0, 0, "yes"]


def test_the_quarterly_trend_counts_the_demand_of_each_quarter(city, carla):
    analysis = gap_analysis(carla)
    assert len(analysis.trend) == 5
    assert analysis.trend[0].quarter == window_start(timezone.localdate())
    current = analysis.trend[-1]
    recent = {
        "households": current.households, "consultations": current.consultations,
        "suggestions": current.suggestions,
    }
    yesterday = timezone.localdate() - timedelta(days=1)
    if yesterday >= current.quarter:  # the consultations of yesterday are in this quarter
        assert recent == {"households": 11, "consultations": 4, "suggestions": 2}
        assert current.by_need["language"] == 4 and current.by_need["kita"] == 10
    assert sum(row.consultations for row in analysis.trend) == 4  # not the one 800 days ago


def test_the_households_behind_a_gap_with_its_language(city, carla, alice, hoerde):
    found = gap_households(carla, district=hoerde, need="kita", language_id=lang("ar").pk)
    assert sorted(h.contact_name for h in found) == [f"H-{i}" for i in range(5)]
    assert not gap_households(alice, district=hoerde, need="kita").exists()


@pytest.mark.parametrize(
    ("actor", "status", "count"),
    [(None, 302, None), ("dan", 403, None), ("alice", 200, 0), ("bob", 200, 5), ("carla", 200, 5)],
)
def test_gap_household_list_access_and_log(request, client, city, actor, status, count):
    user = request.getfixturevalue(actor) if actor else None
    url = reverse("consultations-gap-households")
    response = client_for(client, user).get(
        url, {"district": "hoerde", "need": "kita", "language": "ar"}
    )
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


def test_the_gap_page_costs_a_fixed_number_of_queries(
    city, carla_client, lanstrop, lanstrop_team, lanstrop_district
):
    urls = [reverse("consultations-gaps"), reverse("consultations-gaps-csv")]
    counts = []
    for url in urls:
        carla_client.get(url)
        with CaptureQueriesContext(connection) as small:
            carla_client.get(url)
        counts.append(len(small.captured_queries))
    for i in range(20):
        household(lanstrop_team, lanstrop_district, f"more-{i}", ["school", "other"], ["fa"])
        consultation(lanstrop, ["work", "health"], "ti")
        Suggestion.objects.create(text="x", need="housing", language="uk")
    for url, count in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as large:
            assert carla_client.get(url).status_code == 200
        assert len(large.captured_queries) == count, url
