"""A small city for the casework journeys: districts (Lanstrop next to Scharnhorst), the team
"Eving und Scharnhorst" with two offices, and a staff member and a coordinator."""

from datetime import date, time

from django.contrib.auth.models import Group
from django.utils import timezone

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 760, "height": 1000}


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def build_city(django_user_model):
    from lokalwillkommen.models import District
    from offices.models import Office, OpeningRule, Team

    for name in ("staff", "coordinator"):
        Group.objects.get_or_create(name=name)
    lanstrop = District.objects.get_or_create(slug="lanstrop", defaults={"name": "Lanstrop"})[0]
    scharnhorst = District.objects.get_or_create(
        slug="scharnhorst", defaults={"name": "Scharnhorst"}
    )[0]
    hoerde = District.objects.get_or_create(slug="hoerde", defaults={"name": "Hörde"})[0]
    lanstrop.neighbours.add(scharnhorst)
    team = Team.objects.create(slug="eving-scharnhorst", name="Eving und Scharnhorst")
    office = Office.objects.create(
        name="lokal willkommen Lanstrop", slug="lanstrop", team=team, street="Nadlerweg 1",
        postcode="44329", district=lanstrop, phone="0231 50-00000",
    )
    OpeningRule.objects.create(office=office, weekday=3, opens=time(8, 30), closes=time(11, 30),
                               valid_from=date(2018, 9, 1))
    second = Office.objects.create(
        name="Anlaufstelle Alt-Scharnhorst", slug="alt-scharnhorst", team=team,
        street="Gleiwitzstraße 2", postcode="44328", district=scharnhorst,
    )
    staff = django_user_model.objects.create_user(username="erika",
                                                  password="erika-phone-password-42")
    staff.groups.add(Group.objects.get(name="staff"))
    team.members.add(staff)
    coordinator = django_user_model.objects.create_user(username="clara",
                                                        password="clara-password-4242")
    coordinator.groups.add(Group.objects.get(name="coordinator"))
    return {
        "lanstrop": lanstrop, "scharnhorst": scharnhorst, "hoerde": hoerde, "team": team,
        "office": office, "second_office": second, "staff": staff, "coordinator": coordinator,
    }


def open_all_day_today(office):
    from offices.models import OpeningException

    today = timezone.localdate()
    OpeningException.objects.create(office=office, kind="special", date_from=today,
                                    date_until=today, opens=time(0, 0),
                                    closes=time(23, 59, 59), reason="Sprechstunde")


def household(city, name, *, needs=("kita",), languages=("ar",), district=None, **extra):
    from consultations.models import Household, HouseholdNeed
    from consultations.services import _next_reference
    from lokalwillkommen.models import Language

    h = Household.objects.create(
        reference=_next_reference(timezone.localdate().year), contact_name=name,
        phone="0231 000", street="Musterweg 1", postcode="44329",
        district=district or city["lanstrop"], team=city["team"], responsible=city["staff"],
        consent_given_on=timezone.localdate(), consent_scope="referrals",
        **extra,
    )
    h.languages.set(Language.objects.filter(code__in=languages))
    HouseholdNeed.objects.bulk_create([HouseholdNeed(household=h, need=n) for n in needs])
    return h
