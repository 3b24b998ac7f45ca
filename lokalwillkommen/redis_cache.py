"""Django's Redis cache backend, with one Redis client per connection pool instead of one per
operation, and reads and writes that survive Redis being away.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new ``redis.Redis``
for every cache operation; with redis-py 8 that object sets up its ~170 response callbacks
each time, which costs more than the round trip to a local Redis. A client is thread-safe
(it takes a connection from its pool per command), so one per pool serves every thread.

When Redis cannot be reached, a read is a miss and a write or deletion is skipped (all logged),
so sessions, accounts and pages come from the database and are rendered as if nothing were
cached: the portal keeps working, only slower. (A logout then deletes the session from the
database and the browser's cookie; a copy in Redis could only be used with that old cookie.)
"""

import logging
import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            with self._lock:
                client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


logger = logging.getLogger(__name__)


def _unreachable(exc: Exception) -> bool:
    import redis

    return isinstance(exc, (redis.ConnectionError, redis.TimeoutError, OSError))


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def _away(self, operation: str, exc: Exception) -> None:
        logger.warning("Redis unreachable, cache %s skipped: %s", operation, exc)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            self._away("read", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            self._away("read", exc)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            self._away("write", exc)

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            self._away("read", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            self._away("deletion", exc)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            self._away("write", exc)
            return False
