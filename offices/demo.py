"""Demo offices: the team "Eving und Scharnhorst" and its office at Nadlerweg 1, and more."""

from datetime import date, time
from decimal import Decimal

from lokalwillkommen.models import District, Language

from .models import Office, OpeningRule, Team

DISTRICTS = [
    ("Lanstrop", "lanstrop"),
    ("Scharnhorst", "scharnhorst"),
    ("Eving", "eving"),
    ("Nordstadt", "nordstadt"),
    ("Hörde", "hoerde"),
    ("Huckarde", "huckarde"),
    ("Mengede", "mengede"),
    ("Brackel", "brackel"),
]

TEAMS = [
    ("Eving und Scharnhorst", "eving-scharnhorst"),
    ("Innenstadt-Nord", "innenstadt-nord"),
    ("Hörde und Aplerbeck", "hoerde-aplerbeck"),
]

OFFICES = [
    {
        "slug": "lanstrop",
        "name": "lokal willkommen Lanstrop",
        "team": "eving-scharnhorst",
        "street": "Nadlerweg 1",
        "postcode": "44329",
        "district": "lanstrop",
        "latitude": Decimal("51.56847"),
        "longitude": Decimal("7.57389"),
        "phone": "0231 50-00000",
        "email": "lanstrop@lokalwillkommen.example.org",
        "accessibility": "Ground floor, step-free entrance. No accessible toilet.",
        "languages": ["de", "en", "ar"],
        "description": (
            "Drop-in office of the team Eving und Scharnhorst, formerly a service office of "
            "the Social Welfare Office. Advice on every part of daily life."
        ),
        "rules": [(3, time(8, 30), time(11, 30), date(2018, 9, 1), "Drop-in hours")],
    },
    {
        "slug": "eving",
        "name": "lokal willkommen Eving",
        "team": "eving-scharnhorst",
        "street": "Evinger Platz 2",
        "postcode": "44339",
        "district": "eving",
        "latitude": Decimal("51.55012"),
        "longitude": Decimal("7.47311"),
        "phone": "0231 50-00001",
        "email": "eving@lokalwillkommen.example.org",
        "accessibility": "Lift to the first floor, accessible toilet.",
        "languages": ["de", "ar", "fa", "tr"],
        "description": "Drop-in office in the Evinger Platz community centre.",
        "rules": [
            (0, time(14, 0), time(17, 0), date(2019, 1, 1), "Drop-in hours"),
            (2, time(9, 0), time(12, 0), date(2019, 1, 1), "Drop-in hours"),
        ],
    },
    {
        "slug": "nordstadt",
        "name": "lokal willkommen Nordstadt",
        "team": "innenstadt-nord",
        "street": "Mallinckrodtstraße 56",
        "postcode": "44145",
        "district": "nordstadt",
        "latitude": None,
        "longitude": None,
        "phone": "0231 50-00002",
        "email": "nordstadt@lokalwillkommen.example.org",
        "accessibility": "Two steps at the entrance; staff bring a ramp on request.",
        "languages": ["de", "uk", "ru", "ro", "bg"],
        "description": "Drop-in office near Nordmarkt.",
        "rules": [
            (1, time(10, 0), time(13, 0), date(2020, 3, 1), "Drop-in hours"),
            (3, time(14, 0), time(18, 0), date(2020, 3, 1), "Afternoon drop-in"),
        ],
    },
    {
        "slug": "hoerde",
        "name": "lokal willkommen Hörde",
        "team": "hoerde-aplerbeck",
        "street": "Hermannstraße 70",
        "postcode": "44263",
        "district": "hoerde",
        "latitude": Decimal("51.48611"),
        "longitude": Decimal("7.50472"),
        "phone": "0231 50-00003",
        "email": "hoerde@lokalwillkommen.example.org",
        "accessibility": "Step-free, accessible toilet, induction loop.",
        "languages": ["de", "en", "uk", "ti"],
        "description": "Drop-in office at the Hörde district library.",
        "rules": [(4, time(9, 0), time(12, 30), date(2021, 5, 1), "Drop-in hours")],
    },
]


def load(*, stdout=None) -> None:
    for name, slug in DISTRICTS:
        District.objects.update_or_create(slug=slug, defaults={"name": name})
    for name, slug in TEAMS:
        Team.objects.update_or_create(slug=slug, defaults={"name": name})
    for spec in OFFICES:
        spec = dict(spec)
        rules = spec.pop("rules")
        languages = spec.pop("languages")
        spec["team"] = Team.objects.get(slug=spec["team"])
        spec["district"] = District.objects.get(slug=spec["district"])
        office, _ = Office.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)
        office.languages.set(Language.objects.filter(code__in=languages))
        for weekday, opens, closes, valid_from, label in rules:
            OpeningRule.objects.get_or_create(
                office=office,
                weekday=weekday,
                opens=opens,
                defaults={"closes": closes, "valid_from": valid_from, "label": label},
            )
    if stdout is not None:
        stdout.write(f"  offices: {Office.objects.count()}")
