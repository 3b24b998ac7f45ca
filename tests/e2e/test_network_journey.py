"""A resident on a phone searches the directory, opens an offer, and registers as a volunteer."""

from datetime import time

import pytest
from django.core import mail

from network.models import VolunteerRegistration

from .axe import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory_data(db):
    from lokalwillkommen.models import District, Language
    from network import search
    from network.models import Offer, OfferTime, Organisation, TargetGroup

    district = District.objects.get_or_create(slug="lanstrop", defaults={"name": "Lanstrop"})[0]
    org = Organisation.objects.create(
        name="JuKi-Treff Lanstrop",
        slug="juki-treff",
        kind="youth_centre",
        district=district,
        status="published",
        address="Am Lanstroper See 5",
    )
    offer = Offer.objects.create(
        organisation=org,
        title="Hausaufgabenhilfe",
        slug="hausaufgabenhilfe",
        description="Hilfe bei den Hausaufgaben",
        category="school",
        district=district,
        status="published",
    )
    OfferTime.objects.create(offer=offer, weekdays="0", starts=time(14))
    offer.languages.set(Language.objects.filter(code__in=["de", "ar"]))
    offer.target_groups.set(TargetGroup.objects.filter(code="children"))
    search.offer_index(offer_ids=[offer.pk])
    return offer


def test_resident_finds_offer_and_registers_as_volunteer(live_server, page, directory_data):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/ar/network/")
    assert_accessible(page, "directory in Arabic")

    page.goto(live_server.url + "/de/network/")
    assert_accessible(page, "directory in German")
    page.get_by_role("textbox", name="Suche").fill("Hausaufgaben")
    page.get_by_role("button", name="Suche").click()
    page.get_by_role("link", name="Hausaufgabenhilfe").click()
    page.wait_for_url("**/network/offers/hausaufgabenhilfe/")
    assert "JuKi-Treff Lanstrop" in page.content()
    assert_accessible(page, "offer page")

    page.goto(live_server.url + "/de/network/volunteer/")
    assert_accessible(page, "volunteer form")
    page.locator("#id_name").fill("Miriam")
    page.locator("#id_email").fill("miriam@example.org")
    page.get_by_label("Arabisch").first.check()
    page.get_by_label("Dolmetschen").check()
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/network/thanks/volunteer/")
    assert_accessible(page, "thanks page")
    registration = VolunteerRegistration.objects.get()
    assert registration.name == "Miriam"
    assert any("miriam@example.org" in m.to for m in mail.outbox)

    page.goto(live_server.url + "/ar/network/volunteer/")
    assert_accessible(page, "volunteer form in Arabic")
