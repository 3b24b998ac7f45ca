import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import Offer, Organisation

from .conftest import make_offer

pytestmark = pytest.mark.django_db


def titles(response):
    """The titles of the cards on the page, as a visitor reads them."""
    html = response.content.decode()
    return set(re.findall(r'<h3 class="h5 card-title"><a href="[^"]*"[^>]*>([^<]*)</a>', html))


def test_directory_lists_published_current_offers_only(client, juki, homework):
    make_offer(juki, title="Waiting offer", slug="waiting", status="submitted")
    make_offer(
        juki, title="Rejected offer", slug="rejected", status="rejected", rejection_reason="no"
    )
    make_offer(
        juki, title="Old offer", slug="old", valid_until=timezone.localdate() - timedelta(days=1)
    )
    response = client.get(reverse("network-directory"))
    assert response.status_code == 200
    assert titles(response) == {"Hausaufgabenhilfe"}


def test_directory_filters_by_category_language_district_and_target_group(
    client, juki, homework, other_district
):
    make_offer(
        juki,
        title="Sprachcafe",
        slug="sprachcafe",
        category="language",
        languages=("uk",),
        groups=("adults",),
        district=other_district,
    )
    url = reverse("network-directory")
    assert titles(client.get(url, {"category": "school"})) == {"Hausaufgabenhilfe"}
    assert titles(client.get(url, {"language": "uk"})) == {"Sprachcafe"}
    assert titles(client.get(url, {"district": "nordstadt"})) == {"Sprachcafe"}
    assert titles(client.get(url, {"target_group": "children"})) == {"Hausaufgabenhilfe"}
    assert titles(client.get(url, {"kind": "sports_club"})) == set()
    assert titles(client.get(url)) == {"Hausaufgabenhilfe", "Sprachcafe"}


def test_directory_search_finds_words_in_title_and_organisation(client, juki, homework):
    url = reverse("network-directory")
    assert titles(client.get(url, {"q": "Hausaufgabenhilfe"})) == {"Hausaufgabenhilfe"}
    assert titles(client.get(url, {"q": "JuKi"})) == {"Hausaufgabenhilfe"}
    assert titles(client.get(url, {"q": "Schwimmen"})) == set()


def test_directory_shows_organisations(client, juki):
    response = client.get(reverse("network-directory"), {"show": "organisations"})
    assert "JuKi-Treff Lanstrop" in response.content.decode()


def test_directory_in_arabic(client, juki, homework):
    response = client.get("/ar/network/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_directory_query_count_does_not_grow(client, juki, django_assert_max_num_queries):
    for n in range(3):
        make_offer(juki, title=f"Offer {n}", slug=f"offer-{n}")
    url = reverse("network-directory")
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for n in range(3, 40):
        make_offer(juki, title=f"Offer {n}", slug=f"offer-{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 40
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"show": "organisations", "page": "2"})


def test_offer_and_organisation_pages(client, juki, homework):
    response = client.get(reverse("network-offer", args=[homework.slug]))
    assert response.status_code == 200
    assert "JuKi-Treff Lanstrop" in response.content.decode()
    response = client.get(reverse("network-organisation", args=[juki.slug]))
    assert "Hausaufgabenhilfe" in response.content.decode()


def test_unpublished_offer_and_organisation_are_not_found(client, lanstrop_district):
    org = Organisation.objects.create(
        name="Waiting", slug="waiting", kind="other", district=lanstrop_district
    )
    offer = make_offer(org, title="Hidden", slug="hidden", status=Offer.Status.SUBMITTED)
    assert client.get(reverse("network-offer", args=[offer.slug])).status_code == 404
    assert client.get(reverse("network-organisation", args=[org.slug])).status_code == 404


def test_bad_filter_values_do_not_break_the_directory(client, homework):
    response = client.get(reverse("network-directory"), {"district": "nowhere", "page": "x"})
    assert response.status_code == 200
