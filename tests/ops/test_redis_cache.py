"""The portal's Redis cache backend: Django's, with one client per pool (needs a Redis)."""

import socket
import uuid

import pytest

from lokalwillkommen.redis_cache import RedisCache


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


def _closed_port_url() -> str:
    """A Redis address nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{s.getsockname()[1]}/0"


@pytest.fixture
def redis_away(settings):
    """The portal configured as with REDIS_URL (every cache on), with that Redis unreachable."""
    settings.CACHES = {
        "default": {
            "BACKEND": "lokalwillkommen.redis_cache.RedisCache",
            "LOCATION": _closed_port_url(),
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@needs_redis
def test_values_round_trip_and_one_client_serves_every_operation():
    prefix = f"lw-test-{uuid.uuid4().hex}"
    cache = RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": prefix})
    cache.set("entry", {"page": b"<html>"}, 30)
    assert cache.get("entry") == {"page": b"<html>"}
    assert cache.get_many(["entry", "missing"]) == {"entry": {"page": b"<html>"}}
    assert cache.add("entry-count", 1)
    assert cache.incr("entry-count") == 2
    assert cache._cache.get_client() is cache._cache.get_client()
    cache.delete_many(["entry", "entry-count"])
    assert cache.get("entry") is None


def test_with_redis_away_reads_miss_and_writes_and_deletions_are_skipped(caplog):
    cache = RedisCache(_closed_port_url(), {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert cache.get("session", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("session", {"user": 1}, 30)
    assert cache.add("session", {"user": 1}, 30) is False
    assert cache.delete("session") is False
    assert "Redis unreachable" in caplog.text


def test_a_logged_in_staff_member_keeps_working_while_redis_is_away(
    alice_client, redis_away, caplog
):
    response = alice_client.get("/de/staff/households/")
    assert response.status_code == 200
    assert "Redis unreachable" in caplog.text


def test_staff_log_in_with_the_second_factor_and_out_while_redis_is_away(
    client, alice, redis_away, caplog
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client.post("/de/accounts/login/", {"username": "alice", "password": "alice-password-123"})
    verify = client.get("/de/staff/households/")["Location"]
    response = client.post(verify, {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get("/de/staff/households/").status_code == 200
    assert client.post("/de/accounts/logout/").status_code == 302
    assert client.get("/de/staff/households/").status_code == 302
    assert "Redis unreachable" in caplog.text


def test_a_volunteer_can_register_while_redis_is_away(
    client, redis_away, lanstrop_district, caplog
):
    from network.models import VolunteerRegistration
    from tests.network.test_forms import volunteer_data

    response = client.post("/de/network/volunteer/", volunteer_data(lanstrop_district))
    assert response.status_code == 302
    assert VolunteerRegistration.objects.filter(email="miriam@example.org").exists()
    assert "rate limit not counted" in caplog.text
