"""Volunteers for a household on a phone, and for a language gap: only active volunteers who
agreed to be contacted, near the household, with a fitting skill and language, each with the
reasons it matched. Every page passes axe-core."""

import pytest
from django.utils import timezone

from tests.e2e.axe import assert_accessible
from tests.e2e.casework import PHONE, build_city, household, no_sideways_scroll
from tests.e2e.login import sign_in

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def helpers(transactional_db, django_user_model):
    from lokalwillkommen.models import Language
    from network.models import Skill, VolunteerRegistration

    city = build_city(django_user_model)

    def volunteer(name, district, languages, skills, status="active", availability=""):
        v = VolunteerRegistration.objects.create(
            name=name, email=f"{name.split()[0].lower()}@example.org", district=district,
            status=status, availability=availability, consent_at=timezone.now(),
        )
        v.languages.set(Language.objects.filter(code__in=languages))
        v.skills.set(Skill.objects.filter(code__in=skills))

    volunteer("Miriam K.", city["lanstrop"], ["ar", "de"], ["accompanying", "interpreting"],
              availability="Dienstag- und Donnerstagnachmittag")
    volunteer("Samir A.", city["scharnhorst"], ["ar"], ["interpreting"])
    volunteer("Olena S.", city["lanstrop"], ["uk"], ["accompanying"])
    volunteer("Jonas B.", city["lanstrop"], ["ar"], ["accompanying"], status="contacted")
    family = household(city, "Familie Haddad", needs=["authorities"])
    return {**city, "household": family}


def test_volunteers_for_a_household_and_for_a_language_gap(live_server, page, helpers, shots):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, helpers["staff"])
    h = helpers["household"]
    page.goto(f"{live_server.url}/de/staff/households/{h.pk}/")
    page.get_by_role("link", name="Ehrenamtliche finden").click()
    page.wait_for_url(f"**/staff/volunteers/match/?household={h.pk}")
    assert_accessible(page, "volunteers for a household")
    no_sideways_scroll(page)
    cards = page.locator("ol.volunteer-matches li.card")
    assert [cards.nth(i).locator("h3").inner_text() for i in range(cards.count())] == [
        "Miriam K.", "Samir A."
    ]
    first = cards.first.inner_text()
    assert "spricht Arabisch" in first and "wohnt in Lanstrop" in first
    assert "Dienstag- und Donnerstagnachmittag" in first
    assert "wohnt im Nachbarstadtteil Scharnhorst" in cards.nth(1).inner_text()
    page.screenshot(path=f"{shots}/volunteer-matches.png", full_page=True)

    # narrowing by availability
    page.fill("#id_availability", "donnerstag")
    page.get_by_role("button", name="Ehrenamtliche finden").click()
    page.wait_for_url("**availability=donnerstag**")
    assert page.locator("ol.volunteer-matches li.card").count() == 1

    # a language gap: Ukrainian speakers who accompany, anywhere in the city
    page.goto(f"{live_server.url}/de/staff/volunteers/match/?need=authorities&languages=uk")
    assert_accessible(page, "volunteers for a language gap")
    assert page.locator("ol.volunteer-matches h3").all_inner_texts() == ["Olena S."]
