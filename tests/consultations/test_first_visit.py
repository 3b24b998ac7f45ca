"""The first visit's deadline: due and overdue on the dashboard and in the household list,
the overdue filter, and planned visits whose time passed without being logged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations import deadlines
from consultations.models import HomeVisit
from tests.conftest import client_for

from .conftest import make_household


@pytest.fixture(autouse=True)
def _german():
    """The pages are asked for in German (a test before may have left another language
    active in this thread)."""
    with translation.override("de"):
        yield


def moved_in(days_ago):
    return timezone.localdate() - timedelta(days=days_ago)


@pytest.fixture
def waiting(alice, lanstrop_team, lanstrop_district):
    """Four households of alice's team: overdue, due in two days, just moved in, visited."""
    make = lambda name, days, status="new": make_household(  # noqa: E731
        lanstrop_team, lanstrop_district, user=alice, name=name, moved_in_on=moved_in(days),
        status=status,
    )
    return {
        "overdue": make("Familie Überfällig", 30, "contacted"),
        "due": make("Familie Bald", 12),
        "fresh": make("Familie Neu", 1),
        "visited": make("Familie Besucht", 40, "visited"),
    }


def section(html, heading):
    return html.split(f">{heading}</h2>")[1].split("</section>")[0]


def test_the_deadline_is_move_in_plus_the_setting_and_due_three_days_before():
    limits = deadlines.Cutoffs(timezone.localdate(), 14)
    today = limits.today
    assert deadlines.first_visit(today - timedelta(days=15), "new", limits).overdue
    assert deadlines.first_visit(today - timedelta(days=15), "new", limits).days == 1
    assert deadlines.first_visit(today - timedelta(days=14), "new", limits).due
    assert deadlines.first_visit(today - timedelta(days=11), "contacted", limits).due
    assert deadlines.first_visit(today - timedelta(days=10), "new", limits).state == ""
    assert deadlines.first_visit(today - timedelta(days=40), "visited", limits).deadline is None
    assert deadlines.first_visit(None, "new", limits).deadline is None


def test_the_dashboard_shows_how_long_a_first_visit_is_overdue(alice_client, waiting):
    html = alice_client.get(reverse("staff-dashboard")).content.decode()
    waiting_list = section(html, "Noch nicht besucht")
    overdue = waiting["overdue"].reference
    line = waiting_list.split(overdue)[1].split("</li>")[0]
    deadline = (moved_in(30) + timedelta(days=14)).strftime("%d.%m.%Y")
    assert f"erster Besuch bis {deadline}" in line
    assert "überfällig seit 16 Tagen" in line
    due_line = waiting_list.split(waiting["due"].reference)[1].split("</li>")[0]
    assert "bald fällig" in due_line
    assert "überfällig" not in waiting_list.split(waiting["fresh"].reference)[1].split("</li>")[0]
    assert waiting["visited"].reference not in waiting_list
    # the overdue households first, and a link to all of them
    assert waiting_list.index(overdue) < waiting_list.index(waiting["fresh"].reference)
    assert "?first_visit=overdue" in waiting_list and "?first_visit=due" in waiting_list
    assert "Alle Haushalte mit überfälligem Erstbesuch" in waiting_list


def test_the_deadline_follows_the_setting(alice_client, waiting, settings):
    settings.LW_FIRST_VISIT_DAYS = 60
    html = alice_client.get(reverse("staff-dashboard")).content.decode()
    assert "badge-overdue" not in section(html, "Noch nicht besucht")
    assert "innerhalb von 60 Tagen" in html


def test_the_household_list_marks_overdue_and_due_households_in_words(alice_client, waiting):
    page = alice_client.get(reverse("consultations-household-list"))
    rows = {row.reference: row for row in page.context["page"].object_list}
    assert rows[waiting["overdue"].reference].first_visit_state == "overdue"
    assert rows[waiting["due"].reference].first_visit_state == "due"
    fresh = rows[waiting["fresh"].reference]
    deadline = (moved_in(1) + timedelta(days=14)).strftime("%d.%m.%Y")
    assert (fresh.first_visit_state, fresh.first_visit) == ("", deadline)
    assert rows[waiting["visited"].reference].first_visit == "–"
    html = page.content.decode()
    assert '<span class="badge badge-overdue">überfällig</span>' in html
    assert '<span class="badge badge-due">bald fällig</span>' in html


@pytest.mark.parametrize(("actor", "expected"), [("alice", ["overdue"]), ("bob", [])])
def test_the_overdue_filter_shows_only_overdue_households_of_ones_teams(
    request, client, waiting, actor, expected
):
    user = request.getfixturevalue(actor)
    page = client_for(client, user).get(
        reverse("consultations-household-list"), {"first_visit": "overdue"}
    )
    assert page.status_code == 200
    shown = [row.reference for row in page.context["page"].object_list]
    assert shown == [waiting[key].reference for key in expected]


def test_the_due_filter_shows_the_households_due_within_three_days(alice_client, waiting):
    page = alice_client.get(reverse("consultations-household-list"), {"first_visit": "due"})
    assert [r.reference for r in page.context["page"].object_list] == [waiting["due"].reference]


def test_a_planned_visit_whose_time_passed_is_flagged_as_not_logged(
    alice_client, carla, client, household, alice
):
    past = HomeVisit.objects.create(
        household=household, scheduled_at=timezone.now() - timedelta(days=2), staff=alice
    )
    future = HomeVisit.objects.create(
        household=household, scheduled_at=timezone.now() + timedelta(days=2), staff=alice
    )
    html = alice_client.get(reverse("staff-dashboard")).content.decode()
    not_logged = section(html, "Geplante Besuche ohne Eintrag")
    assert f"/de/staff/visits/{past.pk}/edit/?log=1" in not_logged
    assert f"/de/staff/visits/{future.pk}/" not in not_logged
    assert "nicht erfasst" in not_logged and "alice" in not_logged
    mine = section(html, "Meine geplanten Besuche").split("<li")
    past_item = next(item for item in mine if f"/visits/{past.pk}/" in item)
    future_item = next(item for item in mine if f"/visits/{future.pk}/" in item)
    assert "nicht erfasst" in past_item and "nicht erfasst" not in future_item
    # the coordinator sees it too; logging it takes it off the list
    coordinator_html = client_for(client, carla).get(reverse("staff-dashboard")).content
    assert f"/visits/{past.pk}/edit/?log=1".encode() in coordinator_html
    HomeVisit.objects.filter(pk=past.pk).update(status="done")
    html = alice_client.get(reverse("staff-dashboard")).content.decode()
    assert f"/visits/{past.pk}/" not in section(html, "Geplante Besuche ohne Eintrag")


def test_dashboard_and_list_cost_the_same_queries_with_more_waiting_households(
    alice_client, alice, lanstrop_team, lanstrop_district, waiting
):
    pages = [reverse("staff-dashboard"), reverse("consultations-household-list"),
             reverse("consultations-household-list") + "?first_visit=overdue"]
    counts = []
    for url in pages:
        alice_client.get(url)
        with CaptureQueriesContext(connection) as before:
            alice_client.get(url)
        counts.append(len(before.captured_queries))
    for i in range(12):
        household = make_household(
            lanstrop_team, lanstrop_district, user=alice, name=f"Mehr {i}",
            moved_in_on=moved_in(20 + i),
        )
        HomeVisit.objects.create(
            household=household, staff=alice, scheduled_at=timezone.now() - timedelta(days=1)
        )
    for url, count in zip(pages, counts, strict=True):
        with CaptureQueriesContext(connection) as after:
            assert alice_client.get(url).status_code == 200
        assert len(after.captured_queries) == count, url


def test_the_dashboard_shows_the_most_urgent_few_and_says_that_more_wait(
    alice_client, household, alice
):
    from consultations.selectors import DASHBOARD_ROWS

    start = timezone.now() + timedelta(days=1)
    visits = [
        HomeVisit.objects.create(
            household=household, scheduled_at=start + timedelta(hours=hour), staff=alice
        )
        for hour in range(DASHBOARD_ROWS + 1)
    ]
    mine = section(alice_client.get(reverse("staff-dashboard")).content.decode(),
                   "Meine geplanten Besuche")
    # the earliest first, the last one left for the household page, and a note that says so
    assert f"/visits/{visits[0].pk}/" in mine
    assert f"/visits/{visits[DASHBOARD_ROWS - 1].pk}/" in mine
    assert f"/visits/{visits[DASHBOARD_ROWS].pk}/" not in mine
    assert f"Die {DASHBOARD_ROWS} dringendsten werden angezeigt." in mine
    visits[0].delete()
    mine = section(alice_client.get(reverse("staff-dashboard")).content.decode(),
                   "Meine geplanten Besuche")
    assert "dringendsten" not in mine
