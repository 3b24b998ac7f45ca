"""A small world in which every URL of the project can be requested with real objects."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from network.models import Offer, Organisation, Suggestion, VolunteerRegistration
from offices.models import OpeningException
from tests.consultations.conftest import make_household
from tests.network.conftest import make_offer


def all_url_patterns(resolver=None, prefix=""):
    """Every named URL pattern of the project, from the resolver itself."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name, entry


@pytest.fixture
def world(db, lanstrop, alice, bob, carla, dan, lanstrop_team, lanstrop_district):
    from consultations.models import HomeVisit, Referral
    from network.links import make_token

    # Bob's household first, so that no two kinds of record share an id by chance.
    make_household(bob.teams.get(), lanstrop_district, user=bob, name="Familie Andere")
    household = make_household(lanstrop_team, lanstrop_district, user=alice)
    visit = HomeVisit.objects.create(
        household=household, staff=alice, status="planned", scheduled_at=timezone.now()
    )
    organisation = Organisation.objects.create(
        name="Sportverein Lanstrop",
        slug="sv-lanstrop",
        kind=Organisation.Kind.SPORTS_CLUB,
        district=lanstrop_district,
        status=Organisation.Status.PUBLISHED,
    )
    published = make_offer(organisation, title="Fußball", slug="fussball")
    submitted_org = Organisation.objects.create(
        name="Neu e.V.",
        slug="neu-ev",
        kind=Organisation.Kind.INITIATIVE,
        district=lanstrop_district,
        status=Organisation.Status.SUBMITTED,
    )
    submitted = make_offer(
        submitted_org,
        title="Sprachcafé",
        slug="sprachcafe",
        status=Offer.Status.SUBMITTED,
        category="language",
    )
    volunteer = VolunteerRegistration.objects.create(
        name="Vera", email="vera@example.org", consent_at=timezone.now()
    )
    suggestion = Suggestion.objects.create(text="Mehr Sprachcafés")
    closure = OpeningException.objects.create(
        office=lanstrop, kind="closed", date_from=date(2030, 1, 2), date_until=date(2030, 1, 2)
    )
    referral = Referral.objects.create(
        household=household, organisation=organisation, category="leisure", created_by=alice
    )
    from consultations.models import Consultation

    consultation = Consultation.objects.create(
        office=lanstrop, held_at=timezone.now(), staff=alice, duration_minutes=10
    )

    from network.models import OfferRevision

    change = OfferRevision.objects.create(offer=published, data={"title_de": ["Neu"]})
    return {
        "household": household,
        "visit": visit,
        "referral": referral,
        "consultation": consultation,
        "organisation": organisation,
        "offer": published,
        "submitted_offer": submitted,
        "submitted_organisation": submitted_org,
        "volunteer": volunteer,
        "suggestion": suggestion,
        "closure": closure,
        "manage_token": make_token("offer", submitted),
        "staff_account": alice,
        "change": change,
    }
