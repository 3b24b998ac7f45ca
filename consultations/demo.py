"""Demo casework: a few fictitious households with visits, consultations and referrals.

Idempotent: households are found again by their demo contact name."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from lokalwillkommen.categories import Need
from lokalwillkommen.models import District, Language
from offices.models import Office, Team

from .models import (
    Consultation,
    ConsultationTopic,
    HomeVisit,
    Household,
    HouseholdNeed,
    Referral,
)

DISTRICT_NAMES = {
    "lanstrop": "Lanstrop",
    "scharnhorst": "Scharnhorst",
    "eving": "Eving",
    "nordstadt": "Nordstadt",
    "hoerde": "Hörde",
}

# contact name (fictitious), team, district, street, move-in (days ago), status, size,
# children (0–2, 3–5, 6–9, 10–17), languages, needs, previous housing
HOUSEHOLDS = [
    ("Familie Beispiel-Haddad", "eving-scharnhorst", "lanstrop", "Musterweg 3", 20, "visited",
     5, (1, 1, 1, 0), ["ar", "de"], [Need.KITA, Need.SCHOOL, Need.LANGUAGE],
     "Übergangseinrichtung Musterstraße"),
    ("Frau Demo-Kovalenko", "eving-scharnhorst", "scharnhorst", "Beispielstraße 12", 9,
     "new", 2, (0, 0, 0, 1), ["uk", "ru"], [Need.SCHOOL, Need.AUTHORITIES],
     "Übergangseinrichtung Probeweg"),
    ("Herr Test-Ahmadi", "eving-scharnhorst", "eving", "Platzhalterplatz 7", 45, "in_support",
     1, (0, 0, 0, 0), ["fa"], [Need.WORK, Need.LANGUAGE], "Übergangseinrichtung Musterstraße"),
    ("Familie Muster-Tesfay", "eving-scharnhorst", "lanstrop", "Nadlerweg 99", 3, "new", 4,
     (0, 2, 0, 0), ["ti"], [Need.KITA, Need.HOUSING], "Übergangseinrichtung Probeweg"),
    ("Familie Probe-Yilmaz", "innenstadt-nord", "nordstadt", "Fiktivstraße 5", 30,
     "contacted", 3, (0, 0, 1, 0), ["tr", "ku"], [Need.LEISURE, Need.HEALTH],
     "Übergangseinrichtung Nord"),
    ("Frau Beispiel-Popescu", "hoerde-aplerbeck", "hoerde", "Annahmeweg 2", 60, "closed", 2,
     (1, 0, 0, 0), ["ro"], [Need.WORK], "Übergangseinrichtung Süd"),
]


def _team(slug: str) -> Team:
    names = {
        "eving-scharnhorst": "Eving und Scharnhorst",
        "innenstadt-nord": "Innenstadt-Nord",
        "hoerde-aplerbeck": "Hörde und Aplerbeck",
    }
    return Team.objects.get_or_create(slug=slug, defaults={"name": names.get(slug, slug)})[0]


def _next_reference(year: int) -> str:
    from .services import _next_reference as next_reference

    return next_reference(year)


def load(*, stdout=None) -> None:
    User = get_user_model()
    staff = User.objects.get_or_create(username="staff", defaults={"email": "staff@example.org"})[
        0
    ]
    today = timezone.localdate()
    now = timezone.localtime()
    created = 0
    for (name, team_slug, district_slug, street, days_ago, status, size, children, languages,
         needs, previous) in HOUSEHOLDS:
        if Household.objects.filter(contact_name=name).exists():
            continue
        district = District.objects.get_or_create(
            slug=district_slug, defaults={"name": DISTRICT_NAMES[district_slug]}
        )[0]
        moved_in = today - timedelta(days=days_ago)
        household = Household.objects.create(
            reference=_next_reference(today.year),
            contact_name=name,
            phone="0231 000000",
            street=street,
            postcode="44329",
            previous_housing=previous,
            district=district,
            moved_in_on=moved_in,
            size=size,
            children_0_2=children[0],
            children_3_5=children[1],
            children_6_9=children[2],
            children_10_17=children[3],
            status=status,
            team=_team(team_slug),
            responsible=staff if team_slug == "eving-scharnhorst" else None,
            consent_given_on=moved_in + timedelta(days=1),
            consent_scope=Household.ConsentScope.REFERRALS,
            consent_recorded_by=staff,
            closed_at=timezone.now() if status == "closed" else None,
        )
        household.languages.set(Language.objects.filter(code__in=languages))
        HouseholdNeed.objects.bulk_create(
            [HouseholdNeed(household=household, need=n) for n in needs]
        )
        created += 1
        if status in ("visited", "in_support", "closed"):
            visit = HomeVisit.objects.create(
                household=household,
                status=HomeVisit.Status.DONE,
                scheduled_at=timezone.make_aware(
                    datetime.combine(moved_in + timedelta(days=2), time(10, 0))
                ),
                staff=staff,
                kind=HomeVisit.Kind.FIRST,
                information_given="Flyer des Büros, Liste der Kitas im Stadtteil",
                notes="Erster Besuch, Familie gut angekommen.",
                next_follow_up_on=today + timedelta(days=3),
            )
            _demo_referral(household, visit, needs[0], staff)
        if status in ("new", "contacted", "visited"):
            HomeVisit.objects.create(
                household=household,
                status=HomeVisit.Status.PLANNED,
                scheduled_at=timezone.make_aware(
                    datetime.combine(today + timedelta(days=2), time(14, 0))
                ),
                staff=staff,
                kind=HomeVisit.Kind.FOLLOW_UP if status == "visited" else HomeVisit.Kind.FIRST,
            )
    if not Consultation.objects.exists():
        offices = {o.slug: o for o in Office.objects.filter(
            slug__in=["lanstrop", "eving", "nordstadt", "hoerde"])}
        arabic = Language.objects.filter(code="ar").first()
        ukrainian = Language.objects.filter(code="uk").first()
        specs = [
            ("lanstrop", 7, [Need.AUTHORITIES], arabic, True, 15, None),
            ("lanstrop", 7, [Need.KITA, Need.SCHOOL], arabic, False, 20,
             Household.objects.filter(contact_name=HOUSEHOLDS[0][0]).first()),
            ("eving", 3, [Need.WORK], None, False, 10, None),
            ("nordstadt", 2, [Need.LANGUAGE], ukrainian, True, 25, None),
            ("hoerde", 1, [Need.HOUSING, Need.OTHER], None, False, 30, None),
        ]
        for slug, days_ago, topics, language, interpreter, minutes, household in specs:
            office = offices.get(slug)
            if office is None:
                continue
            consultation = Consultation.objects.create(
                office=office,
                held_at=now - timedelta(days=days_ago),
                staff=staff,
                language=language,
                interpreter_needed=interpreter,
                duration_minutes=minutes,
                household=household,
            )
            ConsultationTopic.objects.bulk_create(
                [ConsultationTopic(consultation=consultation, topic=t) for t in topics]
            )
    if stdout is not None:
        stdout.write(
            f"  households: {Household.objects.count()} (new: {created}), "
            f"consultations: {Consultation.objects.count()}"
        )


def _demo_referral(household, visit, need, staff) -> None:
    try:
        from network.models import Offer, Organisation
    except ImportError:  # pragma: no cover
        return
    offer = Offer.objects.filter(category=need, status="published").first()
    organisation = offer.organisation if offer else Organisation.objects.first()
    if organisation is None:
        return
    Referral.objects.create(
        household=household,
        visit=visit,
        organisation=organisation,
        offer=offer,
        category=need,
        status=Referral.Status.CONTACTED,
        follow_up_on=date.today() + timedelta(days=7),
        created_by=staff,
    )
