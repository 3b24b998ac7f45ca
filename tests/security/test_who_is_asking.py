"""Who is asking is read with one query after the session, never from a cache: every change to
an account, its roles, teams or second-factor device takes effect on the very next request."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.consultations.conftest import make_household

STAFF_PAGE = "/de/staff/households/"


@pytest.fixture
def household(alice, lanstrop_team, lanstrop_district):
    return make_household(lanstrop_team, lanstrop_district, user=alice)


def _queries_for_identity(client, django_assert_max_num_queries, path="/de/imprint/"):
    client.get(path)
    with django_assert_max_num_queries(2) as captured:  # the session, the account
        response = client.get(path)
    return response, captured


def test_a_signed_in_staff_member_costs_two_queries_session_and_account(
    alice_client, lanstrop_team, django_assert_max_num_queries
):
    response, captured = _queries_for_identity(alice_client, django_assert_max_num_queries)
    assert response.status_code == 200
    assert "Abmelden" in response.content.decode()
    assert "django_session" in captured.captured_queries[0]["sql"]
    account = captured.captured_queries[1]["sql"]
    assert "auth_user" in account and "auth_group" in account and "otp_totp" in account


def test_a_coordinator_sees_the_coordinator_menu_from_the_same_query(
    carla_client, django_assert_max_num_queries
):
    response, _ = _queries_for_identity(carla_client, django_assert_max_num_queries)
    assert "Moderation der Einreichungen" in response.content.decode()


def test_nothing_about_the_account_is_kept_in_the_cache(alice_client):
    cache.clear()
    alice_client.get(STAFF_PAGE)
    alice_client.get("/de/staff/")
    assert list(cache._cache) == []


def test_a_deactivated_account_is_logged_out_at_its_next_request(alice_client, alice):
    assert alice_client.get(STAFF_PAGE).status_code == 200
    alice.is_active = False
    alice.save()
    response = alice_client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_changed_password_ends_the_other_sessions_at_once(alice_client, alice):
    assert alice_client.get(STAFF_PAGE).status_code == 200
    alice.set_password("a-completely-new-password-42")
    alice.save()
    response = alice_client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_removal_from_the_staff_group_closes_the_staff_area_at_once(alice_client, alice):
    assert alice_client.get(STAFF_PAGE).status_code == 200
    alice.groups.remove(Group.objects.get(name="staff"))
    assert alice_client.get(STAFF_PAGE).status_code == 403


def test_a_staff_member_made_coordinator_sees_every_team_at_once(client, bob, household):
    client.force_login(bob)
    detail = f"/de/staff/households/{household.pk}/"
    assert client.get(detail).status_code == 404
    bob.groups.add(Group.objects.get(name="coordinator"))
    assert client.get(detail).status_code == 200


def test_leaving_a_team_hides_its_households_at_once(alice_client, alice, lanstrop_team, household):
    detail = f"/de/staff/households/{household.pk}/"
    assert alice_client.get(detail).status_code == 200
    lanstrop_team.members.remove(alice)
    assert alice_client.get(detail).status_code == 404


def test_joining_a_second_team_shows_its_households_at_once(
    client, bob, lanstrop_team, household
):
    client.force_login(bob)
    detail = f"/de/staff/households/{household.pk}/"
    assert client.get(detail).status_code == 404
    bob.teams.add(lanstrop_team)
    assert client.get(detail).status_code == 200


def test_a_removed_second_factor_device_asks_for_the_second_factor_again(alice_client, alice):
    assert alice_client.get(STAFF_PAGE).status_code == 200
    TOTPDevice.objects.filter(user=alice).delete()
    response = alice_client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert "/accounts/second-factor/" in response["Location"]


def test_an_unconfirmed_device_does_not_count_as_a_second_factor(alice_client, alice):
    TOTPDevice.objects.filter(user=alice).update(confirmed=False)
    response = alice_client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert "/accounts/second-factor/" in response["Location"]


def test_a_session_verified_with_another_users_device_is_not_verified(client, alice, bob):
    client.force_login(bob, second_factor=False)
    foreign = TOTPDevice.objects.create(user=alice, name="alice's phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = foreign.persistent_id
    session.save()
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert "/accounts/second-factor/" in response["Location"]


def test_the_device_the_session_was_verified_with_is_the_real_one(alice_client, alice):
    """The device read with the account loads its other fields when they are needed."""
    from lokalwillkommen.accounts import account_with_roles

    device = TOTPDevice.objects.get(user=alice)
    user = account_with_roles(alice.pk)
    found = user._lw_confirmed_devices[device.persistent_id]
    assert found.pk == device.pk and found.name == device.name and found.key == device.key


def test_a_recovery_code_device_verifies_the_session_as_well(client, alice):
    client.force_login(alice, second_factor=False)
    recovery = StaticDevice.objects.create(user=alice, name="recovery", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd1234")
    session = client.session
    session["otp_device_id"] = recovery.persistent_id
    session.save()
    assert client.get(STAFF_PAGE).status_code == 200


def test_the_real_login_with_password_and_second_factor(client, alice):
    from django_otp.oath import totp

    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client.post("/de/accounts/login/", {"username": "alice", "password": "alice-password-123"})
    response = client.get(STAFF_PAGE)
    assert "/accounts/second-factor/" in response["Location"]
    response = client.post(response["Location"], {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get(STAFF_PAGE).status_code == 200
    client.post("/de/accounts/logout/")
    assert client.get(STAFF_PAGE).status_code == 302
