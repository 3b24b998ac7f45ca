"""A staff member on a phone sees which first visits are overdue and which planned visits
were never logged, filters the household list to the overdue ones (cards on a phone, a table
on a desktop) and logs the forgotten visit. Every page passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.axe import assert_accessible
from tests.e2e.casework import PHONE, build_city, household, no_sideways_scroll
from tests.e2e.login import sign_in

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def waiting(transactional_db, django_user_model):
    from consultations.models import HomeVisit

    city = build_city(django_user_model)
    today = timezone.localdate()
    late = household(city, "Familie Spät", moved_in_on=today - timedelta(days=30),
                     status="contacted")
    soon = household(city, "Familie Bald", moved_in_on=today - timedelta(days=12))
    household(city, "Familie Neu", moved_in_on=today - timedelta(days=1))
    forgotten = HomeVisit.objects.create(
        household=late, staff=city["staff"], scheduled_at=timezone.now() - timedelta(days=3)
    )
    return {**city, "late": late, "soon": soon, "forgotten": forgotten}


def test_overdue_first_visits_and_unlogged_visits_on_a_phone(live_server, page, waiting, shots):
    from consultations.models import HomeVisit

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, waiting["staff"])
    page.goto(f"{live_server.url}/de/staff/")
    assert_accessible(page, "dashboard")
    no_sideways_scroll(page)
    waiting_list = page.locator("section[aria-labelledby=h-notvisited]")
    late = waiting_list.locator("li", has_text=waiting["late"].reference)
    assert late.locator(".badge").inner_text() == "überfällig seit 16 Tagen"
    soon = waiting_list.locator("li", has_text=waiting["soon"].reference)
    assert soon.locator(".badge").inner_text() == "bald fällig"
    unlogged = page.locator("section[aria-labelledby=h-notlogged] li")
    assert unlogged.count() == 1 and "nicht erfasst" in unlogged.inner_text()
    page.screenshot(path=f"{shots}/dashboard-deadlines.png", full_page=True)

    # the overdue households, as cards on a phone
    waiting_list.get_by_role("link", name="Alle Haushalte mit überfälligem Erstbesuch").click()
    page.wait_for_url("**/households/?first_visit=overdue")
    assert_accessible(page, "overdue households")
    no_sideways_scroll(page)
    rows = page.locator("table.household-table tbody tr")
    assert rows.count() == 1
    card = rows.first
    assert card.evaluate("e => getComputedStyle(e).display") == "block"
    assert page.locator("table.household-table thead").evaluate(
        "e => e.getBoundingClientRect().height"
    ) <= 1
    assert "Erster Besuch bis" in card.inner_text() and "überfällig" in card.inner_text()
    assert page.get_by_role("columnheader", name="Erster Besuch bis").count() == 1
    page.screenshot(path=f"{shots}/household-cards.png", full_page=True)

    # on a desktop the same list is a table
    page.set_viewport_size({"width": 1200, "height": 900})
    assert card.evaluate("e => getComputedStyle(e).display") == "table-row"
    page.set_viewport_size(PHONE)

    # log the forgotten visit from the dashboard
    page.goto(f"{live_server.url}/de/staff/")
    page.locator("section[aria-labelledby=h-notlogged]").get_by_role(
        "link", name="Besuch erfassen"
    ).click()
    page.wait_for_url("**/visits/*/edit/?log=1")
    assert_accessible(page, "log the forgotten visit")
    page.locator("main form.guarded-form button[type=submit]").click()
    page.wait_for_url(f"**/households/{waiting['late'].pk}/")
    assert HomeVisit.objects.get(pk=waiting["forgotten"].pk).status == "done"
    page.goto(f"{live_server.url}/de/staff/")
    assert "Alle vergangenen Besuche sind erfasst." in page.locator(
        "section[aria-labelledby=h-notlogged]"
    ).inner_text()
    assert waiting["late"].reference not in page.locator(
        "section[aria-labelledby=h-notvisited]"
    ).inner_text()
