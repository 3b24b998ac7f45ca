"""A staff member on a phone refers an Arabic-speaking family that needs a Kita place: the
offers are ranked (in Arabic and in the district first, then next door), with the reasons
shown; the outcome "not taken up" asks for a reason. Every page passes axe-core."""

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.casework import PHONE, build_city, household, no_sideways_scroll
from tests.e2e.login import sign_in

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def family(transactional_db, django_user_model):
    from lokalwillkommen.models import Language
    from network.models import Offer, Organisation

    city = build_city(django_user_model)
    org = Organisation.objects.create(kind="kita", name="Kita Sonnenschein",
                                      slug="kita-sonnenschein", district=city["lanstrop"],
                                      status="published")

    def offer(title, district, languages, category="kita"):
        o = Offer.objects.create(organisation=org, title=title,
                                 slug=title.lower().replace(" ", "-"), category=category,
                                 district=district, status="published")
        o.languages.set(Language.objects.filter(code__in=languages))
        return o

    offer("Spielgruppe Hörde", city["hoerde"], ["ar"])
    offer("Eltern-Kind-Gruppe", city["lanstrop"], ["de"])
    next_door = offer("Krabbelgruppe Scharnhorst", city["scharnhorst"], ["ar", "de"])
    offer("Kita-Lotsen", city["lanstrop"], ["ar"])
    offer("Sportverein", city["lanstrop"], ["ar"], category="leisure")
    return {**city, "household": household(city, "Familie Haddad"), "next_door": next_door}


def test_referral_suggestions_and_an_outcome_with_a_reason_on_a_phone(
    live_server, page, family, shots
):
    from consultations.models import Referral

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, family["staff"])
    h = family["household"]
    page.goto(f"{live_server.url}/de/staff/households/{h.pk}/")
    page.get_by_role("link", name="Vermittlung hinzufügen").first.click()
    page.wait_for_url(f"**/households/{h.pk}/referrals/new/")
    assert_accessible(page, "referral form with suggestions")
    no_sideways_scroll(page)
    items = page.locator("fieldset.referral-suggestions li.suggestion")
    titles = [items.nth(i).locator("strong").inner_text() for i in range(items.count())]
    assert titles == ["Kita-Lotsen", "Krabbelgruppe Scharnhorst", "Eltern-Kind-Gruppe",
                      "Spielgruppe Hörde"]
    second = items.nth(1).inner_text()
    assert "auf Arabisch" in second and "im Nachbarstadtteil Scharnhorst" in second
    assert "nicht in einer Sprache des Haushalts" in items.nth(2).inner_text()
    page.screenshot(path=f"{shots}/referral-suggestions.png", full_page=True)

    items.nth(1).get_by_role("radio").check()
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url(f"**/households/{h.pk}/")
    referral = Referral.objects.get()
    assert referral.offer == family["next_door"] and referral.category == "kita"

    # the family did not take it up: the form asks why
    page.get_by_role("link", name="Ergebnis erfassen").first.click()
    page.wait_for_url(f"**/referrals/{referral.pk}/edit/")
    assert_accessible(page, "outcome form")
    page.select_option("#id_status", "not_taken_up")
    page.locator("main form.guarded-form button[type=submit]").click()
    assert "Geben Sie an, warum das Angebot nicht angenommen wurde." in page.locator(
        "main").inner_text()
    assert_accessible(page, "outcome form with the missing reason")
    page.select_option("#id_outcome_reason", "waiting_list")
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url(f"**/households/{h.pk}/")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_reason) == ("not_taken_up", "waiting_list")
    assert "nicht angenommen (auf einer Warteliste)" in page.locator("main").inner_text()
