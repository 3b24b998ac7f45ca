"""Protection of the public forms against floods and spam: honeypot and per-address limit."""

import uuid

from django.conf import settings
from django.core.cache import cache

HONEYPOT_FIELD = "website_url"


def client_address(request) -> str:
    """The visitor's address; X-Forwarded-For only behind a configured number of proxies."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(request, scope: str) -> bool:
    """Count this POST against the visitor's address; True once the limit is exceeded."""
    limit, window = getattr(settings, "NETWORK_RATE_LIMIT", (10, 3600))
    key = f"network:rate:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def honeypot_filled(request) -> bool:
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def new_token() -> uuid.UUID:
    return uuid.uuid4()
