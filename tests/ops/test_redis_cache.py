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


def test_with_redis_away_reads_miss_and_writes_are_skipped_but_deletions_fail(caplog):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cache = RedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    assert cache.get("session", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("session", {"user": 1}, 30)
    assert cache.add("session", {"user": 1}, 30) is False
    assert "Redis unreachable" in caplog.text
    with pytest.raises(Exception):  # noqa: B017 - whichever error redis-py raises
        cache.delete("session")


def test_a_logged_in_staff_member_keeps_working_while_redis_is_away(
    alice_client, settings, caplog
):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "lokalwillkommen.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.LW_IDENTITY_CACHE = settings.LW_STAFF_PAGE_CACHE = True
    response = alice_client.get("/de/staff/households/")
    assert response.status_code == 200
    assert "Redis unreachable" in caplog.text
