"""Account security: the client's address, the security log, session limits and the second
factor that every staff page needs.

The security log is one JSON object per line on the logger ``lokalwillkommen.security``:
time (UTC), event, user, address, path and a few event fields. JSON escapes control
characters, so a newline in a user name cannot forge a line; passwords and codes are never
passed to it.
"""

import json
import logging
import time
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse

from .log_redaction import redact_path
from .roles import is_staff_member

logger = logging.getLogger("lokalwillkommen.security")

# The request being served, so that log lines written deep in a service carry its address.
current_request: ContextVar = ContextVar("lw_current_request", default=None)

IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 60 * 60
LOGIN_AT = "lw_login_at"
LAST_SEEN = "lw_last_seen"


def client_address(request) -> str:
    """The client's address: X-Forwarded-For is read only behind a configured number of
    trusted proxies (``DJANGO_TRUSTED_PROXY_COUNT``), taking the entry the nearest trusted
    proxy appended; otherwise the socket's address."""
    if request is None:
        return ""
    proxies = int(getattr(settings, "LW_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or ""


def limit_exceeded(key: str, *, limit: int, window: int) -> bool:
    """Count one more attempt under ``key`` in the shared cache; True once more than ``limit``
    attempts fell in the ``window`` (seconds) that began with the first. Without the cache the
    attempt is allowed (logged): a cache outage must not stop logins or forms."""
    key = f"rate:{key}"
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:  # noqa: BLE001 - the cache away: allowed, without a limit
        logging.getLogger("lokalwillkommen.ratelimit").warning(
            "rate limit not counted: the cache is unreachable", exc_info=True
        )
        return False
    return count > limit


def log_event(event: str, *, request=None, user=None, username: str = "", **fields) -> None:
    """Write one line to the security log."""
    if request is None:
        request = current_request.get()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and getattr(candidate, "is_authenticated", False):
            user = candidate
    if user is not None and not username:
        username = user.get_username()
    record = {
        "time": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "event": event,
        "user": str(username)[:150],
        "address": client_address(request),
        "path": redact_path(request.path)[:300] if request is not None else "",
    }
    record.update({key: str(value)[:300] for key, value in fields.items()})
    logger.info(json.dumps(record, ensure_ascii=True, sort_keys=False))


def _privileged(user) -> bool:
    """Staff, coordinators, and anyone who may open the Django admin."""
    return user.is_staff or is_staff_member(user)


# The account pages that open with the password alone: logging in and out, the second factor
# itself (asking for the code, and setting up the app on first login) and the password reset
# by e-mail. Everything else under /<lang>/accounts/ needs the second factor too.
OPEN_ACCOUNT_PAGES = ("login", "logout", "second-factor", "second-factor/set-up")
OPEN_ACCOUNT_PREFIXES = ("password/reset",)


def _needs_second_factor(path: str) -> bool:
    parts = path.strip("/").split("/")
    if parts and parts[0] == "admin":
        return parts[1:2] not in (["login"], ["logout"])
    if len(parts) >= 2 and parts[1] == "accounts":
        rest = "/".join(parts[2:])
        if rest in OPEN_ACCOUNT_PAGES:
            return False
        return not any(
            rest == prefix or rest.startswith(prefix + "/") for prefix in OPEN_ACCOUNT_PREFIXES
        )
    return len(parts) >= 2 and parts[1] == "staff"


class StaffSessionMiddleware:
    """Idle staff sessions end after 30 minutes, every session after 12 hours, and no staff
    page, no account page (but those of ``OPEN_ACCOUNT_PAGES``) and no admin page opens
    without the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self._handle(request)
        finally:
            current_request.reset(token)

    def _handle(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request, user)
            if expired:
                log_event("session_expired", request=request, reason=expired)
                logout(request)
                return redirect_to_login(request.get_full_path())
            if _needs_second_factor(request.path_info) and _privileged(user):
                if not user.is_verified():
                    return redirect(
                        f"{reverse('otp-verify')}?next={_quote(request.get_full_path())}"
                    )
        return self.get_response(request)

    @staticmethod
    def _expired(request, user) -> str:
        now = time.time()
        session = request.session
        login_at = session.get(LOGIN_AT)
        if login_at is None:
            session[LOGIN_AT] = login_at = now
        if now - login_at > ABSOLUTE_SECONDS:
            return "absolute"
        last_seen = session.get(LAST_SEEN, now)
        if _privileged(user) and now - last_seen > IDLE_SECONDS:
            return "idle"
        if now - last_seen >= 60 or LAST_SEEN not in session:
            session[LAST_SEEN] = now
        return ""


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="/")
