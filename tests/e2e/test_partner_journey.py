"""A partner organisation submits an offer on a phone; a coordinator publishes it from the
moderation queue; a resident finds it in Arabic. Every page passes axe-core."""

import pytest
from django.contrib.auth.models import Group

from network.models import Offer

from .axe import assert_accessible
from .login import log_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def city(transactional_db, django_user_model):
    from lokalwillkommen.models import District

    District.objects.get_or_create(slug="lanstrop", defaults={"name": "Lanstrop"})
    carla = django_user_model.objects.create_user(
        "carla", "carla@example.org", "carla-coordinates-everything"
    )
    carla.groups.add(Group.objects.get(name="coordinator"))
    return carla


def test_an_organisation_submits_an_offer_and_a_coordinator_publishes_it(
    live_server, page, city, shots
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/de/network/offers/submit/")
    assert_accessible(page, "offer form")
    page.fill("#id_org_name", "Sportverein Lanstrop 1920")
    page.select_option("#id_org_kind", "sports_club")
    page.select_option("#id_org_district", label="Lanstrop")
    page.fill("#id_title", "Fußball für Kinder")
    page.fill("#id_description", "Training für Kinder von 6 bis 12 Jahren. <b>Kostenlos</b>.")
    page.select_option("#id_category", "leisure")
    page.select_option("#id_district", label="Lanstrop")
    page.locator("#id_time_weekdays_2").check()
    page.fill("#id_time_starts", "16:00")
    page.fill("#id_time_ends", "17:30")
    page.select_option("#id_cost", "free")
    page.fill("#id_submitter_email", "verein@example.org")
    page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/network/thanks/**")
    assert_accessible(page, "thanks")
    offer = Offer.objects.get()
    assert offer.status == Offer.Status.SUBMITTED
    assert str(offer.times.get()) == "Mittwoch · 16:00–17:30"

    # The coordinator publishes it; the submitted markup is shown as typed, not rendered.
    log_in(page, live_server, "carla", "carla-coordinates-everything",
           next_url="/de/staff/network/moderation/")
    assert_accessible(page, "moderation queue")
    assert "<b>Kostenlos</b>" in page.locator("main").inner_text()
    page.screenshot(path=f"{shots}/moderation.png", full_page=True)
    # The new organisation is checked on its own, before its offer.
    page.get_by_role("button", name="Organisation veröffentlichen").click()
    page.wait_for_url("**/moderation/")
    page.get_by_role("button", name="Angebot veröffentlichen").click()
    page.wait_for_url("**/moderation/")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED

    # A resident finds it, in Arabic.
    resident = page.context.browser.new_page(viewport=PHONE)
    resident.goto(f"{live_server.url}/ar/network/?q=Fußball")
    assert resident.get_by_role("link", name="Fußball für Kinder").is_visible()
    assert_accessible(resident, "directory in Arabic")
    resident.get_by_role("link", name="Fußball für Kinder").click()
    resident.wait_for_url("**/network/offers/**")
    assert_accessible(resident, "offer in Arabic")
    resident.close()


def test_a_long_moderation_queue_in_arabic_pages_and_passes_axe(live_server, page, city):
    from lokalwillkommen.models import District
    from network.models import Organisation

    district = District.objects.get(slug="lanstrop")
    for number in range(22):
        Organisation.objects.create(
            kind="initiative", name=f"Initiative {number:02d}", slug=f"initiative-{number:02d}",
            district=district, status="submitted", description="Treffpunkt im Stadtteil.",
        )
    host = Organisation.objects.get(slug="initiative-00")
    for number in range(25):
        Offer.objects.create(
            organisation=host, title=f"Angebot {number:02d}", slug=f"angebot-{number:02d}",
            description="Offenes Angebot für Familien.", category="leisure", district=district,
            status="submitted",
        )
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "carla", "carla-coordinates-everything",
           next_url="/ar/staff/network/moderation/")
    assert page.locator("h3[lang=de]", has_text="Angebot 00").is_visible()
    assert_accessible(page, "moderation queue in Arabic, page 1")
    page.get_by_role("navigation", name="صفحات العروض المقدَّمة").get_by_role("link").click()
    page.wait_for_url("**/moderation/?page=2")
    assert page.get_by_text("Angebot 24").is_visible()
    assert not page.get_by_text("Angebot 00").is_visible()
    assert_accessible(page, "moderation queue in Arabic, page 2")


def test_a_partner_changes_a_published_offer_which_stays_online_until_a_coordinator_publishes_it(
    live_server, page, city
):
    """Versioned moderation: the partner changes the offer through the signed link on a phone;
    residents still see the published version; the coordinator sees the words taken out and put
    in, adds the English title and publishes; residents then see the change, in German and
    English."""
    from django.urls import reverse

    from lokalwillkommen.models import District, Language
    from network import links, search
    from network.models import Organisation

    lanstrop = District.objects.get(slug="lanstrop")
    juki = Organisation.objects.create(
        name="JuKi-Treff Lanstrop", slug="juki-treff", kind=Organisation.Kind.YOUTH_CENTRE,
        district=lanstrop, status=Organisation.Status.PUBLISHED,
    )
    offer = Offer.objects.create(
        organisation=juki, title="Hausaufgabenhilfe", slug="hausaufgabenhilfe",
        description="Montags Hilfe bei den Hausaufgaben.", category="school",
        district=lanstrop, status=Offer.Status.PUBLISHED, submitter_email="partner@example.org",
    )
    offer.languages.set(Language.objects.filter(code__in=["de"]))
    search.offer_index(offer_ids=[offer.pk])

    # The partner, on a phone, through the link in the confirmation mail.
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("network-manage", args=[links.make_token("offer", offer)]))
    assert_accessible(page, "signed link page")
    page.fill("#id_description", "Montags und mittwochs Hilfe bei den Hausaufgaben.")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.wait_for_load_state()
    assert "bleibt im Verzeichnis, wie es ist" in page.locator("main").inner_text()

    # A resident still reads the published version.
    resident = page.context.browser.new_page(viewport=PHONE)
    resident.goto(f"{live_server.url}/de/network/offers/hausaufgabenhilfe/")
    assert "Montags Hilfe bei den Hausaufgaben." in resident.locator("main").inner_text()
    assert "mittwochs" not in resident.locator("main").inner_text()

    # The coordinator sees what changed, adds the English title and publishes.
    log_in(page, live_server, "carla", "carla-coordinates-everything",
           next_url="/de/staff/network/moderation/")
    assert_accessible(page, "moderation queue with a change")
    assert page.locator("main ins", has_text="und mittwochs").count() == 1
    page.get_by_role("link", name="Vorher bearbeiten oder übersetzen").click()
    page.wait_for_url("**/review/**")
    assert_accessible(page, "review of the change")
    page.fill("#id_title_en", "Homework help")
    page.get_by_role("button", name="Änderung veröffentlichen").click()
    page.wait_for_load_state()
    offer.refresh_from_db()
    assert offer.description == "Montags und mittwochs Hilfe bei den Hausaufgaben."
    assert offer.status == Offer.Status.PUBLISHED

    # (the browser may keep a public page 30 seconds: reloading asks the server again)
    resident.reload()
    assert "mittwochs" in resident.locator("main").inner_text()
    resident.goto(f"{live_server.url}/en/network/offers/hausaufgabenhilfe/")
    assert "Homework help" in resident.locator("main h1").inner_text()
    assert_accessible(resident, "offer in English after the change")
    resident.close()
