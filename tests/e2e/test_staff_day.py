"""A staff member's day on a phone: log in, create a household, plan and log a visit with a
referral, log an anonymous consultation. Every staff page visited passes axe-core."""

from datetime import date, time

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from tests.e2e.axe import assert_accessible
from tests.e2e.login import log_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def staff_day(transactional_db, django_user_model):
    from lokalwillkommen.models import District
    from network.models import Organisation
    from offices.models import Office, OpeningRule, Team

    for name in ("staff", "coordinator"):
        Group.objects.get_or_create(name=name)
    district = District.objects.get_or_create(slug="lanstrop", defaults={"name": "Lanstrop"})[0]
    team = Team.objects.create(slug="eving-scharnhorst", name="Eving und Scharnhorst")
    office = Office.objects.create(name="lokal willkommen Lanstrop", slug="lanstrop", team=team,
                                   street="Nadlerweg 1", postcode="44329", district=district)
    OpeningRule.objects.create(office=office, weekday=3, opens=time(8, 30),
                               closes=time(11, 30), valid_from=date(2018, 9, 1))
    Organisation.objects.create(kind="kita", name="Kita Sonnenschein", slug="kita-sonnenschein",
                                district=district, status="published")
    user = django_user_model.objects.create_user(username="erika",
                                                 password="erika-phone-password-42")
    user.groups.add(Group.objects.get(name="staff"))
    team.members.add(user)
    return user


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_staff_day_on_a_phone(live_server, page, staff_day, shots):
    from consultations.models import Consultation, HomeVisit, Household, Referral

    page.set_viewport_size(PHONE)
    log_in(page, live_server, "erika", "erika-phone-password-42")
    assert_accessible(page, "dashboard")
    no_sideways_scroll(page)

    # a new household
    page.get_by_role("link", name="Neuer Haushalt").click()
    page.wait_for_url("**/households/new/")
    assert_accessible(page, "household form")
    page.fill("#id_contact_name", "Familie Beispiel")
    page.fill("#id_phone", "0231 000")
    page.fill("#id_street", "Musterweg 1")
    page.fill("#id_postcode", "44329")
    page.select_option("#id_district", label="Lanstrop")
    page.fill("#id_moved_in_on", "2026-03-01")
    page.fill("#id_size", "3")
    page.fill("#id_children_3_5", "1")
    page.check("input[name=needs][value=kita]")
    page.select_option("#id_consent_scope", "casework")
    page.check("#id_consent_confirmed")
    page.screenshot(path=f"{shots}/household-form.png", full_page=True)
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url("**/households/*/")
    household = Household.objects.get()
    assert household.contact_name == "Familie Beispiel"
    assert_accessible(page, "household page")
    no_sideways_scroll(page)

    # plan a visit (the form is prefilled for tomorrow)
    page.get_by_role("link", name="Besuch planen oder erfassen").click()
    page.wait_for_url("**/visits/new/")
    assert_accessible(page, "visit form")
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url(f"**/households/{household.pk}/")
    assert HomeVisit.objects.get().status == "planned"

    # log it as done, now
    page.get_by_role("link", name="Besuch erfassen").first.click()
    page.wait_for_url("**/visits/*/edit/?log=1")
    assert_accessible(page, "log visit form")
    page.fill("#id_scheduled_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_information_given", "Flyer der Anlaufstelle")
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url(f"**/households/{household.pk}/")
    assert HomeVisit.objects.get().status == "done"

    # a referral from the visit
    page.locator("main a", has_text="Vermittlung hinzufügen").last.click()
    page.wait_for_url("**/referrals/new/**")
    assert_accessible(page, "referral form")
    page.select_option("#id_organisation", label="Kita Sonnenschein")
    page.select_option("#id_category", "kita")
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url(f"**/households/{household.pk}/")
    referral = Referral.objects.get()
    assert referral.household == household and referral.visit is not None
    assert page.get_by_text("Kita Sonnenschein").first.is_visible()
    assert_accessible(page, "household page with timeline")

    # an anonymous consultation during drop-in hours
    page.get_by_role("link", name="Beratung erfassen").first.click()
    page.wait_for_url("**/consultations/new/")
    assert_accessible(page, "consultation form")
    no_sideways_scroll(page)
    page.check("input[name=topics][value=authorities]")
    page.check("#id_interpreter_needed")
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url("**/consultations/new/")
    assert page.get_by_text("Die Beratung wurde gespeichert.").is_visible()
    consultation = Consultation.objects.get()
    assert consultation.household is None and consultation.interpreter_needed
    page.screenshot(path=f"{shots}/consultation-saved.png", full_page=True)
    assert_accessible(page, "consultation saved")

    page.get_by_role("link", name="Übersicht").click()
    page.wait_for_url("**/de/staff/")
    assert_accessible(page, "dashboard at the end of the day")
