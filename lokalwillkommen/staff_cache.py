"""A short-lived cache of staff list pages, shared by the colleagues who see the same list.

The household list is what staff open most, many times a day, and it is the same page for
everyone with the same roles and teams: a rendered page is kept in the shared cache (Redis when
``REDIS_URL`` is set) under a key made of the language, the full path with its query, the
user's roles and the *scope* the view names (for the household list: the teams whose households
the user may see). The entry remembers the *casework version* it was rendered at and is served
only while that is still the current version.

Only the authorisation is decided per request, before the cache is asked: the view is wrapped
inside ``staff_required``, so a user who may not see the page never reaches a cached copy.
The one per-user part of a staff page, the CSRF token of the logout form, is rendered as a
placeholder and filled in with the requesting user's own token on every response.

Invalidation: saving or deleting a household, one of its needs, a team or a district bumps the
casework version (signals in ``consultations.apps``), as do the service functions that write
with ``QuerySet.update``; the bump happens at once and again after the commit. An entry lives at
most ``STAFF_PAGE_TTL`` seconds: personal data (contact names) does not stay in the cache long,
and a change made past the services (a database shell) shows within that time.

Never cached: requests other than GET, requests with messages waiting to be shown, responses
other than 200 or that set a cookie, and nothing at all without a cache shared by every process
(unless the setting ``LW_STAFF_PAGE_CACHE`` says otherwise, as in the tests).
"""

import functools
import hashlib
import logging

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from .public_cache import bump_version, cacheable_response, lookup, shared_cache
from .roles import is_coordinator, is_staff_member

logger = logging.getLogger(__name__)

STAFF_PAGE_TTL = 120
CASEWORK_VERSION_KEY = "staff-pages:casework-version"
# Rendered in place of the CSRF token (the context processor reads the request flag below);
# never sent: every response has it replaced by the requesting user's token.
CSRF_PLACEHOLDER = "lw-csrf-token-placeholder"
PLACEHOLDER_FLAG = "lw_csrf_placeholder"


def enabled() -> bool:
    return shared_cache("LW_STAFF_PAGE_CACHE")


def bump_casework_version(**_signal_kwargs) -> None:
    """Call after a change to anything a cached staff list shows (also usable as a signal
    receiver)."""
    if enabled():
        bump_version(CASEWORK_VERSION_KEY)


def _messages_waiting(request) -> bool:
    session = getattr(request, "session", None)
    return "messages" in request.COOKIES or (session is not None and "_messages" in session)


def _messages_added(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(getattr(storage, "_queued_messages", None))


def _key(request, scope: str) -> str:
    user = request.user
    raw = "|".join(
        (
            get_language(),
            request.get_full_path(),
            "coordinator" if is_coordinator(user) else "",
            "staff" if is_staff_member(user) else "",
            scope,
        )
    )
    return f"staff-pages:{hashlib.sha256(raw.encode()).hexdigest()}"


def cache_staff_page(scope):
    """Cache a staff view's page for everyone with the same roles and ``scope(request)`` (a
    string naming what else decides the page, e.g. the user's teams). Put it *inside* the
    decorator that checks the user's role."""

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET" or not enabled() or _messages_waiting(request):
                return view_func(request, *args, **kwargs)
            try:
                key = _key(request, scope(request))
                version, hit = lookup(key, CASEWORK_VERSION_KEY)
            except Exception:  # noqa: BLE001 - without the cache, render as usual
                logger.warning("staff page cache unavailable", exc_info=True)
                return view_func(request, *args, **kwargs)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
            else:
                setattr(request, PLACEHOLDER_FLAG, True)
                try:
                    response = view_func(request, *args, **kwargs)
                finally:
                    setattr(request, PLACEHOLDER_FLAG, False)
                if cacheable_response(request, response) and not _messages_added(request):
                    try:
                        cache.set(
                            key,
                            (version, response.content, response["Content-Type"]),
                            timeout=STAFF_PAGE_TTL,
                        )
                    except Exception:  # noqa: BLE001
                        logger.warning("staff page cache: could not store", exc_info=True)
            if not getattr(response, "streaming", False):
                response.content = response.content.replace(
                    CSRF_PLACEHOLDER.encode(), get_token(request).encode()
                )
            return response

        return wrapped

    return decorator
