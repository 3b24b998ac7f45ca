"""Referral suggestions ranked by need, language, district and neighbouring districts, with
their reasons; the outcome "not taken up" needs a reason."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.matching import offer_suggestions, organisation_choices
from consultations.models import Referral
from lokalwillkommen.models import District, Language
from tests.consultations.conftest import form_token


@pytest.fixture(autouse=True)
def _german():
    """The pages are asked for in German (a test before may have left another language
    active in this thread)."""
    with translation.override("de"):
        yield


@pytest.fixture
def scharnhorst(lanstrop_district):
    district = District.objects.create(slug="scharnhorst", name="Scharnhorst")
    lanstrop_district.neighbours.add(district)
    return district


@pytest.fixture
def hoerde(db):
    return District.objects.get_or_create(slug="hoerde", defaults={"name": "Hörde"})[0]


def lang(code):
    return Language.objects.get(code=code)


@pytest.fixture
def network(organisation, lanstrop_district, scharnhorst, hoerde, other_district):
    from network.models import Offer, Organisation

    far = Organisation.objects.create(kind="school", name="Schule Nord", slug="schule-nord",
                                      district=other_district, status="published")
    next_door = Organisation.objects.create(
        kind="kita", name="Kita Scharnhorst", slug="kita-scharnhorst", district=scharnhorst,
        status="published",
    )
    next_door.languages.set([lang("ar")])

    def offer(slug, category, district, languages, org=organisation, **extra):
        o = Offer.objects.create(organisation=org, title=slug, slug=slug, category=category,
                                 district=district, status=extra.pop("status", "published"),
                                 **extra)
        o.languages.set([lang(code) for code in languages])
        return o

    return {
        "kita-lanstrop-de": offer("kita-lanstrop-de", "kita", lanstrop_district, ["de"]),
        "kita-scharnhorst-ar": offer("kita-scharnhorst-ar", "kita", scharnhorst, ["ar", "de"],
                                     org=next_door),
        "kita-lanstrop-ar": offer("kita-lanstrop-ar", "kita", lanstrop_district, ["ar"]),
        "kita-hoerde-ar": offer("kita-hoerde-ar", "kita", hoerde, ["ar"]),
        "school-nord-de": offer("school-nord-de", "school", other_district, ["de"], org=far),
        "health-lanstrop-ar": offer("health-lanstrop-ar", "health", lanstrop_district, ["ar"]),
        "kita-expired": offer("kita-expired", "kita", lanstrop_district, ["ar"],
                              valid_until=timezone.localdate() - timedelta(days=1)),
        "kita-submitted": offer("kita-submitted", "kita", lanstrop_district, ["ar"],
                                status="submitted"),
    }


@pytest.fixture
def arabic_family(household):
    household.languages.set([lang("ar")])
    household.needs.create(need="school")  # the fixture's household needs "kita" already
    return household


def test_offers_are_ranked_by_language_then_district_and_its_neighbours(
    arabic_family, network
):
    with translation.override("en"):
        found = offer_suggestions(
            needs=["kita", "school"], language_ids=[lang("ar").pk],
            district_id=arabic_family.district_id,
        )
    assert [(m.name, m.score) for m in found] == [
        ("kita-lanstrop-ar", 4),
        ("kita-scharnhorst-ar", 3),
        ("kita-hoerde-ar", 2),
        ("kita-lanstrop-de", 2),
        ("school-nord-de", 0),
    ]
    reasons = {m.name: m.reasons + m.warnings for m in found}
    assert reasons["kita-lanstrop-ar"] == [
        "need: Kita place and childcare", "in Arabic", "in Lanstrop"
    ]
    assert "in the neighbouring district Scharnhorst" in reasons["kita-scharnhorst-ar"]
    assert "not in a language the household speaks" in reasons["kita-lanstrop-de"]
    assert "not in the district or next to it" in reasons["kita-hoerde-ar"]


def test_the_referral_page_shows_the_suggestions_with_their_reasons_and_filters_by_need(
    alice_client, arabic_family, network
):
    url = reverse("consultations-referral-create", args=[arabic_family.pk])
    html = alice_client.get(url).content.decode()
    order = [html.index(f">{name}</strong>") for name in
             ("kita-lanstrop-ar", "kita-scharnhorst-ar", "kita-lanstrop-de", "school-nord-de")]
    assert order == sorted(order)
    assert "health-lanstrop-ar" not in html and "kita-expired" not in html
    assert "im Nachbarstadtteil Scharnhorst" in html and "auf Arabisch" in html
    only_school = alice_client.get(url, {"need": "school"}).content.decode()
    assert "school-nord-de" in only_school and "kita-lanstrop-ar" not in only_school


def test_organisations_are_grouped_by_distance_speakers_first(arabic_family, network):
    with translation.override("en"):
        groups = organisation_choices(district_id=arabic_family.district_id,
                                      language_ids=[lang("ar").pk])
    titles = [title for title, _options in groups[1:]]
    assert titles == ["In Lanstrop", "In the neighbouring districts", "Elsewhere in the city"]
    assert groups[2][1][0][1] == "Kita Scharnhorst · speaks a language of the household"


def test_choosing_a_suggested_offer_saves_the_referral_to_it(
    alice_client, arabic_family, network
):
    offer = network["kita-scharnhorst-ar"]
    response = alice_client.post(
        reverse("consultations-referral-create", args=[arabic_family.pk]),
        {
            "form_token": form_token("alice", "r1"),
            "offer": offer.pk,
            "organisation": "",
            "category": "",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.offer, referral.organisation, referral.category) == (
        offer, offer.organisation, "kita"
    )


def test_the_suggestions_cost_the_same_queries_for_a_larger_network(
    alice_client, arabic_family, network, organisation, lanstrop_district
):
    from network.models import Offer

    url = reverse("consultations-referral-create", args=[arabic_family.pk])
    alice_client.get(url)
    with CaptureQueriesContext(connection) as small:
        alice_client.get(url)
    for i in range(15):
        o = Offer.objects.create(organisation=organisation, title=f"more-{i}", slug=f"more-{i}",
                                 category="kita", district=lanstrop_district, status="published")
        o.languages.set([lang("ar")])
    with CaptureQueriesContext(connection) as large:
        alice_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def outcome(client, referral, **data):
    return client.post(
        reverse("consultations-referral-edit", args=[referral.pk]),
        {
            "form_token": form_token("alice", data.pop("form_token", "o1")),
            "version": referral.version,
            **data,
        },
    )


def test_not_taken_up_needs_a_reason(alice_client, referral):
    response = outcome(alice_client, referral, status="not_taken_up")
    assert response.status_code == 400
    assert "warum das Angebot nicht angenommen wurde" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "suggested"
    response = outcome(alice_client, referral, form_token="o2", status="not_taken_up",
                       outcome_reason="waiting_list")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_reason) == ("not_taken_up", "waiting_list")
    page = alice_client.get(reverse("consultations-household-detail",
                                    args=[referral.household_id]))
    assert "nicht angenommen (auf einer Warteliste)" in page.content.decode()


def test_a_reason_is_cleared_when_the_offer_is_taken_up_after_all(alice_client, referral):
    Referral.objects.filter(pk=referral.pk).update(status="not_taken_up", outcome_reason="full")
    referral.refresh_from_db()
    assert outcome(alice_client, referral, status="taken_up",
                   outcome_reason="full").status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_reason) == ("taken_up", "")


def test_the_database_refuses_not_taken_up_without_a_reason(referral):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status="not_taken_up")
