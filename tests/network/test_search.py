"""The directory search, case by case from a table (tests/network/search_cases.csv: the
language of the page, what a resident types, the offers they should find), on SQLite and on
PostgreSQL alike: over every language of an offer's texts, the names of its category and
target groups in every interface language, and the synonym table."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from network import search
from network.models import Offer, Organisation, SearchSynonym

from .conftest import make_offer

CASES = list(csv.reader((Path(__file__).parent / "search_cases.csv").open(encoding="utf-8")))[1:]


@pytest.fixture
def offers(juki, other_district):
    centre = Organisation.objects.create(
        name="Begegnungszentrum Nord",
        slug="begegnungszentrum",
        kind="initiative",
        district=other_district,
        status="published",
    )
    cafe = make_offer(
        centre,
        title="Sprachcafé Lanstrop",
        slug="sprachcafe",
        category="language",
        groups=("adults",),
        description="Deutsch sprechen bei Kaffee und Kuchen.",
    )
    cafe.title_en, cafe.title_ar, cafe.title_uk = (
        "Language café Lanstrop",
        "مقهى اللغة في لانستروب",
        "Мовне кафе Ланштроп",
    )
    cafe.save()
    make_offer(
        centre,
        title="Integrationskurs am Vormittag",
        slug="integrationskurs",
        category="language",
        groups=("adults",),
        description="Kurs mit Zertifikat.",
    )
    football = make_offer(
        centre,
        title="Schnuppertraining Fußball",
        slug="fussball",
        category="leisure",
        groups=("children",),
        description="Training für Kinder.",
    )
    football.title_ar = "تدريب تجريبي لكرة القدم"
    football.title_uk = "Пробне тренування з футболу"
    football.save()
    make_offer(
        centre,
        title="Frauensport",
        slug="frauensport",
        category="leisure",
        groups=("women",),
        description="Bewegung und Gymnastik.",
    )
    homework = make_offer(
        juki,
        title="Hausaufgabenhilfe im JuKi-Treff",
        slug="hausaufgaben",
        category="school",
        groups=("children",),
        description="Hilfe bei den Hausaufgaben.",
    )
    homework.description_ar = "مساعدة في الواجبات المنزلية"
    homework.description_uk = "Допомога з домашніми завданнями"
    homework.save()
    make_offer(
        centre,
        title="Wohnungssprechstunde",
        slug="wohnung",
        category="housing",
        groups=("families",),
        description="Hilfe bei der Wohnungssuche.",
    )
    search.rebuild()


def titles(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'card-title"><a href="[^"]*"[^>]*>([^<]*)</a>', html))


@pytest.mark.parametrize(
    ("language", "query", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_the_directory_finds_what_residents_type(client, offers, language, query, expected):
    response = client.get(f"/{language}/network/", {"q": query})
    assert response.status_code == 200
    found = {
        Offer.objects.get(pk=pk).title_de
        for pk in Offer.objects.filter(
            slug__in=[
                m.split("/")[-2]
                for m in re.findall(r'card-title"><a href="([^"]*)"', response.content.decode())
            ]
        ).values_list("pk", flat=True)
    }
    assert found == {t for t in expected.split("|") if t}, (language, query)


def test_a_new_synonym_finds_offers_once_the_documents_are_rebuilt(client, offers):
    assert titles(client.get("/de/network/", {"q": "Kicken"})) == set()
    SearchSynonym.objects.create(language="de", term="schnuppertraining", expansions="kicken")
    search.rebuild()
    found = {t for t in titles(client.get("/de/network/", {"q": "Kicken"}))}
    assert found == {"Schnuppertraining Fußball"}


def test_an_offer_saved_through_the_service_is_found_at_once(client, offers, juki):
    from network.services import offer_change_by_submitter

    offer = Offer.objects.get(slug="wohnung")
    data = {"title": "Wohnungssprechstunde und Schuldnerberatung"}
    offer_change_by_submitter(offer=offer, offer_data=data, build_url=lambda path: path)
    Offer.objects.filter(pk=offer.pk).update(status="published")
    assert titles(client.get("/de/network/", {"q": "Schuldnerberatung"})) == {
        "Wohnungssprechstunde und Schuldnerberatung"
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full text only")
def test_on_postgresql_the_search_reads_the_gin_index(offers):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = search.matching(Offer.objects.all(), "Sport Lanstrop").explain()
        cursor.execute("SET enable_seqscan = on")
    assert "network_offer_search_vector_gin" in plan
    assert "to_tsvector" not in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite trigram index")
def test_on_sqlite_the_search_reads_a_trigram_index_kept_in_step_with_every_change(client, offers):
    plan = search.matching(Offer.objects.all(), "Sprachcafé").explain()
    assert "network_offer_search VIRTUAL TABLE" in plan
    # parts of words as typed: three letters or more from the index, shorter ones by LIKE
    assert "Sprachcafé Lanstrop" in titles(client.get("/de/network/", {"q": "achc"}))
    assert "Sprachcafé Lanstrop" in titles(client.get("/de/network/", {"q": "fé lanstrop"}))
    assert "Sprachcafé Lanstrop" not in titles(client.get("/de/network/", {"q": "fé x"}))
    offer = Offer.objects.get(slug="sprachcafe")
    Offer.objects.filter(pk=offer.pk).update(search_document="elterncafé am dienstag")
    assert titles(client.get("/de/network/", {"q": "Elterncafé"})) == {"Sprachcafé Lanstrop"}
    assert "Sprachcafé Lanstrop" not in titles(client.get("/de/network/", {"q": "Sprachcafé"}))
    offer.delete()
    assert titles(client.get("/de/network/", {"q": "Elterncafé"})) == set()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO network_offer_search(network_offer_search) VALUES ('integrity-check')"
        )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite trigram index")
def test_on_sqlite_rebuilding_the_documents_leaves_one_merged_index(client, offers):
    for offer in Offer.objects.all():  # one transaction, one index segment each
        search.offer_index(offer_ids=[offer.pk])
    call_command("rebuild_search", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT segid) FROM network_offer_search_idx")
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            "INSERT INTO network_offer_search(network_offer_search) VALUES ('integrity-check')"
        )
    assert "Sprachcafé Lanstrop" in titles(client.get("/de/network/", {"q": "Sprachcafé"}))
