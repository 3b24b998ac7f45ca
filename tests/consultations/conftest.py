"""Casework fixtures: alice's household (Lanstrop team), bob's household (other team),
a published partner organisation and offer."""

from datetime import date, timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def organisation(db, lanstrop_district):
    from network.models import Organisation

    return Organisation.objects.create(
        kind="kita", name="Kita Sonnenschein", slug="kita-sonnenschein",
        district=lanstrop_district, status="published",
    )


@pytest.fixture
def offer(db, organisation, lanstrop_district):
    from network.models import Offer

    fields = {f.name for f in Offer._meta.get_fields()}
    kwargs = {"organisation": organisation, "title": "Eltern-Kind-Gruppe", "category": "kita",
              "status": "published"}
    if "slug" in fields:
        kwargs["slug"] = "eltern-kind-gruppe"
    if "district" in fields:
        kwargs["district"] = lanstrop_district
    return Offer.objects.create(**kwargs)


def make_household(team, district, *, user=None, name="Familie Test", **extra):
    from consultations.models import Household, HouseholdNeed
    from consultations.services import _next_reference

    needs = extra.pop("needs", ["kita"])
    defaults = {
        "contact_name": name, "phone": "0231 123456", "street": "Teststraße 1",
        "postcode": "44329", "previous_housing": "Übergangsheim X", "notes": "Allergie",
        "district": district, "moved_in_on": date(2026, 1, 15), "size": 4,
        "children_0_2": 1, "children_3_5": 1, "team": team, "responsible": user,
        "consent_given_on": date(2026, 1, 16), "consent_scope": "casework",
        "consent_recorded_by": user,
    }
    defaults.update(extra)
    household = Household.objects.create(
        reference=_next_reference(timezone.localdate().year), **defaults
    )
    HouseholdNeed.objects.bulk_create([HouseholdNeed(household=household, need=n) for n in needs])
    return household


@pytest.fixture
def household(alice, lanstrop_team, lanstrop_district):
    return make_household(lanstrop_team, lanstrop_district, user=alice)


@pytest.fixture
def bobs_household(bob, other_team, other_district):
    return make_household(other_team, other_district, user=bob, name="Familie Anders")


@pytest.fixture
def visit(household, alice):
    from consultations.models import HomeVisit

    return HomeVisit.objects.create(
        household=household, scheduled_at=timezone.now() + timedelta(days=1), staff=alice,
        notes="Besuch geplant",
    )


@pytest.fixture
def referral(household, organisation, alice):
    from consultations.models import Referral

    return Referral.objects.create(
        household=household, organisation=organisation, category="kita", created_by=alice,
        notes="Platz angefragt",
    )


def form_token(username: str = "alice", label: str = "1") -> str:
    """A casework form token of ``username``'s, the same one for the same label (as when a
    form is sent twice)."""
    import hashlib

    from django.contrib.auth import get_user_model
    from django.core import signing

    from consultations.forms import FORM_TOKEN_SALT

    user = get_user_model().objects.get(username=username)
    nonce = hashlib.md5(label.encode()).hexdigest()
    return signing.Signer(salt=FORM_TOKEN_SALT).sign(f"{user.pk}.{nonce}")
