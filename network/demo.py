"""Demo network: the partners in Lanstrop named in DESIGN.md and more, with offers."""

from datetime import date, time, timedelta

from django.utils import timezone

from lokalwillkommen.models import District, Language

from . import search
from .models import (
    Offer,
    OfferTime,
    Organisation,
    Skill,
    Suggestion,
    TargetGroup,
    VolunteerRegistration,
)
from .offer_times import parse_cost, parse_schedule

# Titles of the demo offers in English, Arabic and Ukrainian (the others show German).
TITLES = {
    "sprachcafe-lanstrop": (
        "Language café Lanstrop",
        "مقهى اللغة في لانستروب",
        "Мовне кафе Ланштроп",
    ),
    "patenschaften-angekommen": (
        "Mentoring for new neighbours",
        "كفالة الجيران الجدد",
        "Наставництво для нових сусідів",
    ),
    "hausaufgabenhilfe-juki": (
        "Homework help at JuKi-Treff",
        "مساعدة في الواجبات المنزلية في JuKi-Treff",
        "Допомога з домашніми завданнями в JuKi-Treff",
    ),
    "ferienprogramm-juki": ("Holiday programme", "برنامج العطلة", "Програма на канікули"),
    "eltern-cafe-kita": (
        "Parents' café at the family centre",
        "مقهى الأهالي في مركز الأسرة",
        "Кафе для батьків у сімейному центрі",
    ),
    "kita-anmeldung-beratung": (
        "Advice on Kita registration",
        "استشارة حول التسجيل في الروضة",
        "Консультація щодо запису до дитсадка",
    ),
    "seiteneinstieg-beratung": (
        "Office hours for pupils joining school",
        "ساعات استشارة للملتحقين بالمدرسة",
        "Консультація для учнів, що вступають до школи",
    ),
    "schnuppertraining-fussball": (
        "Football taster training",
        "تدريب تجريبي لكرة القدم",
        "Пробне тренування з футболу",
    ),
    "frauensport-lanstrop": ("Sports for women", "رياضة للنساء", "Спорт для жінок"),
    "schwimmkurs-kinder": (
        "Swimming course for children",
        "دورة سباحة للأطفال",
        "Курс плавання для дітей",
    ),
    "erziehungsberatung": ("Parenting advice", "استشارة تربوية", "Консультація з виховання"),
    "mbe-sprechstunde": (
        "Open office hours: migration advice",
        "ساعات مفتوحة: استشارة الهجرة",
        "Відкрита консультація з питань міграції",
    ),
    "bewerbungstraining": (
        "Job application training",
        "تدريب على طلبات التوظيف",
        "Тренінг з подання заявок на роботу",
    ),
    "impfberatung": (
        "Vaccination advice for families",
        "استشارة التطعيم للعائلات",
        "Консультація щодо щеплень для сімей",
    ),
    "ukrainische-beratung": (
        "Advice in Ukrainian",
        "استشارة باللغة الأوكرانية",
        "Консультація українською",
    ),
    "samstagsschule": ("Saturday school", "مدرسة السبت", "Суботня школа"),
    "hausaufgaben-arabisch": (
        "Homework help Arabic–German",
        "مساعدة في الواجبات عربي–ألماني",
        "Допомога з домашніми завданнями арабською і німецькою",
    ),
    "frauengruppe-kulturhaus": ("Women's group", "مجموعة نسائية", "Жіноча група"),
    "vorlesestunde": (
        "Story time in many languages",
        "ساعة القراءة بلغات عديدة",
        "Читання вголос багатьма мовами",
    ),
    "foerderklassen-info": (
        "Information evening: international support classes",
        "أمسية معلومات: الصفوف الدولية للدعم",
        "Інформаційний вечір: міжнародні класи підтримки",
    ),
    "bewerbungshilfe-jugend": (
        "Job application help for young people",
        "مساعدة الشباب في طلبات التوظيف",
        "Допомога молоді з заявками на роботу",
    ),
    "radfahrkurs-frauen": (
        "Cycling course for women",
        "دورة ركوب الدراجة للنساء",
        "Курс їзди на велосипеді для жінок",
    ),
    "wohnungssuche-beratung": (
        "Help finding a flat",
        "مساعدة في البحث عن شقة",
        "Допомога в пошуку житла",
    ),
}

# The notes that the free text of the demo leaves, in English, Arabic and Ukrainian.
NOTES = {
    "nach Absprache": ("by arrangement", "بالاتفاق", "за домовленістю"),
    "nach Vereinbarung": ("by appointment", "بموعد مسبق", "за попереднім записом"),
    "in den Sommerferien": (
        "in the summer holidays",
        "في العطلة الصيفية",
        "під час літніх канікул",
    ),
    "Termine auf Anfrage": ("dates on request", "المواعيد عند الطلب", "дати за запитом"),
    "pro Woche": ("per week", "في الأسبوع", "на тиждень"),
    "pro Kurs, Ermäßigung möglich": (
        "per course, reduction possible",
        "للدورة، تخفيض ممكن",
        "за курс, можлива знижка",
    ),
}


def _translated(field: str, texts) -> dict:
    return {
        f"{field}_{code}": text for code, text in zip(("en", "ar", "uk"), texts or (), strict=False)
    }


DISTRICT_NAMES = {
    "lanstrop": "Lanstrop",
    "scharnhorst": "Scharnhorst",
    "eving": "Eving",
    "nordstadt": "Nordstadt",
    "hoerde": "Hörde",
    "huckarde": "Huckarde",
    "mengede": "Mengede",
    "brackel": "Brackel",
}

# slug: (name, kind, district, address, phone, languages, description, months since contact)
ORGANISATIONS = {
    "kita-lanstroper-strolche": (
        "Kita Lanstroper Strolche",
        "kita",
        "lanstrop",
        "Kirchderner Straße 12, 44329 Dortmund",
        "0231 29 00 01",
        ["de", "ar", "tr"],
        "Städtische Kita mit 70 Plätzen, Familienzentrum.",
        2,
    ),
    "kita-regenbogen-lanstrop": (
        "Kita Regenbogen",
        "kita",
        "lanstrop",
        "Nadlerweg 14, 44329 Dortmund",
        "0231 29 00 02",
        ["de", "ru"],
        "Evangelische Kita, U3-Gruppe, Sprachförderung im Alltag.",
        8,
    ),
    "grundschule-lanstrop": (
        "Grundschule Lanstrop",
        "school",
        "lanstrop",
        "Lanstroper Straße 30, 44329 Dortmund",
        "0231 29 00 10",
        ["de", "ar", "uk"],
        "Offene Ganztagsgrundschule mit Seiteneinsteigerklasse.",
        1,
    ),
    "juki-treff": (
        "JuKi-Treff Lanstrop",
        "youth_centre",
        "lanstrop",
        "Am Lanstroper See 5, 44329 Dortmund",
        "0231 29 00 20",
        ["de", "ar", "fa"],
        "Kinder- und Jugendtreff: offene Tür, Hausaufgabenhilfe, Ferienprogramm.",
        3,
    ),
    "initiative-angekommen": (
        "Initiative „Angekommen“",
        "initiative",
        "lanstrop",
        "Gemeindehaus, Rüschebrinkstraße 2, 44329 Dortmund",
        "0170 0000000",
        ["de", "en", "ar"],
        "Ehrenamtliche begleiten neu zugezogene Familien: Sprachcafé, Patenschaften, Begleitung.",
        0,
    ),
    "sv-lanstrop-1920": (
        "SV Lanstrop 1920",
        "sports_club",
        "lanstrop",
        "Sportplatz Lanstrop, 44329 Dortmund",
        "0231 29 00 30",
        ["de", "tr"],
        "Fußball, Turnen und Frauensport. Schnuppertraining kostenlos.",
        10,
    ),
    "tus-scharnhorst": (
        "TuS Scharnhorst",
        "sports_club",
        "scharnhorst",
        "Gleiwitzstraße 40, 44328 Dortmund",
        "0231 23 00 01",
        ["de", "ru", "pl"],
        "Breitensportverein mit Schwimmkursen für Kinder und Erwachsene.",
        12,
    ),
    "familienberatung-nord": (
        "Familienberatungsstelle Nord",
        "counselling",
        "nordstadt",
        "Leopoldstraße 16, 44147 Dortmund",
        "0231 50-11111",
        ["de", "ar", "tr", "ku"],
        "Beratung bei Erziehungsfragen, Trennung und Krisen, kostenlos und vertraulich.",
        4,
    ),
    "migrationsberatung-eving": (
        "Migrationsberatung Eving",
        "counselling",
        "eving",
        "Deutsche Straße 5, 44339 Dortmund",
        "0231 80 00 01",
        ["de", "ar", "fa", "ps"],
        "Migrationsberatung für Erwachsene (MBE): Aufenthalt, Sprachkurse, Arbeit.",
        1,
    ),
    "jobcenter-nordost": (
        "Jobcenter Dortmund, Standort Nordost",
        "administration",
        "scharnhorst",
        "Mackenrothweg 15, 44328 Dortmund",
        "0231 842-0",
        ["de", "en"],
        "Arbeitsvermittlung und Leistungen, Termine nach Vereinbarung.",
        7,
    ),
    "buergerdienste-nord": (
        "Bürgerdienste Nord",
        "administration",
        "eving",
        "Evinger Platz 2, 44339 Dortmund",
        "0231 50-22222",
        ["de"],
        "An- und Ummeldung, Ausweise, Bescheinigungen.",
        9,
    ),
    "gesundheitsamt-kinder": (
        "Gesundheitsamt – Kinder- und Jugendgesundheit",
        "administration",
        "nordstadt",
        "Hövelstraße 8, 44137 Dortmund",
        "0231 50-33333",
        ["de", "ar", "uk"],
        "Schuleingangsuntersuchung, Impfberatung.",
        14,
    ),
    "ukrainischer-verein": (
        "Ukrainischer Verein Dortmund",
        "migrant_organisation",
        "hoerde",
        "Hermannstraße 50, 44263 Dortmund",
        "0231 40 00 01",
        ["uk", "ru", "de"],
        "Selbstorganisation: Beratung auf Ukrainisch, Kulturabende, Samstagsschule.",
        2,
    ),
    "syrisches-kulturhaus": (
        "Syrisches Kulturhaus",
        "migrant_organisation",
        "nordstadt",
        "Mallinckrodtstraße 80, 44145 Dortmund",
        "0231 81 00 01",
        ["ar", "ku", "de"],
        "Treffpunkt, Hausaufgabenhilfe auf Arabisch und Deutsch, Frauengruppe.",
        6,
    ),
    "stadtteilbibliothek-huckarde": (
        "Stadtteilbibliothek Huckarde",
        "other",
        "huckarde",
        "Urbanusstraße 5, 44369 Dortmund",
        "0231 50-44444",
        ["de", "en"],
        "Bücher in vielen Sprachen, Vorlesestunden, kostenloser Bibliotheksausweis für Kinder.",
        5,
    ),
    "gesamtschule-brackel": (
        "Gesamtschule Brackel",
        "school",
        "brackel",
        "Oberdorfstraße 23, 44309 Dortmund",
        "0231 25 00 01",
        ["de", "tr", "ar"],
        "Internationale Förderklassen für Neuzugewanderte ab 12 Jahren.",
        3,
    ),
    "jugendtreff-mengede": (
        "Jugendtreff Mengede",
        "youth_centre",
        "mengede",
        "Bürenstraße 1, 44359 Dortmund",
        "0231 33 00 01",
        ["de", "ar"],
        "Offener Treff für 10- bis 21-Jährige, Musikstudio, Bewerbungshilfe.",
        11,
    ),
    "frauennetzwerk-hoerde": (
        "Frauennetzwerk Hörde",
        "initiative",
        "hoerde",
        "Faßstraße 21, 44263 Dortmund",
        "0231 43 00 01",
        ["de", "fa", "ar", "tr"],
        "Treffen, Radfahrkurse und Schwimmkurse für Frauen.",
        1,
    ),
}

# (slug, organisation, title, category, target groups, languages, district, place,
#  schedule, cost, registration)
OFFERS = [
    (
        "sprachcafe-lanstrop",
        "initiative-angekommen",
        "Sprachcafé Lanstrop",
        "language",
        ["adults", "women"],
        ["de", "ar", "en"],
        "lanstrop",
        "Gemeindehaus Lanstrop",
        "Mittwochs 16:00–18:00",
        "kostenlos",
        False,
    ),
    (
        "patenschaften-angekommen",
        "initiative-angekommen",
        "Patenschaften für neue Nachbarn",
        "authorities",
        ["families"],
        ["de", "en", "ar"],
        "lanstrop",
        "nach Absprache",
        "nach Absprache",
        "kostenlos",
        True,
    ),
    (
        "hausaufgabenhilfe-juki",
        "juki-treff",
        "Hausaufgabenhilfe im JuKi-Treff",
        "school",
        ["children", "young_people"],
        ["de", "ar", "fa"],
        "lanstrop",
        "JuKi-Treff",
        "Montag bis Donnerstag 14:00–16:00",
        "kostenlos",
        False,
    ),
    (
        "ferienprogramm-juki",
        "juki-treff",
        "Ferienprogramm",
        "leisure",
        ["children"],
        ["de"],
        "lanstrop",
        "JuKi-Treff",
        "in den Sommerferien",
        "5 € pro Woche",
        True,
    ),
    (
        "eltern-cafe-kita",
        "kita-lanstroper-strolche",
        "Eltern-Café im Familienzentrum",
        "kita",
        ["families"],
        ["de", "ar", "tr"],
        "lanstrop",
        "Kita Lanstroper Strolche",
        "Freitags 9:00–10:30",
        "kostenlos",
        False,
    ),
    (
        "kita-anmeldung-beratung",
        "kita-regenbogen-lanstrop",
        "Beratung zur Kita-Anmeldung",
        "kita",
        ["families"],
        ["de", "ru"],
        "lanstrop",
        "Kita Regenbogen",
        "Dienstags 14:00–15:00",
        "kostenlos",
        True,
    ),
    (
        "seiteneinstieg-beratung",
        "grundschule-lanstrop",
        "Sprechstunde Seiteneinstieg",
        "school",
        ["families", "children"],
        ["de", "ar", "uk"],
        "lanstrop",
        "Grundschule Lanstrop",
        "Donnerstags 12:00–13:00",
        "kostenlos",
        True,
    ),
    (
        "schnuppertraining-fussball",
        "sv-lanstrop-1920",
        "Schnuppertraining Fußball",
        "leisure",
        ["children", "young_people"],
        ["de", "tr"],
        "lanstrop",
        "Sportplatz Lanstrop",
        "Samstags 10:00–11:30",
        "kostenlos",
        False,
    ),
    (
        "frauensport-lanstrop",
        "sv-lanstrop-1920",
        "Frauensport",
        "leisure",
        ["women"],
        ["de"],
        "lanstrop",
        "Turnhalle Lanstrop",
        "Montags 19:00–20:00",
        "kostenlos",
        False,
    ),
    (
        "schwimmkurs-kinder",
        "tus-scharnhorst",
        "Schwimmkurs für Kinder",
        "leisure",
        ["children"],
        ["de", "ru", "pl"],
        "scharnhorst",
        "Hallenbad Scharnhorst",
        "Freitags 16:00–17:00",
        "30 € pro Kurs, Ermäßigung möglich",
        True,
    ),
    (
        "erziehungsberatung",
        "familienberatung-nord",
        "Erziehungsberatung",
        "health",
        ["families"],
        ["de", "ar", "tr", "ku"],
        "nordstadt",
        "Leopoldstraße 16",
        "nach Vereinbarung",
        "kostenlos",
        True,
    ),
    (
        "mbe-sprechstunde",
        "migrationsberatung-eving",
        "Offene Sprechstunde Migrationsberatung",
        "authorities",
        ["adults"],
        ["de", "ar", "fa", "ps"],
        "eving",
        "Deutsche Straße 5",
        "Dienstags 9:00–12:00",
        "kostenlos",
        False,
    ),
    (
        "bewerbungstraining",
        "jobcenter-nordost",
        "Bewerbungstraining",
        "work",
        ["adults"],
        ["de", "en"],
        "scharnhorst",
        "Mackenrothweg 15",
        "jeden ersten Montag im Monat",
        "kostenlos",
        True,
    ),
    (
        "impfberatung",
        "gesundheitsamt-kinder",
        "Impfberatung für Familien",
        "health",
        ["families", "children"],
        ["de", "ar", "uk"],
        "nordstadt",
        "Hövelstraße 8",
        "Mittwochs 8:00–12:00",
        "kostenlos",
        False,
    ),
    (
        "ukrainische-beratung",
        "ukrainischer-verein",
        "Beratung auf Ukrainisch",
        "authorities",
        ["everyone"],
        ["uk", "ru"],
        "hoerde",
        "Hermannstraße 50",
        "Samstags 11:00–14:00",
        "kostenlos",
        False,
    ),
    (
        "samstagsschule",
        "ukrainischer-verein",
        "Samstagsschule",
        "school",
        ["children"],
        ["uk"],
        "hoerde",
        "Hermannstraße 50",
        "Samstags 9:00–12:00",
        "kostenlos",
        True,
    ),
    (
        "hausaufgaben-arabisch",
        "syrisches-kulturhaus",
        "Hausaufgabenhilfe Arabisch–Deutsch",
        "school",
        ["children", "young_people"],
        ["ar", "de"],
        "nordstadt",
        "Mallinckrodtstraße 80",
        "Dienstags und Donnerstags 15:00–17:00",
        "kostenlos",
        False,
    ),
    (
        "frauengruppe-kulturhaus",
        "syrisches-kulturhaus",
        "Frauengruppe",
        "leisure",
        ["women"],
        ["ar", "ku"],
        "nordstadt",
        "Mallinckrodtstraße 80",
        "Sonntags 15:00–17:00",
        "kostenlos",
        False,
    ),
    (
        "vorlesestunde",
        "stadtteilbibliothek-huckarde",
        "Vorlesestunde in vielen Sprachen",
        "language",
        ["children", "families"],
        ["de", "en"],
        "huckarde",
        "Stadtteilbibliothek Huckarde",
        "Mittwochs 16:00",
        "kostenlos",
        False,
    ),
    (
        "foerderklassen-info",
        "gesamtschule-brackel",
        "Info-Abend Internationale Förderklassen",
        "school",
        ["families", "young_people"],
        ["de", "tr", "ar"],
        "brackel",
        "Gesamtschule Brackel",
        "Termine auf Anfrage",
        "kostenlos",
        True,
    ),
    (
        "bewerbungshilfe-jugend",
        "jugendtreff-mengede",
        "Bewerbungshilfe für Jugendliche",
        "work",
        ["young_people"],
        ["de", "ar"],
        "mengede",
        "Jugendtreff Mengede",
        "Mittwochs 15:00–18:00",
        "kostenlos",
        False,
    ),
    (
        "radfahrkurs-frauen",
        "frauennetzwerk-hoerde",
        "Radfahrkurs für Frauen",
        "leisure",
        ["women"],
        ["de", "fa", "ar", "tr"],
        "hoerde",
        "Phoenix-See, Treffpunkt Kulturinsel",
        "Samstags 10:00–12:00",
        "kostenlos",
        True,
    ),
    (
        "wohnungssuche-beratung",
        "migrationsberatung-eving",
        "Hilfe bei der Wohnungssuche",
        "housing",
        ["families", "adults"],
        ["de", "ar", "fa"],
        "eving",
        "Deutsche Straße 5",
        "Donnerstags 13:00–15:00",
        "kostenlos",
        True,
    ),
]

VOLUNTEERS = [
    (
        "Miriam K.",
        "miriam@example.org",
        "lanstrop",
        ["de", "ar"],
        ["interpreting", "accompanying"],
        "Dienstag- und Donnerstagnachmittag",
        "active",
    ),
    (
        "Jonas B.",
        "jonas@example.org",
        "scharnhorst",
        ["de", "en"],
        ["homework", "sports"],
        "Montags ab 15 Uhr",
        "contacted",
    ),
    (
        "Olena S.",
        "olena@example.org",
        "hoerde",
        ["uk", "ru", "de"],
        ["interpreting"],
        "am Wochenende",
        "new",
    ),
    (
        "Hasan Y.",
        "hasan@example.org",
        "nordstadt",
        ["tr", "ku", "de"],
        ["leisure", "other"],
        "flexibel",
        "new",
    ),
]

# topic, text, status, need, district, language of the form
SUGGESTIONS = [
    ("Spielplatz", "Am Nadlerweg fehlt ein Spielplatz für kleine Kinder.", "new", "leisure",
     "lanstrop", "de"),
    ("Sprachcafé", "Ein Sprachcafé am Samstag wäre gut für Berufstätige.", "in_progress",
     "language", "scharnhorst", "ar"),
    ("", "Die Bushaltestelle braucht einen Fahrplan in einfacher Sprache.", "done", "", "",
     "de"),
]


def _district(slug: str) -> District:
    return District.objects.get_or_create(slug=slug, defaults={"name": DISTRICT_NAMES[slug]})[0]


def _languages(codes):
    return list(Language.objects.filter(code__in=codes))


def load(*, stdout=None) -> None:
    today = timezone.localdate()
    organisations = {}
    for slug, (
        name,
        kind,
        district,
        address,
        phone,
        langs,
        description,
        months,
    ) in ORGANISATIONS.items():
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "district": _district(district),
                "address": address,
                "phone": phone,
                "email": f"{slug}@example.org",
                "contact_public": True,
                "website": f"https://{slug}.example.org/",
                "description": description,
                "description_de": description,
                "status": Organisation.Status.PUBLISHED,
                "relationship_notes": "Demo: Ansprechpartnerin kennt das Team seit 2019.",
                "last_contact": today - timedelta(days=30 * months),
            },
        )
        organisation.languages.set(_languages(langs))
        organisations[slug] = organisation
    for (
        slug,
        org,
        title,
        category,
        groups,
        langs,
        district,
        place,
        schedule,
        cost,
        registration,
    ) in OFFERS:
        # The times and costs are written as the offers had them before they had structure,
        # and read as the migration read them (network/offer_times.py).
        time_data, time_note = parse_schedule(schedule)
        cost_kind, amount, cost_note = parse_cost(cost)
        translated = TITLES.get(slug, ())
        offer, _ = Offer.objects.update_or_create(
            slug=slug,
            defaults={
                "organisation": organisations[org],
                "title": title,
                "title_de": title,
                **{
                    f"title_{code}": text
                    for code, text in zip(("en", "ar", "uk"), translated, strict=False)
                },
                "description_de": f"{title}: {organisations[org].description}",
                "category": category,
                "district": _district(district),
                "place": place,
                "time_note_de": time_note,
                **_translated("time_note", NOTES.get(time_note)),
                "cost": cost_kind,
                "cost_amount": amount,
                "cost_note_de": cost_note,
                **_translated("cost_note", NOTES.get(cost_note)),
                "registration_needed": registration,
                "valid_from": date(2024, 1, 1),
                "status": Offer.Status.PUBLISHED,
            },
        )
        offer.languages.set(_languages(langs))
        offer.target_groups.set(TargetGroup.objects.filter(code__in=groups))
        offer.times.all().delete()
        if time_data is not None:
            OfferTime.objects.create(offer=offer, **time_data)
    # One offer waiting for moderation, so the queue is not empty in the demo.
    waiting, _ = Offer.objects.update_or_create(
        slug="nachhilfe-mathe-angekommen",
        defaults={
            "organisation": organisations["initiative-angekommen"],
            "title": "Nachhilfe Mathematik",
            "description": "Ehrenamtliche helfen Schülerinnen und Schülern der Klassen 5–10.",
            "category": "school",
            "district": _district("lanstrop"),
            "time_note_de": "",
            "cost": "free",
            "status": Offer.Status.SUBMITTED,
            "submitter_email": "angekommen@example.org",
        },
    )
    waiting.target_groups.set(TargetGroup.objects.filter(code="young_people"))
    waiting.times.all().delete()
    OfferTime.objects.create(offer=waiting, weekdays="4", starts=time(15), ends=time(16, 30))
    for name, email, district, langs, skills, availability, status in VOLUNTEERS:
        volunteer, _ = VolunteerRegistration.objects.update_or_create(
            email=email,
            defaults={
                "name": name,
                "district": _district(district),
                "availability": availability,
                "status": status,
            },
            create_defaults={
                "name": name,
                "district": _district(district),
                "availability": availability,
                "status": status,
                "consent_at": timezone.now(),
            },
        )
        volunteer.languages.set(_languages(langs))
        volunteer.skills.set(Skill.objects.filter(code__in=skills))
    for topic, text, status, need, district, language in SUGGESTIONS:
        Suggestion.objects.update_or_create(
            text=text,
            defaults={
                "topic": topic,
                "status": status,
                "need": need,
                "district": _district(district) if district else None,
                "language": language,
            },
        )
    search.rebuild()
    search.merge_index()
    if stdout is not None:
        stdout.write(
            f"Network: {len(ORGANISATIONS)} organisations, {len(OFFERS)} offers, "
            f"{len(VOLUNTEERS)} volunteers."
        )


SCALE_KINDS = [kind for kind, _label in Organisation.Kind.choices]
SCALE_CATEGORIES = [
    "housing",
    "kita",
    "school",
    "language",
    "work",
    "health",
    "authorities",
    "leisure",
]


def load_scale(*, scale: int, stdout=None) -> None:
    """A city-sized network for benchmarks: one organisation per 10 households and two and a
    half offers per organisation, most published. Idempotent (``scale-…`` slugs are kept)."""
    districts = list(District.objects.order_by("slug"))
    languages = list(Language.objects.filter(code__in=["de", "en", "ar", "uk", "tr", "fa", "ru"]))
    groups = list(TargetGroup.objects.all())
    today = timezone.localdate()
    n_orgs = max(10, scale // 10)
    n_offers = n_orgs * 5 // 2
    existing = set(
        Organisation.objects.filter(slug__startswith="scale-org-").values_list("slug", flat=True)
    )
    Organisation.objects.bulk_create(
        Organisation(
            slug=f"scale-org-{n}",
            name=f"Verein {n} für Nachbarschaft",
            kind=SCALE_KINDS[n % len(SCALE_KINDS)],
            district=districts[n % len(districts)],
            address=f"Beispielweg {n}, 44{n % 1000:03d} Dortmund",
            email=f"org{n}@example.org",
            description="Beratung, Begleitung und Treffpunkt im Stadtteil.",
            description_de="Beratung, Begleitung und Treffpunkt im Stadtteil.",
            status=Organisation.Status.PUBLISHED if n % 20 else Organisation.Status.SUBMITTED,
            last_contact=today - timedelta(days=n % 700),
        )
        for n in range(1, n_orgs + 1)
        if f"scale-org-{n}" not in existing
    )
    organisations = list(
        Organisation.objects.filter(slug__startswith="scale-org-").order_by("pk")[:n_orgs]
    )
    through = Organisation.languages.through
    new_org_ids = set(
        Organisation.objects.filter(slug__startswith="scale-org-")
        .exclude(slug__in=existing)
        .values_list("pk", flat=True)
    )
    through.objects.bulk_create(
        through(organisation_id=org.pk, language_id=language.pk)
        for org in organisations
        if org.pk in new_org_ids
        for language in languages[: 1 + org.pk % 4]
    )
    existing_offers = set(
        Offer.objects.filter(slug__startswith="scale-offer-").values_list("slug", flat=True)
    )
    statuses = [Offer.Status.PUBLISHED] * 8 + [Offer.Status.SUBMITTED, Offer.Status.EXPIRED]
    Offer.objects.bulk_create(
        Offer(
            slug=f"scale-offer-{n}",
            organisation=organisations[n % len(organisations)],
            title=f"Angebot {n}: {SCALE_CATEGORIES[n % len(SCALE_CATEGORIES)]}",
            description="Offenes Angebot für Familien, Jugendliche und Erwachsene.",
            category=SCALE_CATEGORIES[n % len(SCALE_CATEGORIES)],
            district=districts[n % len(districts)],
            place="Gemeindezentrum",
            title_de=f"Angebot {n}: {SCALE_CATEGORIES[n % len(SCALE_CATEGORIES)]}",
            description_de="Offenes Angebot für Familien, Jugendliche und Erwachsene.",
            cost="free",
            valid_from=date(2024, 1, 1),
            valid_until=(today + timedelta(days=365)) if n % 3 else None,
            status=statuses[n % len(statuses)],
        )
        for n in range(1, n_offers + 1)
        if f"scale-offer-{n}" not in existing_offers
    )
    new_offers = list(
        Offer.objects.filter(slug__startswith="scale-offer-")
        .exclude(slug__in=existing_offers)
        .values_list("pk", flat=True)
    )
    Offer.languages.through.objects.bulk_create(
        Offer.languages.through(offer_id=pk, language_id=languages[(pk + k) % len(languages)].pk)
        for pk in new_offers
        for k in range(1 + pk % 3)
    )
    if groups:
        Offer.target_groups.through.objects.bulk_create(
            Offer.target_groups.through(offer_id=pk, targetgroup_id=groups[pk % len(groups)].pk)
            for pk in new_offers
        )
    OfferTime.objects.bulk_create(
        OfferTime(offer_id=pk, weekdays=str(pk % 5), starts=time(15), ends=time(17))
        for pk in new_offers
    )
    search.offer_index(offer_ids=new_offers)
    search.organisation_index(organisation_ids=new_org_ids)
    search.merge_index()
    if stdout is not None:
        stdout.write(
            f"Network at scale {scale}: {Organisation.objects.count()} organisations, "
            f"{Offer.objects.count()} offers."
        )
