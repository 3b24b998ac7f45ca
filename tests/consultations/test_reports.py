"""The report for the city: every figure reconciles with the records it counts, exports show
small counts only as "fewer than 3", the page costs a fixed number of queries, and staff see
only their teams' numbers."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consultations import reports
from consultations.models import (
    Consultation,
    ConsultationTopic,
    HomeVisit,
    Household,
    Referral,
)
from consultations.reports import Period
from tests.conftest import client_for
from tests.consultations.conftest import make_household

Q1 = Period.quarter(2026, 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


QUERY_Q1 = {"period": "quarter", "year": 2026, "quarter": 1}


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def household_in(team, district, *, created: date, **extra):
    household = make_household(team, district, **extra)
    Household.objects.filter(pk=household.pk).update(created_at=at(created))
    return household


def consultation(
    office, held: date, *, topics=(), language=None, interpreter=False, household=None
):
    c = Consultation.objects.create(
        office=office,
        held_at=at(held),
        language=language,
        interpreter_needed=interpreter,
        household=household,
    )
    ConsultationTopic.objects.bulk_create(
        [ConsultationTopic(consultation=c, topic=t) for t in topics]
    )
    return c


def referral(household, organisation, category, status, created: date):
    r = Referral.objects.create(
        household=household, organisation=organisation, category=category, status=status,
        outcome_reason="full" if status == "not_taken_up" else "",
    )
    Referral.objects.filter(pk=r.pk).update(created_at=at(created))
    return r


@pytest.fixture
def nord_office(other_team, other_district):
    from offices.models import Office

    return Office.objects.create(
        name="lokal willkommen Nordstadt",
        slug="nordstadt",
        team=other_team,
        street="Nordstraße 1",
        postcode="44145",
        district=other_district,
    )


@pytest.fixture
def city(
    lanstrop,
    nord_office,
    lanstrop_team,
    other_team,
    lanstrop_district,
    other_district,
    organisation,
    offer,
):
    """Known records inside and outside the first quarter of 2026, in two teams."""
    from lokalwillkommen.models import Language
    from network.models import Offer, VolunteerRegistration

    arabic = Language.objects.get_or_create(code="ar", defaults={"name": "Arabisch"})[0]
    ukrainian = Language.objects.get_or_create(code="uk", defaults={"name": "Ukrainisch"})[0]
    # households: 4 in Lanstrop (team A) in Q1, 1 in Nordstadt (team B) in Q1, 1 outside Q1
    lan = [
        household_in(lanstrop_team, lanstrop_district, created=date(2026, 1, 5 + i), name=f"L{i}")
        for i in range(4)
    ]
    nord = household_in(other_team, other_district, created=date(2026, 3, 31), name="N")
    household_in(lanstrop_team, lanstrop_district, created=date(2026, 4, 1), name="later")
    # visits: team A done 3, missed 1 in Q1; planned 1 (not counted); team B done 1; 1 in Q2
    for i, status in enumerate(["done", "done", "done", "missed", "planned"]):
        HomeVisit.objects.create(
            household=lan[i % 4], status=status, scheduled_at=at(date(2026, 2, 1 + i))
        )
    HomeVisit.objects.create(household=nord, status="done", scheduled_at=at(date(2026, 3, 1)))
    HomeVisit.objects.create(household=lan[0], status="done", scheduled_at=at(date(2026, 4, 2)))
    # consultations: Lanstrop 3 (arabic ×2 with interpreter, 1 none), Nordstadt 1, 1 in Q2
    consultation(
        lanstrop,
        date(2026, 1, 8),
        topics=["kita", "school"],
        language=arabic,
        interpreter=True,
        household=lan[0],
    )
    consultation(lanstrop, date(2026, 1, 15), topics=["kita"], language=arabic, interpreter=True)
    consultation(lanstrop, date(2026, 3, 31), topics=["work"])
    consultation(nord_office, date(2026, 2, 12), topics=["housing"], language=ukrainian)
    consultation(lanstrop, date(2026, 4, 2), topics=["kita"], language=arabic)
    # referrals: kita 3 (2 taken up), work 1 (not taken up) in team A; housing 1 in team B
    referral(lan[0], organisation, "kita", "taken_up", date(2026, 1, 9))
    referral(lan[1], organisation, "kita", "taken_up", date(2026, 1, 10))
    referral(lan[2], organisation, "kita", "contacted", date(2026, 2, 10))
    referral(lan[3], organisation, "work", "not_taken_up", date(2026, 3, 10))
    referral(nord, organisation, "housing", "taken_up", date(2026, 3, 10))
    referral(lan[0], organisation, "kita", "taken_up", date(2026, 5, 1))
    # volunteers: 2 new, 1 active registered before the end of Q1; 1 registered later
    for status, created in [
        ("new", date(2026, 1, 2)),
        ("new", date(2025, 6, 1)),
        ("active", date(2026, 2, 2)),
        ("active", date(2026, 6, 1)),
    ]:
        v = VolunteerRegistration.objects.create(
            name="V", email="v@example.org", status=status, consent_at=timezone.now()
        )
        VolunteerRegistration.objects.filter(pk=v.pk).update(created=at(created))
    # offers: the fixture's kita offer (no dates), one expired before Q1, one unpublished
    Offer.objects.create(
        organisation=organisation,
        title="Alt",
        slug="alt",
        category="kita",
        district=lanstrop_district,
        status="published",
        valid_from=date(2025, 1, 1),
        valid_until=date(2025, 12, 31),
    )
    Offer.objects.create(
        organisation=organisation,
        title="Neu",
        slug="neu",
        category="school",
        district=lanstrop_district,
        status="submitted",
    )
    Offer.objects.create(
        organisation=organisation,
        title="Sprachcafé",
        slug="cafe",
        category="language",
        district=lanstrop_district,
        status="published",
        valid_until=date(2026, 2, 1),
    )
    return {"lanstrop": lan, "nord": nord}


def figures(user, period=Q1, **scope):
    return {
        t.slug: {str(r.label): r.counts for r in t.rows}
        for t in reports.report(user, period, **scope)
    }


def test_every_figure_reconciles_with_the_records_for_a_coordinator(city, carla):
    f = figures(carla)
    assert f["households"] == {"Lanstrop": [4], "Nordstadt": [1]}
    assert f["visits"] == {"done": [4], "missed": [1]}
    assert f["topics"]["Kita place and childcare"] == [2]
    assert f["topics"]["School and homework help"] == [1]
    assert f["topics"]["Work and Jobcenter"] == [1]
    assert f["topics"]["Housing"] == [1]
    assert sum(c[0] for c in f["topics"].values()) == 5
    from lokalwillkommen.models import Language

    names = dict(Language.objects.values_list("code", "name"))
    assert f["languages"] == {names["ar"]: [2], "not recorded": [1], names["uk"]: [1]}
    assert f["offices"] == {"lokal willkommen Lanstrop": [3], "lokal willkommen Nordstadt": [1]}
    assert f["interpreter"] == {"interpreter needed": [2], "no interpreter needed": [2]}
    assert f["referrals"]["Kita place and childcare"] == [3, 2]
    assert f["referrals"]["Work and Jobcenter"] == [1, 0]
    assert f["referrals"]["Housing"] == [1, 1]
    assert f["volunteers"] == {"new": [2], "contacted": [0], "active": [1], "inactive": [0]}
    assert f["offers"]["Kita place and childcare"] == [1]
    assert f["offers"]["Language course and language café"] == [1]
    assert f["offers"]["School and homework help"] == [0]


def test_the_figures_match_independent_counts_of_the_records(city, carla):
    start, end = Q1.bounds()
    tables = {t.slug: t for t in reports.report(carla, Q1)}
    assert tables["households"].total == [
        Household.objects.filter(created_at__gte=start, created_at__lt=end).count()
    ]
    assert tables["interpreter"].total == [
        Consultation.objects.filter(held_at__gte=start, held_at__lt=end).count()
    ]
    assert tables["referrals"].total == [
        Referral.objects.filter(created_at__gte=start, created_at__lt=end).count(),
        Referral.objects.filter(
            created_at__gte=start, created_at__lt=end, status="taken_up"
        ).count(),
    ]


def test_staff_see_only_their_teams_numbers(city, alice, bob):
    a = figures(alice)
    assert a["households"] == {"Lanstrop": [4]}
    assert a["visits"] == {"done": [3], "missed": [1]}
    assert a["offices"] == {"lokal willkommen Lanstrop": [3]}
    assert a["referrals"]["Housing"] == [0, 0]
    b = figures(bob)
    assert b["households"] == {"Nordstadt": [1]}
    assert b["visits"] == {"done": [1], "missed": [0]}
    assert b["offices"] == {"lokal willkommen Nordstadt": [1]}
    assert b["referrals"]["Kita place and childcare"] == [0, 0]
    assert b["referrals"]["Housing"] == [1, 1]


def test_a_team_or_office_narrows_the_report(city, carla, other_team, lanstrop):
    f = figures(carla, team=other_team)
    assert f["households"] == {"Nordstadt": [1]}
    assert f["offices"] == {"lokal willkommen Nordstadt": [1]}
    f = figures(carla, office=lanstrop)
    assert f["offices"] == {"lokal willkommen Lanstrop": [3]}
    assert f["households"] == {"Lanstrop": [4]}


def test_periods_are_whole_local_days():
    assert Period.month(2026, 2) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert Period.quarter(2026, 4) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert Period.year(2024) == Period(date(2024, 1, 1), date(2024, 12, 31))
    start, end = Period.month(2026, 3).bounds()
    utc = timezone.get_fixed_timezone(0)
    # summer time begins on 29 March: March has an hour less
    assert end.astimezone(utc) - start.astimezone(utc) == timedelta(days=31, hours=-1)


def test_a_month_and_a_range_count_their_own_days(city, carla):
    assert figures(carla, Period.month(2026, 3))["households"] == {"Nordstadt": [1]}
    f = figures(carla, Period(date(2026, 1, 5), date(2026, 1, 6)))
    assert f["households"] == {"Lanstrop": [2]}


# Pages -------------------------------------------------------------------------------------


def test_the_report_page_shows_charts_and_tables(city, carla_client):
    response = carla_client.get(reverse("consultations-reports"), QUERY_Q1)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == len(reports.TABLE_SLUGS)
    assert 'class="chart-bar"' in html
    assert "style=" not in html.split("<main", 1)[1]
    assert "<script>" not in html
    assert response.context["tables"][0]["table"].rows[0].counts == [4]


def test_the_report_defaults_to_the_current_quarter(city, carla_client):
    response = carla_client.get(reverse("consultations-reports"))
    assert response.status_code == 200
    assert response.context["period"] == Period.current_quarter()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period": "month", "year": 2026}, "month"),
        ({"period": "quarter", "year": 2026, "quarter": 5}, "quarter"),
        ({"period": "range", "date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_to"),
        ({"period": "range", "date_from": "2026-03-01"}, "date_to"),
        ({"period": "range", "date_from": "2010-01-01", "date_to": "2026-01-01"}, "date_to"),
        ({"period": "year", "year": "abc"}, "year"),
        ({"period": "week"}, "period"),
    ],
)
def test_a_bad_period_is_answered_with_a_message(carla_client, data, field):
    response = carla_client.get(reverse("consultations-reports"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_period_errors_are_translated(carla_client):
    response = carla_client.get(
        "/de" + reverse("consultations-reports")[3:],
        {"period": "range", "date_from": "2026-03-01", "date_to": "2026-02-01"},
    )
    assert "Der letzte Tag kann nicht vor dem ersten Tag liegen." in response.content.decode()


def test_staff_cannot_choose_another_teams_office(alice_client, nord_office):
    response = alice_client.get(
        reverse("consultations-reports"), {**QUERY_Q1, "office": nord_office.slug}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("actor", [None, "dan", "bob", "alice", "carla"])
@pytest.mark.parametrize("name", ["consultations-reports", "consultations-gaps"])
def test_report_access(request, client, actor, name, city):
    user = request.getfixturevalue(actor) if actor else None
    response = client_for(client, user).get(reverse(name), QUERY_Q1)
    if actor is None:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    elif actor == "dan":
        assert response.status_code == 403
    else:
        assert response.status_code == 200


def test_csv_access(client, dan, city):
    url = reverse("consultations-reports-csv", args=["households"])
    assert client.get(url, QUERY_Q1).status_code == 302
    assert client_for(client, dan).get(url, QUERY_Q1).status_code == 403


# Exports -----------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # UTF-8 byte order mark
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("slug", reports.TABLE_SLUGS)
def test_every_csv_writes_counts_of_one_or_two_people_as_fewer_than_3(city, carla_client, slug):
    response = carla_client.get(reverse("consultations-reports-csv", args=[slug]), QUERY_Q1)
    rows = read_csv(response)
    table = reports.report_table(response.wsgi_request.user, Q1, slug)
    assert len(rows) == len(table.rows) + 1
    for row, source in zip(rows[1:], table.rows, strict=True):
        for cell, n in zip(row[1:], source.counts, strict=True):
            if table.people and 0 < n < 3:
                assert cell == "fewer than 3"
            else:  # zeros, larger counts and numbers of offers as they are
                assert cell == str(n)
    cells = [cell for row in rows[1:] for cell in row[1:]]
    if table.people:
        assert not {"1", "2"} & set(cells)


def test_offer_counts_and_zeros_are_never_hidden(city, carla_client):
    rows = read_csv(carla_client.get(reverse("consultations-reports-csv", args=["offers"]),
                                     QUERY_Q1))
    offers = dict(rows[1:])
    assert offers["Kita place and childcare"] == "1"
    assert offers["Housing"] == "0"


def test_a_report_table_downloads_as_xlsx(city, carla_client):
    from openpyxl import load_workbook

    response = carla_client.get(reverse("consultations-reports-xlsx", args=["households"]),
                                QUERY_Q1)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["District", "Households"], ["Lanstrop", 4], ["Nordstadt", "fewer than 3"]
    ]


def test_csv_shows_counts_of_three_and_more(city, carla_client):
    rows = read_csv(
        carla_client.get(reverse("consultations-reports-csv", args=["households"]), QUERY_Q1)
    )
    assert rows[1:] == [["Lanstrop", "4"], ["Nordstadt", "fewer than 3"]]


def test_csv_small_count_is_translated(city, carla_client):
    url = "/de" + reverse("consultations-reports-csv", args=["households"])[3:]
    rows = read_csv(carla_client.get(url, QUERY_Q1))
    assert rows[0] == ["Stadtteil", "Haushalte"]
    assert rows[2] == ["Nordstadt", "weniger als 3"]


def test_an_unknown_table_is_not_found(carla_client):
    url = reverse("consultations-reports-csv", args=["nothing"])
    assert carla_client.get(url, QUERY_Q1).status_code == 404


def test_a_bad_period_csv_is_refused(carla_client):
    url = reverse("consultations-reports-csv", args=["households"])
    assert carla_client.get(url, {"period": "month"}).status_code == 400


# Queries -----------------------------------------------------------------------------------


def more_records(lanstrop_team, lanstrop_district, lanstrop, organisation, n):
    for i in range(n):
        h = household_in(
            lanstrop_team,
            lanstrop_district,
            created=date(2026, 2, 1 + i % 20),
            name=f"X{i}",
            needs=["kita", "health"],
        )
        HomeVisit.objects.create(household=h, status="done", scheduled_at=at(date(2026, 2, 3)))
        consultation(lanstrop, date(2026, 2, 4), topics=["kita", "health"], household=h)
        referral(h, organisation, "health", "contacted", date(2026, 2, 5))


@pytest.mark.parametrize("actor", ["alice", "carla"])
def test_the_report_page_costs_the_same_queries_at_any_size(
    request,
    client,
    city,
    actor,
    lanstrop_team,
    lanstrop_district,
    lanstrop,
    organisation,
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = request.getfixturevalue(actor)
    client = client_for(client, user)
    url = reverse("consultations-reports")
    client.get(url, QUERY_Q1)  # warm up sessions and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, QUERY_Q1).status_code == 200
    more_records(lanstrop_team, lanstrop_district, lanstrop, organisation, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, QUERY_Q1).status_code == 200
    assert len(small.captured_queries) <= 25


def test_staff_csv_holds_only_their_teams_numbers(city, bob):
    from django.test import Client

    client = client_for(Client(), bob)
    rows = read_csv(client.get(reverse("consultations-reports-csv", args=["households"]), QUERY_Q1))
    assert rows[1:] == [["Nordstadt", "fewer than 3"]]


def test_csv_cells_that_look_like_formulas_are_quoted(city, carla_client, lanstrop_district):
    lanstrop_district.name = "=HYPERLINK(1)"
    lanstrop_district.save()
    rows = read_csv(
        carla_client.get(reverse("consultations-reports-csv", args=["households"]), QUERY_Q1)
    )
    assert ["'=HYPERLINK(1)", "4"] in rows


def test_languages_are_named_in_the_readers_language(carla_client, lanstrop, alice):
    from lokalwillkommen.models import Language

    Consultation.objects.create(
        office=lanstrop, staff=alice, language=Language.objects.get(code="ar"),
        held_at=timezone.make_aware(datetime(2026, 11, 5, 9, 0)), duration_minutes=15,
    )
    query = {"period": "month", "year": "2026", "month": "11"}
    page = carla_client.get("/de/staff/reports/", query).content.decode()
    assert "Arabisch" in page and ">Arabic<" not in page
