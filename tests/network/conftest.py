import pytest
from django.core.cache import cache
from django.utils import translation

from lokalwillkommen.models import Language
from network import search
from network.models import Offer, Organisation, TargetGroup


@pytest.fixture(autouse=True)
def _fresh_cache_and_german():
    cache.clear()
    translation.activate("de")
    yield
    cache.clear()
    translation.activate("de")


@pytest.fixture
def juki(db, lanstrop_district):
    organisation = Organisation.objects.create(
        name="JuKi-Treff Lanstrop",
        slug="juki-treff",
        kind=Organisation.Kind.YOUTH_CENTRE,
        district=lanstrop_district,
        status=Organisation.Status.PUBLISHED,
        address="Am Lanstroper See 5",
    )
    organisation.languages.set(Language.objects.filter(code__in=["de", "ar"]))
    search.organisation_index(organisation_ids=[organisation.pk])
    return organisation


def make_offer(
    organisation,
    *,
    title="Hausaufgabenhilfe",
    slug=None,
    status="published",
    category="school",
    district=None,
    languages=("de", "ar"),
    groups=("children",),
    **extra,
):
    offer = Offer.objects.create(
        organisation=organisation,
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        description=extra.pop("description", f"{title} im Stadtteil"),
        category=category,
        district=district or organisation.district,
        status=status,
        **extra,
    )
    offer.languages.set(Language.objects.filter(code__in=languages))
    offer.target_groups.set(TargetGroup.objects.filter(code__in=groups))
    # Created past the service functions: write its search document as they do.
    search.offer_index(offer_ids=[offer.pk])
    return offer


@pytest.fixture
def homework(juki):
    return make_offer(juki, title="Hausaufgabenhilfe", slug="hausaufgabenhilfe")
