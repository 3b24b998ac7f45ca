"""Protection of the public forms against floods and spam: honeypot and per-address limit."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache

from lokalwillkommen.security import client_address

HONEYPOT_FIELD = "website_url"
logger = logging.getLogger(__name__)


def rate_limited(request, scope: str, limit: tuple[int, int] | None = None) -> bool:
    """Count this request against the visitor's address; True once the limit is exceeded.
    ``limit`` is (requests, seconds); the public forms' ``NETWORK_RATE_LIMIT`` by default."""
    limit, window = limit or getattr(settings, "NETWORK_RATE_LIMIT", (10, 3600))
    key = f"network:rate:{scope}:{client_address(request)}"
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:  # noqa: BLE001 - the cache away: the form still works, without a limit
        logger.warning("rate limit not counted: the cache is unreachable", exc_info=True)
        return False
    return count > limit


def honeypot_filled(request) -> bool:
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def new_token() -> uuid.UUID:
    return uuid.uuid4()
