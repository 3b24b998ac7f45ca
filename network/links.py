"""Signed links that let a submitter see, change or withdraw what they sent."""

from django.conf import settings
from django.core import signing

SALT = "network.manage"


def max_age() -> int:
    return int(getattr(settings, "NETWORK_LINK_MAX_AGE", 60 * 24 * 60 * 60))


def make_token(kind: str, obj) -> str:
    return signing.dumps({"k": kind, "id": obj.pk}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[str, int] | None:
    """(kind, id) from a valid, unexpired token; None for a tampered or expired one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    if not isinstance(data, dict) or data.get("k") not in {"offer", "volunteer"}:
        return None
    try:
        return data["k"], int(data["id"])
    except (KeyError, TypeError, ValueError):
        return None
