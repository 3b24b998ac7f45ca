"""The directory as Open Referral HSDS 3.0 objects: plain functions from models to dicts.

What maps to what:

- a published organisation → an ``organization``; the city's own network ("lokal
  willkommen", named by ``LW_OPEN_DATA_PUBLISHER``) is one more organization, the one that
  runs the drop-in offices;
- a published, current offer → a ``service`` of its organization, with its languages, its
  topic and target groups as ``attributes`` (terms of two taxonomies, below), its cost as
  ``fees_description`` and its times as ``schedules``;
- a drop-in office → a ``location`` (with the OSM ``opening_hours`` value as an extension
  field), and its drop-in hours → a ``service`` of the city's organization at that location,
  whose weekly rules are ``schedules``;
- an offer's place → a ``location`` where the place names an address ("…, 44329 Dortmund").

Identifiers: offices, organisations and offers have a stored random UUID (``uuid``); every
other object (schedules, languages, addresses, terms …) has a UUID derived (uuid5) from
``NAMESPACE`` and the stored UUID or primary key of what it comes from, so that it stays the
same from one request to the next.

The data are published in German (the language of the directory's texts), whatever the
language of the request. Only published data appear; a contact person's name only where
``contact_person_published`` says the person agreed to it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

from lokalwillkommen.categories import Need
from lokalwillkommen.languages import language_label
from offices import hours, osm
from offices.models import Office

from .models import Offer, Organisation, TargetGroupCode
from .offer_times import cost_text, recurrence, time_text

HSDS_VERSION = "3.0"
# Fixed for good: every derived identifier depends on it.
NAMESPACE = uuid.UUID("3c6f0a52-8a0e-4c1b-9d4e-2f7b6c1e5a90")
CLOSURES_AHEAD_DAYS = 120

RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
STATE = "Nordrhein-Westfalen"

CITY_DESCRIPTION = (
    "Das Netzwerk lokal willkommen der Stadt: Anlaufstellen in den Stadtteilen, die neu "
    "zugezogene geflüchtete Menschen zu allen Fragen des Alltags beraten."
)
DROP_IN_NAME = "Offene Sprechstunde: {office}"
DROP_IN_DESCRIPTION = (
    "Beratung zu allen Fragen des Alltags in der Anlaufstelle {office}: Wohnen, Kita und "
    "Schule, Sprachkurse, Arbeit, Behörden und Formulare, Freizeit im Stadtteil."
)
DROP_IN_APPLICATION = "Ohne Anmeldung: einfach während der Öffnungszeiten vorbeikommen."
REGISTRATION = {
    True: "Bitte vorher anmelden.",
    False: "Ohne Anmeldung: einfach hingehen.",
}
HOLIDAY_NOTE = (
    "Geschlossen an gesetzlichen Feiertagen in Nordrhein-Westfalen und an angekündigten "
    "Schließtagen; alle Termine mit Ausnahmen im Kalender (schedule_link)."
)
ADDRESS = re.compile(
    r"^(?:(?P<name>.+?),\s*)?(?P<street>[^,]*\d[^,]*?)\s*,\s*(?P<postcode>\d{5})\s+"
    r"(?P<city>[^,\d][^,]*?)\s*$"
)


def derived_id(*parts: object) -> str:
    """A stable identifier for an object without a stored one."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def timestamp(moment: datetime) -> str:
    """HSDS ``last_modified``: UTC with milliseconds."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _compact(data: dict) -> dict:
    """HSDS fields are typed strings, numbers or arrays: leave out what is empty."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


# Personal data -------------------------------------------------------------------------------


def contact_person_published(organisation: Organisation) -> bool:
    """Whether the organisation's contact person, phone and e-mail may be published: the
    submitter ticked the consent on the form (``contact_public``), exactly as on the
    organisation's public page. The one place that decides it for the API."""
    return bool(organisation.contact_public)


# Taxonomies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    link_type: str
    choices: type[models.TextChoices]

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.key)

    def term_id(self, code: str) -> str:
        return derived_id("taxonomy-term", self.key, code)


TAXONOMIES = (
    Taxonomy(
        "category",
        "lokal willkommen: Themen",
        "Die Themen, nach denen das Netzwerk lokal willkommen Angebote ordnet.",
        "service_category",
        Need,
    ),
    Taxonomy(
        "target_group",
        "lokal willkommen: Zielgruppen",
        "Für wen ein Angebot gedacht ist.",
        "intended_audience",
        TargetGroupCode,
    ),
)


def taxonomy_dict(taxonomy: Taxonomy) -> dict:
    return {
        "id": taxonomy.id,
        "name": taxonomy.name,
        "description": taxonomy.description,
        "version": "1",
    }


def term_dict(taxonomy: Taxonomy, code: str) -> dict:
    name = str(taxonomy.choices(code).label)
    return {
        "id": taxonomy.term_id(code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": taxonomy.name,
        "taxonomy_id": taxonomy.id,
        "taxonomy_detail": taxonomy_dict(taxonomy),
        "language": "de",
    }


def taxonomy_filter(*, taxonomy_id: str = "", term_id: str = "") -> tuple[str, str] | None:
    """(taxonomy key, term code or "") named by HSDS identifiers; None if they name none."""
    for taxonomy in TAXONOMIES:
        if taxonomy_id and taxonomy_id != taxonomy.id:
            continue
        if not term_id:
            return taxonomy.key, ""
        for code in taxonomy.choices.values:
            if taxonomy.term_id(code) == term_id:
                return taxonomy.key, code
    return None


def _attribute(taxonomy: Taxonomy, code: str, service_id: str) -> dict:
    term = term_dict(taxonomy, code)
    return {
        "id": derived_id("attribute", service_id, term["id"]),
        "link_id": service_id,
        "link_type": taxonomy.link_type,
        "link_entity": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


# Shared pieces -------------------------------------------------------------------------------


def _languages(codes: Iterable[str], **link: str) -> list[dict]:
    owner = next(iter(link.values()))
    return [
        {
            "id": derived_id("language", owner, code),
            **link,
            "name": language_label(code),
            "code": code,
        }
        for code in sorted(set(codes))
    ]


def _phones(number: str, **link: str) -> list[dict]:
    if not number:
        return []
    owner = next(iter(link.values()))
    return [{"id": derived_id("phone", owner), **link, "number": number, "type": "voice"}]


def place_address(place: str) -> dict | None:
    """Name, street, postcode and city of a place written "[name, ]street no, 12345 city"."""
    match = ADDRESS.match((place or "").strip())
    if match is None:
        return None
    return {key: (value or "").strip() for key, value in match.groupdict().items()}


def _address(location_id: str, street: str, postcode: str, city: str, region: str = "") -> dict:
    return _compact(
        {
            "id": derived_id("address", location_id),
            "location_id": location_id,
            "address_1": street,
            "city": city,
            "region": region,
            "state_province": STATE,
            "postal_code": postcode,
            "country": "DE",
            "address_type": "physical",
        }
    )


# Organizations -------------------------------------------------------------------------------


def city_organization_id() -> str:
    return derived_id("organisation", "lokal-willkommen")


def city_organization_dict(base_url: str) -> dict:
    """The city's own network, which runs the drop-in offices (no row of its own)."""
    return {
        "id": city_organization_id(),
        "name": settings.LW_OPEN_DATA_PUBLISHER,
        "description": CITY_DESCRIPTION,
        "email": settings.LW_CONTACT_EMAIL,
        "website": base_url + reverse("home"),
    }


def organization_dict(organisation: Organisation, *, full: bool = False) -> dict:
    org_id = str(organisation.uuid)
    data = _compact(
        {
            "id": org_id,
            "name": organisation.name,
            "email": organisation.email if contact_person_published(organisation) else "",
            "website": organisation.website,
        }
    )
    data["description"] = organisation.description  # required, even when empty
    if full:
        data.update(
            _compact(
                {
                    "phones": _phones(organisation.phone, organization_id=org_id)
                    if contact_person_published(organisation)
                    else [],
                    "contacts": _contacts(organisation),
                }
            )
        )
    return data


def _contacts(organisation: Organisation) -> list[dict]:
    if not (contact_person_published(organisation) and organisation.contact_name):
        return []
    contact_id = derived_id("contact", organisation.uuid)
    return [
        _compact(
            {
                "id": contact_id,
                "organization_id": str(organisation.uuid),
                "name": organisation.contact_name,
                "email": organisation.email,
                "phones": _phones(organisation.phone, contact_id=contact_id),
            }
        )
    ]


# Schedules -----------------------------------------------------------------------------------


def _first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def office_schedules(office: Office, base_url: str, today: date, **link: str) -> list[dict]:
    """The office's weekly rules as weekly RFC 5545 rules, and its coming special openings as
    one-time rules. Days on which a weekly rule does not hold (NRW public holidays,
    announced closures) have no field of their own in HSDS 3.0: each rule's ``notes`` name
    those of the coming months, and ``schedule_link`` is the office's iCalendar feed, which
    has every opening with every exception (so has the location's ``opening_hours``)."""
    schedule = hours.build_schedule(office.rules.all(), office.exceptions.all())
    owner = next(iter(link.values()))
    feed = base_url + reverse("offices-calendar", args=[office.slug])
    days_off = hours.days_off_between(schedule, today, today + timedelta(days=CLOSURES_AHEAD_DAYS))
    found = []
    for rule in sorted(office.rules.all(), key=lambda r: (r.weekday, r.opens, r.pk)):
        if rule.valid_until is not None and rule.valid_until < today:
            continue
        own = hours.Rule(rule.weekday, rule.opens, rule.closes, rule.valid_from, rule.valid_until)
        off = [day for day in days_off if own.applies_on(day.day)]
        label = f" ({rule.label})" if rule.label else ""
        found.append(
            _compact(
                {
                    "id": derived_id("schedule", owner, "rule", rule.pk),
                    **link,
                    "valid_from": rule.valid_from.isoformat(),
                    "valid_to": rule.valid_until.isoformat() if rule.valid_until else "",
                    "dtstart": _first_on_or_after(rule.valid_from, rule.weekday).isoformat(),
                    "freq": "WEEKLY",
                    "interval": 1,
                    "wkst": "MO",
                    "byday": RRULE_DAYS[rule.weekday],
                    "opens_at": f"{rule.opens:%H:%M}",
                    "closes_at": f"{rule.closes:%H:%M}",
                    "description": (
                        f"{WEEKDAY_NAMES[rule.weekday]}s {rule.opens:%H:%M}–"
                        f"{rule.closes:%H:%M}{label}"
                    ),
                    "notes": _days_off_note(off),
                    "schedule_link": feed,
                    "attending_type": "vor Ort",
                }
            )
        )
    for exception in office.exceptions.all():
        if exception.kind != "special" or exception.date_from < today:
            continue
        day = exception.date_from
        reason = f": {exception.reason}" if exception.reason else ""
        found.append(
            {
                "id": derived_id("schedule", owner, "special", exception.pk),
                **link,
                "valid_from": day.isoformat(),
                "valid_to": day.isoformat(),
                "dtstart": day.isoformat(),
                "until": day.isoformat(),
                "count": 1,
                "freq": "WEEKLY",
                "interval": 1,
                "wkst": "MO",
                "byday": RRULE_DAYS[day.weekday()],
                "opens_at": f"{exception.opens:%H:%M}",
                "closes_at": f"{exception.closes:%H:%M}",
                "description": (
                    f"Sonderöffnung am {day:%d.%m.%Y}, {exception.opens:%H:%M}–"
                    f"{exception.closes:%H:%M}{reason}"
                ),
                "schedule_link": feed,
                "attending_type": "vor Ort",
            }
        )
    return found


def _days_off_note(days_off: list[hours.DayOff]) -> str:
    if not days_off:
        return HOLIDAY_NOTE
    named = []
    for off in days_off:
        reason = hours.holiday_name_in(off.day, "de") if off.holiday else off.reason
        named.append(f"{off.day:%d.%m.%Y}" + (f" ({reason})" if reason else ""))
    return f"{HOLIDAY_NOTE} Die nächsten: {', '.join(named)}."


def offer_schedules(offer: Offer, service_id: str) -> list[dict]:
    """When the offer takes place, as HSDS schedules: one per structured time (weekly or
    monthly RFC 5545 rules, or one date or a period), with its German words as the
    description, and one for the note in words where the offer has one."""
    found = []
    with translation.override("de"):
        for offer_time in offer.times.all():
            first, rule = recurrence(
                offer_time.weekdays,
                offer_time.week_of_month,
                offer_time.date_from,
                offer_time.date_until,
                valid_from=offer.valid_from,
                valid_until=offer.valid_until,
            )
            rule = rule or {}
            found.append(
                _compact(
                    {
                        "id": derived_id("schedule", service_id, "time", offer_time.pk),
                        "service_id": service_id,
                        "valid_from": offer.valid_from.isoformat() if offer.valid_from else "",
                        "valid_to": offer.valid_until.isoformat() if offer.valid_until else "",
                        "dtstart": first.isoformat(),
                        "until": rule["until"].isoformat() if "until" in rule else "",
                        "freq": rule.get("freq", ""),
                        "interval": 1 if rule else None,
                        "wkst": "MO" if rule else "",
                        "byday": ",".join(rule.get("byday", ())),
                        "opens_at": f"{offer_time.starts:%H:%M}" if offer_time.starts else "",
                        "closes_at": f"{offer_time.ends:%H:%M}" if offer_time.ends else "",
                        "description": time_text(offer_time),
                    }
                )
            )
    note = offer.time_note_de or offer.time_note
    if note:
        found.append(
            _compact(
                {
                    "id": derived_id("schedule", service_id, "text"),
                    "service_id": service_id,
                    "valid_from": offer.valid_from.isoformat() if offer.valid_from else "",
                    "valid_to": offer.valid_until.isoformat() if offer.valid_until else "",
                    "description": note,
                }
            )
        )
    return found


# Locations -----------------------------------------------------------------------------------


def office_location_dict(office: Office, base_url: str, today: date) -> dict:
    location_id = str(office.uuid)
    schedule = hours.build_schedule(office.rules.all(), office.exceptions.all())
    data = _compact(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": city_organization_id(),
            "name": office.name,
            "description": office.description,
            "latitude": float(office.latitude) if office.latitude is not None else None,
            "longitude": float(office.longitude) if office.longitude is not None else None,
            "addresses": [
                _address(
                    location_id, office.street, office.postcode, office.city, office.district.name
                )
            ],
            "phones": _phones(office.phone, location_id=location_id),
            "languages": _languages(
                (language.code for language in office.languages.all()), location_id=location_id
            ),
            "schedules": office_schedules(office, base_url, today, location_id=location_id),
        }
    )
    # Extension (not in HSDS 3.0): the hours as an OpenStreetMap opening_hours value.
    data["opening_hours"] = osm.opening_hours(schedule, today)
    return data


@dataclass
class Place:
    """An address at which offers take place."""

    name: str
    street: str
    postcode: str
    city: str
    modified: datetime

    @property
    def id(self) -> str:
        return derived_id("place", self.street.casefold(), self.postcode, self.city.casefold())


def offer_place(offer: Offer) -> Place | None:
    address = place_address(offer.place)
    if address is None:
        return None
    return Place(
        name=address["name"] or address["street"],
        street=address["street"],
        postcode=address["postcode"],
        city=address["city"],
        modified=offer.updated,
    )


def places(offers: Iterable[Offer]) -> list[Place]:
    """The distinct addresses the offers take place at, each with its latest change."""
    found: dict[str, Place] = {}
    for offer in offers:
        place = offer_place(offer)
        if place is None:
            continue
        known = found.get(place.id)
        if known is None:
            found[place.id] = place
        elif place.modified > known.modified:
            known.modified = place.modified
    return sorted(found.values(), key=lambda p: (p.postcode, p.street.casefold()))


def place_location_dict(place: Place) -> dict:
    return {
        "id": place.id,
        "location_type": "physical",
        "name": place.name,
        "addresses": [_address(place.id, place.street, place.postcode, place.city)],
    }


# Services ------------------------------------------------------------------------------------


def drop_in_service_id(office: Office) -> str:
    return derived_id("drop-in", office.uuid)


def office_service_dict(office: Office, base_url: str, today: date, *, full: bool) -> dict:
    service_id = drop_in_service_id(office)
    data = _compact(
        {
            "id": service_id,
            "organization_id": city_organization_id(),
            "name": DROP_IN_NAME.format(office=office.name),
            "description": DROP_IN_DESCRIPTION.format(office=office.name),
            "url": base_url + office.get_absolute_url(),
            "email": office.email,
            "status": "active",
            "fees_description": "kostenlos",
            "application_process": DROP_IN_APPLICATION,
            "last_modified": timestamp(office.updated),
            "organization": city_organization_dict(base_url),
        }
    )
    if full:
        location = office_location_dict(office, base_url, today)
        data.update(
            _compact(
                {
                    "languages": _languages(
                        (language.code for language in office.languages.all()),
                        service_id=service_id,
                    ),
                    "phones": _phones(office.phone, service_id=service_id),
                    "schedules": office_schedules(office, base_url, today, service_id=service_id),
                    "service_at_locations": [
                        {
                            "id": derived_id("service-at-location", service_id, location["id"]),
                            "service_id": service_id,
                            "location_id": location["id"],
                            "location": location,
                        }
                    ],
                }
            )
        )
    return data


def _fees(offer: Offer) -> str:
    with translation.override("de"):
        cost = cost_text(offer.cost, offer.cost_amount)
    note = offer.cost_note_de or offer.cost_note
    return f"{cost} ({note})" if cost and note else cost or note


def offer_service_dict(offer: Offer, base_url: str, *, full: bool) -> dict:
    service_id = str(offer.uuid)
    organisation = offer.organisation
    data = _compact(
        {
            "id": service_id,
            "organization_id": str(organisation.uuid),
            "name": offer.title,
            "description": offer.description,
            "url": base_url + offer.get_absolute_url(),
            "status": "active",
            "fees_description": _fees(offer),
            "application_process": REGISTRATION[offer.registration_needed],
            "last_modified": timestamp(max(offer.updated, organisation.updated)),
            "organization": organization_dict(organisation),
        }
    )
    if full:
        category, target_groups = TAXONOMIES
        attributes = [_attribute(category, offer.category, service_id)] + [
            _attribute(target_groups, group.code, service_id)
            for group in sorted(offer.target_groups.all(), key=lambda g: g.code)
        ]
        place = offer_place(offer)
        data.update(
            _compact(
                {
                    "languages": _languages(
                        (language.code for language in offer.languages.all()),
                        service_id=service_id,
                    ),
                    "attributes": attributes,
                    "schedules": offer_schedules(offer, service_id),
                    "service_at_locations": [
                        {
                            "id": derived_id("service-at-location", service_id, place.id),
                            "service_id": service_id,
                            "location_id": place.id,
                            "location": place_location_dict(place),
                        }
                    ]
                    if place is not None
                    else [],
                }
            )
        )
    return data
