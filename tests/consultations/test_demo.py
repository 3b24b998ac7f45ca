"""The demo casework loads, loads again without change, and its pages render."""

from django.core.management import call_command
from django.urls import reverse

from consultations.models import Consultation, Household
from tests.conftest import client_for


def test_demo_is_idempotent_and_the_staff_pages_render(db, client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Household.objects.count(), Consultation.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Household.objects.count(), Consultation.objects.count()) == counts
    assert counts[0] >= 5
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="staff")
    client = client_for(client, staff)
    dashboard = client.get(reverse("staff-dashboard"))
    assert dashboard.status_code == 200
    assert dashboard.context["my_visits"]
    households = client.get(reverse("consultations-household-list")).context["page"]
    assert {h.team.slug for h in households} == {"eving-scharnhorst"}
    for household in households:
        page = client.get(reverse("consultations-household-detail", args=[household.pk]))
        assert page.status_code == 200


def test_the_city_sized_demo_loads_and_leaves_fresh_planner_statistics(db):
    from django.db import connection

    call_command("seed_demo", "--scale", "20", stdout=open("/dev/null", "w"))
    assert Household.objects.count() >= 20
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = 'consultations_household'"
            )
            assert cursor.fetchone()[0] >= 20  # -1 (never analysed) without the ANALYZE
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1")
            assert cursor.fetchone()[0] > 0
