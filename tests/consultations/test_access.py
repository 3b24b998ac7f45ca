"""The access matrix: every staff URL of the casework × every actor.

anonymous → login redirect; dan (no group) → 403; bob (staff of another team) → 404 for
alice's records, 403 for coordinator pages, and lists without alice's households; alice (staff
of the team) → 200, 403 for coordinator pages; carla (coordinator) → 200 everywhere."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for

OK, FORBIDDEN, MISSING, LOGIN = 200, 403, 404, "login"

# name, url kwargs key ("household", "visit", "referral" or None), method, coordinator only
URLS = [
    ("staff-dashboard", None, "get", False),
    ("consultations-household-list", None, "get", False),
    ("consultations-household-create", None, "get", False),
    ("consultations-consultation-create", None, "get", False),
    ("consultations-household-detail", "household", "get", False),
    ("consultations-household-edit", "household", "get", False),
    ("consultations-household-withdraw-consent", "household", "get", False),
    ("consultations-visit-create", "household", "get", False),
    ("consultations-referral-create", "household", "get", False),
    ("consultations-visit-edit", "visit", "get", False),
    ("consultations-visit-missed", "visit", "post", False),
    ("consultations-referral-edit", "referral", "get", False),
    ("consultations-access-log", None, "get", True),
    ("consultations-household-export", "household", "get", True),
    ("consultations-household-export-json", "household", "get", True),
    ("consultations-household-erase", "household", "get", True),
]


def expected(actor, key, method, coordinator_only):
    if actor is None:
        return LOGIN
    if actor in ("dan",):
        return FORBIDDEN
    success = 302 if method == "post" else OK
    if actor == "carla":
        return success
    if coordinator_only:
        return FORBIDDEN
    if actor == "bob" and key is not None:
        return MISSING
    return success


@pytest.mark.parametrize("actor", [None, "dan", "bob", "alice", "carla"])
@pytest.mark.parametrize(("name", "key", "method", "coordinator_only"), URLS)
def test_access_matrix(
    request, client, actor, name, key, method, coordinator_only, household, visit, referral
):
    objects = {"household": household, "visit": visit, "referral": referral}
    url = reverse(name, args=[objects[key].pk] if key else [])
    user = request.getfixturevalue(actor) if actor else None
    client = client_for(client, user)
    if method == "post":
        response = client.post(url, {"version": visit.version})
    else:
        response = client.get(url)
    want = expected(actor, key, method, coordinator_only)
    if want == LOGIN:
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    else:
        assert response.status_code == want, (actor, name, response.status_code)


@pytest.mark.parametrize("name", ["consultations-household-edit", "consultations-visit-create",
                                  "consultations-referral-create",
                                  "consultations-household-withdraw-consent"])
def test_other_team_cannot_post_to_alices_household(client, bob, household, name):
    response = client_for(client, bob).post(reverse(name, args=[household.pk]), {})
    assert response.status_code == 404
    household.refresh_from_db()
    assert household.anonymised_at is None


def test_other_team_does_not_see_alices_household_in_the_list(
    client, bob, household, bobs_household
):
    response = client_for(client, bob).get(reverse("consultations-household-list"))
    assert bobs_household.reference in response.text
    assert household.reference not in response.text
    response = client.get(reverse("consultations-household-list"), {"q": household.reference})
    assert reverse("consultations-household-detail", args=[household.pk]) not in response.text
    assert "Familie Test" not in response.text


def test_other_team_dashboard_hides_alices_visits_and_referrals(
    client, bob, household, visit, referral
):
    response = client_for(client, bob).get(reverse("staff-dashboard"))
    assert response.status_code == 200
    assert household.reference not in response.text


def test_coordinator_sees_every_team(client, carla, household, bobs_household):
    response = client_for(client, carla).get(reverse("consultations-household-list"))
    assert household.reference in response.text
    assert bobs_household.reference in response.text


def test_viewing_a_household_is_logged(alice_client, alice, household):
    from lokalwillkommen.models import AccessLog

    alice_client.get(reverse("consultations-household-detail", args=[household.pk]))
    entry = AccessLog.objects.get(subject_type="household", subject_id=household.pk)
    assert entry.action == "view" and entry.user == alice


def test_consultation_reference_outside_the_team_is_not_found(
    client, bob, household, lanstrop
):
    # bob cannot attach a consultation to alice's household by typing its reference
    from consultations.forms import ConsultationForm

    form = ConsultationForm(
        {"household_reference": household.reference}, user=bob
    )
    form.is_valid()
    assert "household_reference" in form.errors


def _drop_in_referral(office, organisation, user, household=None):
    from consultations import services
    from consultations.models import Consultation, Referral

    consultation = Consultation(
        office=office, held_at=timezone.now(), household=household, duration_minutes=10
    )
    referral = Referral(organisation=organisation, category="language")
    services.consultation_create(
        consultation=consultation, topics=["language"], user=user, referral=referral
    )
    return Referral.objects.get(consultation=consultation)


def test_a_referral_from_a_drop_in_is_followed_up_by_the_offices_team_only(
    alice, bob, lanstrop, organisation, client
):
    referral = _drop_in_referral(lanstrop, organisation, alice)
    assert referral.office == lanstrop and referral.household is None
    client.force_login(alice)
    assert f"/de/staff/referrals/{referral.pk}/edit/" in client.get("/de/staff/").content.decode()
    client.force_login(bob)
    assert f"/de/staff/referrals/{referral.pk}/edit/" not in client.get(
        "/de/staff/"
    ).content.decode()
    assert client.get(f"/de/staff/referrals/{referral.pk}/edit/").status_code == 404


def test_a_drop_in_referral_for_another_teams_household_is_seen_by_both_teams(
    alice, bob, lanstrop, organisation, bobs_household, client
):
    referral = _drop_in_referral(lanstrop, organisation, alice, household=bobs_household)
    assert referral.household == bobs_household
    for user in (alice, bob):
        client.force_login(user)
        assert client.get(f"/de/staff/referrals/{referral.pk}/edit/").status_code == 200
