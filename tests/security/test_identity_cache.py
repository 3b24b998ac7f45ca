"""The account, its roles, teams and second-factor device are read from the shared cache, and
every change to them still takes effect on the very next request."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from tests.consultations.conftest import make_household

STAFF_PAGE = "/de/staff/households/"


@pytest.fixture
def household(alice, lanstrop_team, lanstrop_district):
    return make_household(lanstrop_team, lanstrop_district, user=alice)


@pytest.fixture
def identity_cache(settings):
    settings.LW_IDENTITY_CACHE = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    yield
    cache.clear()


def test_a_staff_request_does_not_ask_the_database_who_is_asking(
    alice_client, identity_cache, django_assert_num_queries
):
    alice_client.get("/de/")  # fills the identity cache
    with django_assert_num_queries(0):
        response = alice_client.get("/de/imprint/")
    assert response.status_code == 200
    assert b"Log out" in response.content or "Abmelden" in response.content.decode()


def test_without_the_cache_every_request_reads_the_account(
    alice_client, settings, django_assert_max_num_queries
):
    settings.LW_IDENTITY_CACHE = False
    cache.clear()
    alice_client.get("/de/")
    # session, account, device, groups, teams
    with django_assert_max_num_queries(5):
        assert alice_client.get("/de/imprint/").status_code == 200


def test_a_deactivated_account_is_logged_out_at_its_next_request(
    alice_client, alice, identity_cache
):
    assert alice_client.get(STAFF_PAGE).status_code == 200
    alice.is_active = False
    alice.save()
    response = alice_client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_changed_password_ends_the_other_sessions_at_once(alice_client, alice, identity_cache):
    assert alice_client.get(STAFF_PAGE).status_code == 200
    alice.set_password("a-completely-new-password-42")
    alice.save()
    response = alice_client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_removal_from_the_staff_group_closes_the_staff_area_at_once(
    alice_client, alice, identity_cache
):
    assert alice_client.get(STAFF_PAGE).status_code == 200
    alice.groups.remove(Group.objects.get(name="staff"))
    assert alice_client.get(STAFF_PAGE).status_code == 403


def test_removal_of_all_group_members_from_the_group_side_takes_effect(
    alice_client, identity_cache
):
    assert alice_client.get(STAFF_PAGE).status_code == 200
    Group.objects.get(name="staff").user_set.clear()
    assert alice_client.get(STAFF_PAGE).status_code == 403


def test_leaving_a_team_hides_its_households_at_once(
    alice_client, alice, lanstrop_team, household, identity_cache
):
    detail = f"/de/staff/households/{household.pk}/"
    assert alice_client.get(detail).status_code == 200
    lanstrop_team.members.remove(alice)
    assert alice_client.get(detail).status_code == 404


def test_joining_a_team_shows_its_households_at_once(
    client, bob, lanstrop_team, household, identity_cache
):
    client.force_login(bob)
    detail = f"/de/staff/households/{household.pk}/"
    assert client.get(detail).status_code == 404
    bob.teams.add(lanstrop_team)
    assert client.get(detail).status_code == 200


def test_a_removed_second_factor_device_asks_for_the_second_factor_again(
    alice_client, alice, identity_cache
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert alice_client.get(STAFF_PAGE).status_code == 200
    TOTPDevice.objects.filter(user=alice).delete()  # QuerySet.delete sends the signals
    response = alice_client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert "/accounts/second-factor/" in response["Location"]


def test_the_real_login_with_the_second_factor_works_with_the_cache(
    client, alice, identity_cache
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client.post("/de/accounts/login/", {"username": "alice", "password": "alice-password-123"})
    response = client.get(STAFF_PAGE)
    assert "/accounts/second-factor/" in response["Location"]
    response = client.post(response["Location"], {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get(STAFF_PAGE).status_code == 200
    client.post("/de/accounts/logout/")
    assert client.get(STAFF_PAGE).status_code == 302


def test_an_account_read_before_a_change_is_never_served_after_it(
    alice, identity_cache, monkeypatch
):
    """A request reads the account, another deactivates it before the first stores its copy:
    the copy must not outlive the change."""
    from django.contrib.auth.backends import ModelBackend

    from lokalwillkommen.identity import CachedModelBackend

    read_from_database = ModelBackend.get_user

    def racing(self, user_id):
        user = read_from_database(self, user_id)
        meanwhile = type(user).objects.get(pk=user_id)
        meanwhile.is_active = False
        meanwhile.save()
        return user

    backend = CachedModelBackend()
    monkeypatch.setattr(ModelBackend, "get_user", racing)
    assert backend.get_user(alice.pk).is_active  # this request saw the old row
    monkeypatch.setattr(ModelBackend, "get_user", read_from_database)
    assert backend.get_user(alice.pk) is None  # the next one is not served the old copy


def test_a_login_does_not_start_a_new_version_of_the_cached_account(
    client, alice, identity_cache
):
    from lokalwillkommen.identity import _VERSION_KEY

    client.force_login(alice)
    client.get("/de/")
    version = cache.get(_VERSION_KEY.format(alice.pk))
    client.force_login(alice)  # saves last_login
    assert cache.get(_VERSION_KEY.format(alice.pk)) == version
