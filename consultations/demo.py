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
    (
        "Familie Beispiel-Haddad",
        "eving-scharnhorst",
        "lanstrop",
        "Musterweg 3",
        20,
        "visited",
        5,
        (1, 1, 1, 0),
        ["ar", "de"],
        [Need.KITA, Need.SCHOOL, Need.LANGUAGE],
        "Übergangseinrichtung Musterstraße",
    ),
    (
        "Frau Demo-Kovalenko",
        "eving-scharnhorst",
        "scharnhorst",
        "Beispielstraße 12",
        9,
        "new",
        2,
        (0, 0, 0, 1),
        ["uk", "ru"],
        [Need.SCHOOL, Need.AUTHORITIES],
        "Übergangseinrichtung Probeweg",
    ),
    (
        "Herr Test-Ahmadi",
        "eving-scharnhorst",
        "eving",
        "Platzhalterplatz 7",
        45,
        "in_support",
        1,
        (0, 0, 0, 0),
        ["fa"],
        [Need.WORK, Need.LANGUAGE],
        "Übergangseinrichtung Musterstraße",
    ),
    (
        "Familie Muster-Tesfay",
        "eving-scharnhorst",
        "lanstrop",
        "Nadlerweg 99",
        3,
        "new",
        4,
        (0, 2, 0, 0),
        ["ti"],
        [Need.KITA, Need.HOUSING],
        "Übergangseinrichtung Probeweg",
    ),
    (
        "Familie Probe-Yilmaz",
        "innenstadt-nord",
        "nordstadt",
        "Fiktivstraße 5",
        30,
        "contacted",
        3,
        (0, 0, 1, 0),
        ["tr", "ku"],
        [Need.LEISURE, Need.HEALTH],
        "Übergangseinrichtung Nord",
    ),
    (
        "Frau Beispiel-Popescu",
        "hoerde-aplerbeck",
        "hoerde",
        "Annahmeweg 2",
        60,
        "closed",
        2,
        (1, 0, 0, 0),
        ["ro"],
        [Need.WORK],
        "Übergangseinrichtung Süd",
    ),
]


# Districts that share a border (Dortmund, simplified), for ranking referral suggestions
# and volunteers: an offer or a volunteer next door comes just after one in the district.
NEIGHBOURS = [
    ("lanstrop", "scharnhorst"),
    ("lanstrop", "brackel"),
    ("scharnhorst", "eving"),
    ("scharnhorst", "brackel"),
    ("scharnhorst", "nordstadt"),
    ("eving", "nordstadt"),
    ("eving", "huckarde"),
    ("eving", "mengede"),
    ("nordstadt", "huckarde"),
    ("nordstadt", "innenstadt-west"),
    ("nordstadt", "innenstadt-ost"),
    ("huckarde", "mengede"),
    ("huckarde", "innenstadt-west"),
    ("huckarde", "luetgendortmund"),
    ("mengede", "luetgendortmund"),
    ("brackel", "innenstadt-ost"),
    ("brackel", "aplerbeck"),
    ("innenstadt-west", "innenstadt-ost"),
    ("innenstadt-west", "hombruch"),
    ("innenstadt-west", "luetgendortmund"),
    ("innenstadt-west", "hoerde"),
    ("innenstadt-ost", "hoerde"),
    ("innenstadt-ost", "aplerbeck"),
    ("hoerde", "aplerbeck"),
    ("hoerde", "hombruch"),
    ("hombruch", "luetgendortmund"),
]


def load_neighbours() -> None:
    """Record which of the demo's districts border each other (those that exist)."""
    districts = {d.slug: d for d in District.objects.all()}
    for a, b in NEIGHBOURS:
        if a in districts and b in districts:
            districts[a].neighbours.add(districts[b])


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
    staff = User.objects.get_or_create(username="staff", defaults={"email": "staff@example.org"})[0]
    today = timezone.localdate()
    now = timezone.localtime()
    created = 0
    for (
        name,
        team_slug,
        district_slug,
        street,
        days_ago,
        status,
        size,
        children,
        languages,
        needs,
        previous,
    ) in HOUSEHOLDS:
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
    load_neighbours()
    if not Consultation.objects.exists():
        offices = {
            o.slug: o
            for o in Office.objects.filter(slug__in=["lanstrop", "eving", "nordstadt", "hoerde"])
        }
        arabic = Language.objects.filter(code="ar").first()
        ukrainian = Language.objects.filter(code="uk").first()
        specs = [
            ("lanstrop", 7, [Need.AUTHORITIES], arabic, True, 15, None),
            (
                "lanstrop",
                7,
                [Need.KITA, Need.SCHOOL],
                arabic,
                False,
                20,
                Household.objects.filter(contact_name=HOUSEHOLDS[0][0]).first(),
            ),
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


# A city-sized data set for benchmarks -----------------------------------------------------

SCALE_PREFIX = "LW-S-"
SCALE_CHUNK = 2000
CONSULTATIONS_PER_HOUSEHOLD = 10
SCALE_DISTRICTS = {
    # slug: name — Dortmund's districts, plus the ones the demo already has
    "innenstadt-west": "Innenstadt-West",
    "innenstadt-ost": "Innenstadt-Ost",
    "brackel": "Brackel",
    "aplerbeck": "Aplerbeck",
    "hombruch": "Hombruch",
    "luetgendortmund": "Lütgendortmund",
    "huckarde": "Huckarde",
    "mengede": "Mengede",
    **DISTRICT_NAMES,
}
OUTCOME_REASONS = ["waiting_list", "full", "language", "distance", "declined", "other"]
# weights of household status, language, need
STATUS_WEIGHTS = [("new", 8), ("contacted", 8), ("visited", 14), ("in_support", 45), ("closed", 25)]
LANGUAGE_WEIGHTS = {
    "ar": 30,
    "uk": 25,
    "fa": 10,
    "tr": 8,
    "ru": 8,
    "ti": 5,
    "ku": 5,
    "ro": 5,
    "en": 4,
    "de": 10,
}


class _DatesAsGiven:
    """Lets bulk_create keep the ``created_at`` we give (spread over years) instead of now."""

    def __init__(self, *fields):
        self.fields = fields

    def __enter__(self):
        for f in self.fields:
            f.auto_now_add = False

    def __exit__(self, *exc):
        for f in self.fields:
            f.auto_now_add = True


def load_scale(*, scale: int, stdout=None) -> None:
    """About ``scale`` households with needs, languages and visits, ten consultations per
    household (most anonymous) and referrals, spread over three years; created with
    ``bulk_create`` in chunks. Running it again adds only what is missing."""
    import random
    import time as clock

    from django.db import transaction

    started = clock.monotonic()
    existing = Household.objects.filter(reference__startswith=SCALE_PREFIX).count()
    if existing >= scale:
        if stdout is not None:
            stdout.write(f"  scale households: {existing} already there")
        return
    for slug, name in SCALE_DISTRICTS.items():
        if (
            not District.objects.filter(slug=slug).exists()
            and not District.objects.filter(name=name).exists()
        ):
            District.objects.create(slug=slug, name=name)
    load_neighbours()
    ctx = _scale_context()
    if ctx is None:
        if stdout is not None:
            stdout.write("  scale: no team or office yet, nothing created")
        return
    rng = random.Random(20260101 + existing)
    with _DatesAsGiven(
        Household._meta.get_field("created_at"), Referral._meta.get_field("created_at")
    ):
        for first in range(existing, scale, SCALE_CHUNK):
            with transaction.atomic():
                _scale_chunk(rng, ctx, first, min(first + SCALE_CHUNK, scale))
            if stdout is not None and (first // SCALE_CHUNK) % 5 == 4:
                stdout.write(f"  scale households: {min(first + SCALE_CHUNK, scale)}")
    if stdout is not None:
        stdout.write(
            f"  scale households: {scale} (new: {scale - existing}), consultations: "
            f"{Consultation.objects.count()} in {clock.monotonic() - started:.1f} s"
        )


def _scale_context() -> dict | None:
    teams = list(Team.objects.values_list("id", flat=True))
    offices = list(Office.objects.values_list("id", flat=True))
    if not teams or not offices:
        return None
    User = get_user_model()
    staff = list(
        User.objects.filter(groups__name__in=["staff", "coordinator"])
        .values_list("id", flat=True)
        .distinct()
    ) or [None]
    languages = dict(Language.objects.values_list("code", "id"))
    language_weights = [(languages[c], w) for c, w in LANGUAGE_WEIGHTS.items() if c in languages]
    if not language_weights:
        language_weights = [(pk, 1) for pk in languages.values()]
    organisations, offers = [], {}
    try:
        from network.models import Offer, Organisation

        organisations = list(
            Organisation.objects.filter(status="published").values_list("id", flat=True)
        )
        for pk, organisation, category in Offer.objects.filter(status="published").values_list(
            "id", "organisation_id", "category"
        ):
            offers.setdefault(category, []).append((pk, organisation))
    except ImportError:  # pragma: no cover
        pass
    districts = list(District.objects.values_list("id", flat=True))
    return {
        "teams": teams,
        "offices": offices,
        "staff": staff,
        "districts": districts,
        # each district is looked after by one team, as in the city
        "team_of": {d: teams[i % len(teams)] for i, d in enumerate(districts)},
        "languages": [pk for pk, _w in language_weights],
        "language_weights": [w for _pk, w in language_weights],
        "organisations": organisations,
        "offers": offers,
    }


def _scale_chunk(rng, ctx, first: int, last: int) -> None:
    now = timezone.now()
    today = timezone.localdate()
    needs_all = list(Need.values)
    statuses, status_weights = zip(*STATUS_WEIGHTS, strict=True)
    households = []
    for i in range(first, last):
        created = now - timedelta(days=rng.randrange(0, 3 * 365), minutes=rng.randrange(1440))
        status = rng.choices(statuses, status_weights)[0]
        size = rng.choice([1, 1, 2, 2, 3, 4, 4, 5, 6])
        children = [0, 0, 0, 0]
        for _k in range(max(0, size - 2)):
            children[rng.randrange(4)] += 1
        district = rng.choice(ctx["districts"])
        moved_in = timezone.localdate(created) - timedelta(days=rng.randrange(0, 30))
        households.append(
            Household(
                reference=f"{SCALE_PREFIX}{i + 1:07d}",
                contact_name=f"Haushalt {i + 1}",
                phone="0231 000000",
                street=f"Beispielstraße {i % 200 + 1}",
                postcode="44" + f"{rng.randrange(100, 400):03d}",
                previous_housing="Übergangseinrichtung",
                district_id=district,
                moved_in_on=moved_in,
                size=size,
                children_0_2=children[0],
                children_3_5=children[1],
                children_6_9=children[2],
                children_10_17=children[3],
                status=status,
                team_id=ctx["team_of"][district],
                responsible_id=rng.choice(ctx["staff"]),
                consent_given_on=moved_in,
                consent_scope=Household.ConsentScope.REFERRALS,
                consent_recorded_by_id=rng.choice(ctx["staff"]),
                created_at=created,
                closed_at=created + timedelta(days=rng.randrange(30, 300))
                if status == "closed"
                else None,
            )
        )
    households = Household.objects.bulk_create(households)
    needs, languages, visits, referrals = [], [], [], []
    Through = Household.languages.through
    for h in households:
        chosen = rng.sample(needs_all, rng.choice([1, 1, 2, 2, 3]))
        needs += [HouseholdNeed(household_id=h.pk, need=n) for n in chosen]
        codes = set(rng.choices(ctx["languages"], ctx["language_weights"], k=rng.choice([1, 2])))
        languages += [Through(household_id=h.pk, language_id=c) for c in codes]
        start = h.created_at + timedelta(days=rng.randrange(1, 20))
        if h.status == "new":
            visits.append(
                HomeVisit(
                    household_id=h.pk,
                    status="planned",
                    scheduled_at=start,
                    staff_id=h.responsible_id,
                    kind="first",
                )
            )
        elif h.status != "contacted":
            for k in range(rng.choice([1, 1, 2, 3])):
                visits.append(
                    HomeVisit(
                        household_id=h.pk,
                        status="missed" if rng.random() < 0.12 else "done",
                        scheduled_at=start + timedelta(days=45 * k),
                        staff_id=h.responsible_id,
                        kind="first" if k == 0 else "follow_up",
                    )
                )
        if ctx["organisations"] and h.status in ("visited", "in_support", "closed"):
            for need in chosen[: rng.choice([0, 1, 1, 2])]:
                offer, organisation = None, rng.choice(ctx["organisations"])
                if ctx["offers"].get(need) and rng.random() < 0.7:
                    offer, organisation = rng.choice(ctx["offers"][need])
                status = rng.choices(
                    ["suggested", "contacted", "taken_up", "not_taken_up"], [10, 20, 50, 20]
                )[0]
                referrals.append(
                    Referral(
                        household_id=h.pk,
                        organisation_id=organisation,
                        offer_id=offer,
                        category=need,
                        status=status,
                        outcome_reason=(
                            rng.choices(OUTCOME_REASONS, [30, 20, 15, 15, 15, 5])[0]
                            if status == "not_taken_up"
                            else ""
                        ),
                        follow_up_on=today,
                        created_by_id=h.responsible_id,
                        created_at=start + timedelta(days=rng.randrange(0, 60)),
                    )
                )
    HouseholdNeed.objects.bulk_create(needs, batch_size=5000)
    Through.objects.bulk_create(languages, batch_size=5000)
    HomeVisit.objects.bulk_create(visits, batch_size=5000)
    Referral.objects.bulk_create(referrals, batch_size=5000)

    ids = [h.pk for h in households]
    consultations = []
    for _k in range(len(households) * CONSULTATIONS_PER_HOUSEHOLD):
        language = (
            rng.choices(ctx["languages"], ctx["language_weights"])[0]
            if rng.random() < 0.85
            else None
        )
        consultations.append(
            Consultation(
                office_id=rng.choice(ctx["offices"]),
                held_at=now
                - timedelta(days=rng.randrange(0, 3 * 365), minutes=rng.randrange(1440)),
                staff_id=rng.choice(ctx["staff"]),
                language_id=language,
                interpreter_needed=language is not None and rng.random() < 0.3,
                duration_minutes=rng.choice([5, 10, 15, 15, 20, 30, 45]),
                household_id=rng.choice(ids) if rng.random() < 0.3 else None,
            )
        )
    consultations = Consultation.objects.bulk_create(consultations, batch_size=5000)
    topics = []
    for c in consultations:
        for topic in rng.sample(needs_all, rng.choice([1, 1, 1, 2])):
            topics.append(
                ConsultationTopic(consultation_id=c.pk, topic=topic, held_at=c.held_at)
            )
    ConsultationTopic.objects.bulk_create(topics, batch_size=5000)
