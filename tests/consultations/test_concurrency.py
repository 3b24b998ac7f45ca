"""Two people save the same household at the same moment on PostgreSQL: one wins, the other
is told that the record changed."""

import threading

import pytest
from django.db import connection, connections

from consultations.services import StaleEditError, household_update

from .conftest import form_token, make_household

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent edits are tested on PostgreSQL"
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_edits_second_save_is_refused(alice, carla, lanstrop_team,
                                                 lanstrop_district):
    from consultations.models import Household

    household = make_household(lanstrop_team, lanstrop_district, user=alice)
    barrier = threading.Barrier(2)
    results = {}

    def save(name, user, phone):
        try:
            copy = Household.objects.get(pk=household.pk)
            barrier.wait()
            copy.phone = phone
            household_update(household=copy, expected_version=1, needs=["kita"],
                             languages=[], user=user)
            results[name] = "saved"
        except StaleEditError:
            results[name] = "stale"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("alice", alice, "111")),
        threading.Thread(target=save, args=("carla", carla, "222")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["saved", "stale"]
    household.refresh_from_db()
    assert household.version == 2
    winner = [name for name, result in results.items() if result == "saved"][0]
    assert household.phone == {"alice": "111", "carla": "222"}[winner]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_double_submit_creates_one_consultation(alice, lanstrop):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from consultations.models import Consultation

    data = {
        "form_token": form_token("alice", "same-token"), "office": lanstrop.pk,
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "topics": ["work"],
        "duration_minutes": 10,
    }
    barrier = threading.Barrier(2)
    codes = []

    def submit():
        try:
            client = Client()
            client.force_login(alice)
            barrier.wait()
            codes.append(client.post(reverse("consultations-consultation-create"),
                                     data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [302, 302]
    assert Consultation.objects.count() == 1
