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
        "accessibility": "Erdgeschoss, stufenloser Eingang. Keine barrierefreie Toilette.",
        "languages": ["de", "en", "ar"],
        "description": (
            "Anlaufstelle des Teams Eving und Scharnhorst im früheren Servicebüro des "
            "Sozialamts. Beratung zu allen Fragen des täglichen Lebens."
        ),
        "rules": [(3, time(8, 30), time(11, 30), date(2018, 9, 1), "Sprechstunde")],
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
        "accessibility": "Aufzug in den ersten Stock, barrierefreie Toilette.",
        "languages": ["de", "ar", "fa", "tr"],
        "description": "Anlaufstelle im Stadtteilzentrum am Evinger Platz.",
        "rules": [
            (0, time(14, 0), time(17, 0), date(2019, 1, 1), "Sprechstunde"),
            (2, time(9, 0), time(12, 0), date(2019, 1, 1), "Sprechstunde"),
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
        "accessibility": "Zwei Stufen am Eingang; auf Wunsch legen wir eine Rampe an.",
        "languages": ["de", "uk", "ru", "ro", "bg"],
        "description": "Anlaufstelle in der Nähe des Nordmarkts.",
        "rules": [
            (1, time(10, 0), time(13, 0), date(2020, 3, 1), "Sprechstunde"),
            (3, time(14, 0), time(18, 0), date(2020, 3, 1), "Nachmittagssprechstunde"),
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
        "accessibility": "Stufenlos, barrierefreie Toilette, Induktionsschleife.",
        "languages": ["de", "en", "uk", "ti"],
        "description": "Anlaufstelle in der Stadtteilbibliothek Hörde.",
        "rules": [(4, time(9, 0), time(12, 30), date(2021, 5, 1), "Sprechstunde")],
    },
]


RULE_LABELS = {
    "Sprechstunde": ("Office hours", "ساعات الاستشارة", "Години прийому"),
    "Nachmittagssprechstunde": (
        "Afternoon office hours",
        "ساعات الاستشارة بعد الظهر",
        "Прийом після обіду",
    ),
}

# Texts of the Lanstrop office in the other portal languages (the others stay German-only).
TRANSLATIONS = {
    "lanstrop": {
        "en": (
            "Drop-in office of the team Eving und Scharnhorst in the former service office of "
            "the Social Welfare Office. Advice on every part of daily life.",
            "Ground floor, step-free entrance. No accessible toilet.",
        ),
        "ar": (
            "مكتب استقبال تابع لفريق Eving und Scharnhorst في مكتب الخدمات السابق لمكتب الشؤون "
            "الاجتماعية. استشارات في كل جوانب الحياة اليومية.",
            "الطابق الأرضي، مدخل بدون درج. لا يوجد مرحاض مهيأ لذوي الإعاقة.",
        ),
        "uk": (
            "Пункт прийому команди Eving und Scharnhorst у колишньому сервісному офісі "
            "Соціального управління. Консультації з усіх питань повсякденного життя.",
            "Перший поверх, вхід без сходинок. Немає туалету для людей з інвалідністю.",
        ),
    }
}


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
            rule, _ = OpeningRule.objects.get_or_create(
                office=office,
                weekday=weekday,
                opens=opens,
                defaults={"closes": closes, "valid_from": valid_from, "label_de": label},
            )
            # The labels in English, Arabic and Ukrainian (the calendar feed's event titles).
            translated = dict(zip(("en", "ar", "uk"), RULE_LABELS.get(label, ()), strict=False))
            if any(getattr(rule, f"label_{code}") != text for code, text in translated.items()):
                for code, text in translated.items():
                    setattr(rule, f"label_{code}", text)
                rule.save()
    for slug, languages in TRANSLATIONS.items():
        office = Office.objects.get(slug=slug)
        for language, (description, accessibility) in languages.items():
            setattr(office, f"description_{language}", description)
            setattr(office, f"accessibility_{language}", accessibility)
        office.save()
    if stdout is not None:
        stdout.write(f"  offices: {Office.objects.count()}")


def load_scale(*, scale: int, stdout=None) -> None:
    """More offices for benchmarks: about one per 250 households, at most 40 (a city's worth).

    Idempotent: offices named ``scale-office-<n>`` that exist already are kept.
    """
    wanted = min(40, max(2, scale // 250))
    teams = list(Team.objects.order_by("slug"))
    districts = list(District.objects.order_by("slug"))
    languages = list(Language.objects.filter(code__in=["de", "en", "ar", "uk", "tr", "fa"]))
    existing = set(
        Office.objects.filter(slug__startswith="scale-office-").values_list("slug", flat=True)
    )
    new = [
        Office(
            slug=f"scale-office-{n}",
            name=f"lokal willkommen Stadtteilbüro {n}",
            team=teams[n % len(teams)],
            street=f"Musterstraße {n}",
            postcode=f"44{n % 1000:03d}",
            district=districts[n % len(districts)],
            description="Benchmark office.",
        )
        for n in range(1, wanted + 1)
        if f"scale-office-{n}" not in existing
    ]
    Office.objects.bulk_create(new)
    created = list(Office.objects.filter(slug__in=[office.slug for office in new]))
    OpeningRule.objects.bulk_create(
        OpeningRule(
            office=office,
            weekday=(office.pk + k) % 5,
            opens=time(9 + 4 * k, 0),
            closes=time(12 + 4 * k, 0),
            valid_from=date(2022, 1, 1),
            label="Sprechstunde",
        )
        for office in created
        for k in (0, 1)
    )
    through = Office.languages.through
    through.objects.bulk_create(
        through(office_id=office.pk, language_id=language.pk)
        for office in created
        for language in languages[: 2 + office.pk % 3]
    )
    if stdout is not None:
        stdout.write(f"  offices at scale {scale}: {Office.objects.count()}")
