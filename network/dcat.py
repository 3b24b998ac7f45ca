"""A DCAT-AP.de description of the open data, for the city's open data portal: one catalogue
with one dataset, whose distributions are the HSDS API, its OpenAPI document and each
office's iCalendar feed. JSON-LD with its context written out (no remote context to fetch).

Licence of the data: Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0),
attribution to the publisher (``LW_OPEN_DATA_PUBLISHER``); contact: ``LW_CONTACT_EMAIL``.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse

LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
THEME = "http://publications.europa.eu/resource/authority/data-theme/SOCI"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/DEU"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


def _ref(iri: str) -> dict:
    return {"@id": iri}


def _text(value: str) -> dict:
    return {"@value": value, "@language": "de"}


def _distribution(iri: str, title: str, url: str, file_type: str, media_type: str, **extra):
    return {
        "@id": iri,
        "@type": "dcat:Distribution",
        "dct:title": _text(title),
        "dcat:accessURL": _ref(url),
        "dct:format": _ref(FILE_TYPE + file_type),
        "dcat:mediaType": _ref(f"https://www.iana.org/assignments/media-types/{media_type}"),
        "dct:license": _ref(LICENCE),
        "dcatde:licenseAttributionByText": settings.LW_OPEN_DATA_PUBLISHER,
        **extra,
    }


def catalogue(base_url: str, offices, modified: datetime | None) -> dict:
    """The JSON-LD document. ``offices`` are the public offices (for their feeds);
    ``modified`` is when the data last changed, if known."""
    api = base_url + reverse("hsds-root")
    publisher = {
        "@id": base_url + "/#publisher",
        "@type": "foaf:Organization",
        "foaf:name": settings.LW_OPEN_DATA_PUBLISHER,
    }
    distributions = [
        _distribution(
            api + "#distribution-hsds",
            "Verzeichnis als Open Referral HSDS 3.0 API (JSON)",
            api,
            "JSON",
            "application/json",
            **{"dct:conformsTo": _ref("https://docs.openreferral.org/en/v3.0/")},
        ),
        _distribution(
            api + "#distribution-openapi",
            "Beschreibung der API (OpenAPI 3.1)",
            base_url + reverse("hsds-openapi"),
            "JSON",
            "application/vnd.oai.openapi+json",
            **{"dcat:downloadURL": _ref(base_url + reverse("hsds-openapi"))},
        ),
    ]
    for office in offices:
        feed = base_url + reverse("offices-calendar", args=[office.slug])
        distributions.append(
            _distribution(
                f"{api}#distribution-calendar-{office.uuid}",
                f"Öffnungszeiten {office.name} (iCalendar)",
                feed,
                "ICS",
                "text/calendar",
                **{"dcat:downloadURL": _ref(feed)},
            )
        )
    dataset = {
        "@id": api + "#dataset",
        "@type": "dcat:Dataset",
        "dct:title": _text(f"{settings.LW_OPEN_DATA_PUBLISHER}: Anlaufstellen und Angebote"),
        "dct:description": _text(
            "Die Anlaufstellen des Netzwerks lokal willkommen mit ihren Öffnungszeiten und "
            "die veröffentlichten Angebote der Partnerorganisationen für Menschen mit "
            "Migrationsgeschichte: Organisationen, Angebote, Orte, Themen und Zielgruppen."
        ),
        "dct:publisher": publisher,
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": settings.LW_OPEN_DATA_PUBLISHER,
            "vcard:hasEmail": _ref(f"mailto:{settings.LW_CONTACT_EMAIL}"),
        },
        "dcat:theme": _ref(THEME),
        "dcat:keyword": [
            _text(word)
            for word in ("Integration", "Geflüchtete", "Beratung", "Öffnungszeiten", "Soziales")
        ],
        "dct:language": _ref(LANGUAGE),
        "dct:license": _ref(LICENCE),
        "dcatde:licenseAttributionByText": settings.LW_OPEN_DATA_PUBLISHER,
        "dct:accessRights": _ref(
            "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
        ),
        "dcat:landingPage": _ref(base_url + reverse("network-directory")),
        "dct:accrualPeriodicity": _ref(
            "http://publications.europa.eu/resource/authority/frequency/CONT"
        ),
        "dcat:distribution": distributions,
    }
    if modified is not None:
        dataset["dct:modified"] = {"@value": modified.isoformat(), "@type": "xsd:dateTime"}
    return {
        "@context": CONTEXT,
        "@id": api + "#catalog",
        "@type": "dcat:Catalog",
        "dct:title": _text(f"{settings.LW_OPEN_DATA_PUBLISHER}: offene Daten"),
        "dct:description": _text("Offene Daten des Netzwerks lokal willkommen."),
        "dct:publisher": publisher,
        "dct:language": _ref(LANGUAGE),
        "dct:license": _ref(LICENCE),
        "foaf:homepage": _ref(base_url + reverse("home")),
        "dcat:dataset": [dataset],
    }
