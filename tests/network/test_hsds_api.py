"""The directory as open data: what other services (the city's open data portal, apps,
counselling services) get from /api/hsds/, checked against the HSDS 3.0 JSON schemas
vendored in hsds_schema/ (offline)."""

import json
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from network import hsds
from network.models import Offer, OfferTime, Organisation
from offices.models import Office, OpeningException

from .conftest import make_offer

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "hsds_schema"
LOCAL = "https://hsds.invalid/schema/"
NESTED = {
    "schedules": "schedule.json",
    "languages": "language.json",
    "attributes": "attribute.json",
    "phones": "phone.json",
    "service_at_locations": "service_at_location.json",
}


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.rglob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((LOCAL + path.relative_to(SCHEMAS).as_posix(), resource))
        if "$id" in contents:
            resources.append((contents["$id"], resource))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(instance, schema: str) -> None:
    """Against a vendored schema; a reference to one not vendored fails (no network)."""
    Draft202012Validator(
        {"$ref": LOCAL + schema},
        registry=REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    ).validate(instance)


def validate_full_service(service: dict) -> None:
    """A fully nested service: its one-to-one fields as the compiled list schema has them,
    each nested entry against its own schema (see hsds_schema/README.md)."""
    validate(service, "compiled/service_list.json")
    arrays = {key for key, value in service.items() if isinstance(value, list)}
    assert arrays <= set(NESTED), arrays - set(NESTED)
    for key, schema in NESTED.items():
        for entry in service.get(key, []):
            validate(entry, schema)


def validate_page(client, page: dict) -> None:
    spec = client.get(reverse("hsds-openapi")).json()
    Draft202012Validator(spec["components"]["schemas"]["Page"]).validate(page)


def get(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world(lanstrop, juki, homework, other_district):
    """Lanstrop's office with a closure and a special opening; JuKi-Treff's homework help;
    a second organisation with a language café at an address."""
    today = timezone.localdate()
    OpeningException.objects.create(
        office=lanstrop,
        kind="closed",
        date_from=today + timedelta(days=10),
        date_until=today + timedelta(days=10),
        reason="Betriebsausflug",
    )
    OpeningException.objects.create(
        office=lanstrop,
        kind="special",
        date_from=today + timedelta(days=12),
        date_until=today + timedelta(days=12),
        opens=time(14),
        closes=time(16),
        reason="Sprechstunde extra",
    )
    Office.objects.filter(pk=lanstrop.pk).update(phone="0231 123", latitude=51.55, longitude=7.56)
    juki.phone, juki.email, juki.contact_name = (
        "0231 290020",
        "info@juki.example.org",
        "Erika Mustermann",
    )
    juki.save()
    angekommen = Organisation.objects.create(
        name="Initiative Angekommen",
        slug="angekommen",
        kind=Organisation.Kind.INITIATIVE,
        district=other_district,
        status=Organisation.Status.PUBLISHED,
        description="Ehrenamtliche Begleitung.",
    )
    cafe = make_offer(
        angekommen,
        title="Sprachcafé",
        slug="sprachcafe",
        category="language",
        languages=("de", "uk"),
        groups=("adults",),
        district=other_district,
        place="Gemeindehaus, Kirchstraße 3, 44147 Dortmund",
        cost="free",
    )
    OfferTime.objects.create(offer=cafe, weekdays="2", starts=time(16), ends=time(18))
    return {
        "office": Office.objects.get(pk=lanstrop.pk),
        "juki": juki,
        "homework": homework,
        "angekommen": angekommen,
        "cafe": cafe,
    }


def names(page: dict) -> set[str]:
    return {entry["name"] for entry in page["contents"]}


# Every answer against the schemas -----------------------------------------------------------


def test_the_root_names_hsds_3_0_and_the_openapi_document(client, world):
    data = get(client, "hsds-root")
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("/api/hsds/openapi.json")
    assert data["profile"].startswith("https://")


def test_every_service_in_the_list_is_valid_hsds(client, world):
    page = get(client, "hsds-services")
    validate_page(client, page)
    assert names(page) == {
        "Offene Sprechstunde: lokal willkommen Lanstrop",
        "Hausaufgabenhilfe",
        "Sprachcafé",
    }
    for service in page["contents"]:
        validate(service, "compiled/service_list.json")
    for service in get(client, "hsds-services", full="true")["contents"]:
        validate_full_service(service)


def test_an_offer_as_a_fully_nested_service_is_valid_hsds(client, world):
    cafe = world["cafe"]
    service = get(client, "hsds-service", str(cafe.uuid))
    validate_full_service(service)
    assert service["organization_id"] == str(world["angekommen"].uuid)
    assert service["fees_description"] == "kostenlos"
    assert {language["code"] for language in service["languages"]} == {"de", "uk"}
    terms = {a["taxonomy_term"]["code"] for a in service["attributes"]}
    assert terms == {"language", "adults"}
    weekly = service["schedules"][0]
    assert weekly["description"] == "Mittwoch · 16:00–18:00"
    assert (weekly["freq"], weekly["byday"], weekly["opens_at"]) == ("WEEKLY", "WE", "16:00")
    location = service["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "44147"
    assert location["addresses"][0]["address_1"] == "Kirchstraße 3"


def test_the_drop_in_hours_are_a_service_with_weekly_rules_and_exceptions(client, world):
    office = world["office"]
    service = get(client, "hsds-service", hsds.drop_in_service_id(office))
    validate_full_service(service)
    weekly, special = service["schedules"]
    assert (weekly["freq"], weekly["byday"], weekly["opens_at"], weekly["closes_at"]) == (
        "WEEKLY",
        "TH",
        "08:30",
        "11:30",
    )
    assert weekly["valid_from"] == "2018-09-01"
    assert weekly["dtstart"] == "2018-09-06"  # the first Thursday
    assert weekly["schedule_link"].endswith("/de/offices/lanstrop/calendar.ics")
    assert "Feiertagen" in weekly["notes"]
    day = timezone.localdate() + timedelta(days=12)
    assert (special["dtstart"], special["until"], special["count"]) == (day.isoformat(),) * 2 + (1,)
    assert (special["opens_at"], special["closes_at"]) == ("14:00", "16:00")
    location = service["service_at_locations"][0]["location"]
    assert location["opening_hours"].startswith("Th 08:30-11:30; PH off")


def test_every_organization_and_location_and_taxonomy_is_valid_hsds(client, world):
    organizations = get(client, "hsds-organizations")
    validate_page(client, organizations)
    assert names(organizations) == {
        "lokal willkommen",
        "JuKi-Treff Lanstrop",
        "Initiative Angekommen",
    }
    for organization in organizations["contents"]:
        validate(organization, "compiled/organization_list.json")
    for organization in get(client, "hsds-organizations", full="true")["contents"]:
        validate(organization, "compiled/organization_list.json")
        for phone in organization.get("phones", []):
            validate(phone, "phone.json")
    locations = get(client, "hsds-locations")
    validate_page(client, locations)
    assert names(locations) == {"lokal willkommen Lanstrop", "Gemeindehaus"}
    for location in locations["contents"]:
        validate(location, "location.json")
    office = next(loc for loc in locations["contents"] if loc["id"] == str(world["office"].uuid))
    assert office["opening_hours"].startswith("Th 08:30-11:30; PH off; ")
    assert office["latitude"] == 51.55
    taxonomies = get(client, "hsds-taxonomies")
    validate_page(client, taxonomies)
    assert len(taxonomies["contents"]) == 2
    for taxonomy in taxonomies["contents"]:
        validate(taxonomy, "taxonomy.json")


# Filters ------------------------------------------------------------------------------------


def test_filters_combine_with_and(client, world):
    juki, cafe = world["juki"], world["cafe"]
    category, target_groups = hsds.TAXONOMIES
    make_offer(
        juki,
        title="Sprachkurs für Kinder",
        slug="sprachkurs",
        category="language",
        groups=("children",),
        place="JuKi, Am Lanstroper See 5, 44329 Dortmund",
    )

    def services(**params):
        return names(get(client, "hsds-services", **params))

    language = category.term_id("language")
    assert services(taxonomy_term_id=language) == {"Sprachcafé", "Sprachkurs für Kinder"}
    assert services(taxonomy_term_id=language, organization_id=str(juki.uuid)) == {
        "Sprachkurs für Kinder"
    }
    assert services(taxonomy_term_id=language, postcode="44147") == {"Sprachcafé"}
    assert services(taxonomy_term_id=language, postcode="44147", search="Kinder") == set()
    assert services(search="Sprach", organization_id=str(cafe.organisation.uuid)) == {"Sprachcafé"}
    assert services(postcode="44329") == {
        "Offene Sprechstunde: lokal willkommen Lanstrop",
        "Sprachkurs für Kinder",
    }
    assert services(
        taxonomy_id=target_groups.id, taxonomy_term_id=target_groups.term_id("children")
    ) == {"Hausaufgabenhilfe", "Sprachkurs für Kinder"}
    # A term of one taxonomy asked for under the other: nothing.
    assert services(taxonomy_id=target_groups.id, taxonomy_term_id=language) == set()
    assert services(organization_id=hsds.city_organization_id()) == {
        "Offene Sprechstunde: lokal willkommen Lanstrop"
    }
    assert names(get(client, "hsds-locations", postcode="44147")) == {"Gemeindehaus"}


def test_modified_after_leaves_out_what_changed_before(client, world):
    long_ago = timezone.now() - timedelta(days=30)
    Offer.objects.exclude(pk=world["cafe"].pk).update(updated=long_ago)
    Organisation.objects.update(updated=long_ago)
    Office.objects.update(updated=long_ago)
    Offer.objects.filter(pk=world["cafe"].pk).update(updated=timezone.now())
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert names(get(client, "hsds-services", modified_after=since)) == {"Sprachcafé"}
    assert names(get(client, "hsds-organizations", modified_after=since)) == set()
    assert names(get(client, "hsds-locations", modified_after=since)) == {"Gemeindehaus"}
    # A change of the organisation counts for its offers; a date alone means its midnight.
    Organisation.objects.filter(pk=world["juki"].pk).update(updated=timezone.now())
    today = timezone.localdate().isoformat()
    assert names(get(client, "hsds-services", modified_after=today)) == {
        "Sprachcafé",
        "Hausaufgabenhilfe",
    }
    assert names(get(client, "hsds-organizations", modified_after=today)) == {"JuKi-Treff Lanstrop"}
    # An offset sent with an unencoded "+" still reads.
    response = client.get("/api/hsds/services?modified_after=2000-01-01T00:00:00+01:00")
    assert response.status_code == 200 and response.json()["total_items"] == 3


def test_changing_the_hours_counts_as_a_change_of_the_office(world, alice_client):
    office, anonymous = world["office"], Client()
    Office.objects.update(updated=timezone.now() - timedelta(days=30))
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    assert office.name not in names(get(anonymous, "hsds-locations", modified_after=since))
    alice_client.post(
        reverse("offices-staff-exception-add", args=[office.slug]),
        {"kind": "closed", "date_from": date(2099, 1, 5), "date_until": date(2099, 1, 5)},
    )
    assert office.name in names(get(anonymous, "hsds-locations", modified_after=since))


# Only published data, no personal data ------------------------------------------------------


def test_unpublished_offers_and_organisations_never_appear(client, world):
    juki = world["juki"]
    hidden = [
        make_offer(juki, title="Waiting", slug="waiting", status="submitted"),
        make_offer(
            juki, title="Rejected", slug="rejected", status="rejected", rejection_reason="no"
        ),
        make_offer(juki, title="Expired", slug="expired", status="expired"),
        make_offer(
            juki, title="Over", slug="over", valid_until=timezone.localdate() - timedelta(days=1)
        ),
    ]
    submitted = Organisation.objects.create(
        name="Neu e.V.",
        slug="neu",
        kind="initiative",
        district=juki.district,
        status="submitted",
    )
    rejected = Organisation.objects.create(
        name="Abgelehnt e.V.",
        slug="abgelehnt",
        kind="initiative",
        district=juki.district,
        status="rejected",
        rejection_reason="no",
    )
    hidden.append(make_offer(submitted, title="From a waiting organisation", slug="from-waiting"))
    hidden.append(make_offer(rejected, title="From a rejected organisation", slug="from-rejected"))
    seen = json.dumps(
        [
            get(client, "hsds-services", full="true", per_page=200),
            get(client, "hsds-organizations", full="true", per_page=200),
            get(client, "hsds-locations", per_page=200),
        ],
        ensure_ascii=False,
    )
    for offer in hidden:
        assert offer.title not in seen
        assert str(offer.uuid) not in seen
        response = client.get(reverse("hsds-service", args=[offer.uuid]))
        assert response.status_code == 404
        assert response.json() == {"error": "No published service has this id."}
    assert "Neu e.V." not in seen and "Abgelehnt e.V." not in seen


def test_a_contact_persons_name_never_appears_without_their_consent(client, world):
    def everything():
        return json.dumps(
            [
                get(client, "hsds-services", full="true"),
                get(client, "hsds-service", str(world["homework"].uuid)),
                get(client, "hsds-organizations", full="true"),
                get(client, "hsds-locations"),
                get(client, "hsds-dcat"),
            ],
            ensure_ascii=False,
        )

    juki = Organisation.objects.get(name="JuKi-Treff Lanstrop")
    juki.contact_public = False
    juki.save()
    seen = everything()
    assert "relationship" not in seen and "submitter" not in seen
    # Without the consent on the form: no contact person, no phone, no e-mail (as on the page).
    for personal in ("Erika Mustermann", "0231 290020", "info@juki.example.org"):
        assert personal not in seen
    # With it, they are published, the person as a contact.
    juki.contact_public = True
    juki.save()
    seen = everything()
    assert "0231 290020" in seen and "info@juki.example.org" in seen
    organizations = get(client, "hsds-organizations", full="true")["contents"]
    entry = next(o for o in organizations if o["name"] == "JuKi-Treff Lanstrop")
    assert entry["contacts"][0]["name"] == "Erika Mustermann"


def test_unknown_ids_and_unreadable_parameters_are_answered_in_json(client, world):
    for bad in ["not-a-uuid", "3c6f0a52-8a0e-4c1b-9d4e-2f7b6c1e5a90"]:
        response = client.get(reverse("hsds-service", args=[bad]))
        assert response.status_code == 404 and response["Content-Type"].startswith(
            "application/json"
        )
    for params in [
        {"page": "0"},
        {"per_page": "x"},
        {"modified_after": "yesterday"},
        {"taxonomy_id": "nope"},
        {"organization_id": "1"},
        {"postcode": "443"},
        {"full": "maybe"},
    ]:
        response = client.get(reverse("hsds-services"), params)
        assert response.status_code == 400, params
        assert "error" in response.json()


# Pagination, caching, rate limit -----------------------------------------------------------


def test_lists_are_paginated(client, world):
    for n in range(5):
        make_offer(world["juki"], title=f"Kurs {n}", slug=f"kurs-{n}")
    first = get(client, "hsds-services", per_page=3)
    assert (first["total_items"], first["total_pages"], first["size"]) == (8, 3, 3)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    pages = [first] + [get(client, "hsds-services", per_page=3, page=n) for n in (2, 3)]
    assert [p["size"] for p in pages] == [3, 3, 2]
    assert pages[-1]["last_page"]
    ids = [s["id"] for p in pages for s in p["contents"]]
    assert len(ids) == len(set(ids)) == 8
    beyond = get(client, "hsds-services", per_page=3, page=9)
    assert beyond["contents"] == [] and beyond["size"] == 0 and not beyond["empty"]
    nothing = get(client, "hsds-services", search="Zzzz")
    assert nothing["empty"] and nothing["total_items"] == 0


def test_answers_may_be_cached_by_anyone_for_30_seconds_and_set_no_cookie(client, world):
    for name in ["hsds-root", "hsds-services", "hsds-locations", "hsds-openapi", "hsds-dcat"]:
        response = client.get(reverse(name))
        assert response["Cache-Control"] == "public, max-age=30, stale-while-revalidate=30"
        assert response["Vary"] == "Accept-Encoding"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not response.cookies


def test_a_signed_in_request_is_not_stored_by_shared_caches(alice_client, world):
    response = alice_client.get(reverse("hsds-services"))
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@override_settings(API_RATE_LIMIT=(3, 60))
def test_too_many_requests_from_one_address_are_refused_with_retry_after(client, world):
    for _ in range(3):
        assert client.get(reverse("hsds-taxonomies")).status_code == 200
    response = client.get(reverse("hsds-services"))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    assert "error" in response.json()
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get(reverse("hsds-services")).status_code == 200


# Documents for consumers ---------------------------------------------------------------------


def test_the_openapi_document_describes_the_endpoints_and_their_parameters(client, world):
    response = client.get(reverse("hsds-openapi"))
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/",
        "/services",
        "/services/{id}",
        "/organizations",
        "/locations",
        "/taxonomies",
        "/openapi.json",
        "/dcat.jsonld",
    }
    assert document["servers"][0]["url"].endswith("/api/hsds")
    parameters = {
        ref["$ref"].rsplit("/", 1)[-1]
        for ref in document["paths"]["/services"]["get"]["parameters"]
    }
    assert {
        "search",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "postcode",
        "page",
        "per_page",
    } <= parameters
    for name in parameters:
        assert name in document["components"]["parameters"]


def test_the_dcat_ap_de_description_names_licence_publisher_contact_and_distributions(
    client, world, settings
):
    settings.LW_OPEN_DATA_PUBLISHER = "Stadt Dortmund"
    settings.LW_CONTACT_EMAIL = "lokalwillkommen@dortmund.example"
    response = client.get(reverse("hsds-dcat"))
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = json.loads(response.content)
    context = catalogue["@context"]
    assert context["dcat"] == "http://www.w3.org/ns/dcat#"
    assert context["dct"] == "http://purl.org/dc/terms/"
    assert catalogue["@type"] == "dcat:Catalog"
    for key in ("dct:title", "dct:description", "dct:publisher", "dcat:dataset"):
        assert key in catalogue
    (dataset,) = catalogue["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dct:license"] == {"@id": "http://dcat-ap.de/def/licenses/dl-by-de/2.0"}
    assert dataset["dcatde:licenseAttributionByText"] == "Stadt Dortmund"
    assert dataset["dct:publisher"]["foaf:name"] == "Stadt Dortmund"
    assert dataset["dcat:contactPoint"]["vcard:hasEmail"] == {
        "@id": "mailto:lokalwillkommen@dortmund.example"
    }
    for key in ("dct:title", "dct:description", "dcat:theme", "dct:modified"):
        assert key in dataset
    urls = {d["dcat:accessURL"]["@id"] for d in dataset["dcat:distribution"]}
    assert any(url.endswith("/api/hsds/") for url in urls)
    assert any(url.endswith("/de/offices/lanstrop/calendar.ics") for url in urls)
    for distribution in dataset["dcat:distribution"]:
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        assert distribution["dct:format"]["@id"].startswith(
            "http://publications.europa.eu/resource/authority/file-type/"
        )
