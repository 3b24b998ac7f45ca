"""Protection of the public forms against floods and spam: honeypot and per-address limit."""

import hashlib
import uuid

from django.conf import settings

from lokalwillkommen.security import client_address, limit_exceeded

HONEYPOT_FIELD = "website_url"


def rate_limited(request, scope: str, limit: tuple[int, int] | None = None) -> bool:
    """Count this request against the visitor's address; True once the limit is exceeded.
    ``limit`` is (requests, seconds); the public forms' ``NETWORK_RATE_LIMIT`` by default."""
    limit, window = limit or getattr(settings, "NETWORK_RATE_LIMIT", (10, 3600))
    return limit_exceeded(
        f"network:{scope}:{client_address(request)}", limit=limit, window=window
    )


def recipient_limited(address: str) -> bool:
    """Count one more confirmation e-mail to ``address``: a form cannot be used to flood one
    inbox from many client addresses."""
    limit, window = getattr(settings, "NETWORK_RATE_LIMIT", (10, 3600))
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    return limit_exceeded(f"network:mail:{digest}", limit=limit, window=window)


def honeypot_filled(request) -> bool:
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def new_token() -> uuid.UUID:
    return uuid.uuid4()
