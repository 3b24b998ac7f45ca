"""A short-lived cache of public pages for anonymous visitors, with explicit invalidation.

The home page, the office list and pages and the network directory are the same for every
anonymous visitor in a language, so a rendered page is kept in Django's cache (Redis when
``REDIS_URL`` is set, so every app server shares it) under a key made of the language, the
full path; the entry remembers the *public content version* it was rendered at, and is served
only while that is still the current version.

Invalidation: every service function that changes what these pages show (opening hours,
closures and special openings, offers and organisations) calls ``bump_public_version()``;
the next request then misses the cache and renders afresh. Changes made outside the services
(the Django admin, a database shell) are not announced: they show once the entry expires.

An entry is fresh for a short time (``PUBLIC_PAGE_TTL``, 30 seconds), because "open now" and
"next openings" depend on the clock: a page rendered at 11:29:50 may say "open" until 11:30:20.
It is kept a little longer than that: when it has gone stale, the first request renders its
successor (it claims the render with ``cache.add``) while the others are still answered with
the stale copy, for the fraction of a second a render takes, instead of every thread of every
app server rendering the same page at once.

Only a cache shared by every process is used (Redis): with Django's per-process memory cache
a change handled by one gunicorn worker could not invalidate the pages held by another, so
pages are not cached then, unless the setting ``LW_PUBLIC_PAGE_CACHE`` says otherwise.

Never cached: requests other than GET, requests with a session or any cookie but the CSRF
cookie (logged-in users, visitors with messages), query strings other than the allowed
filters, responses other than 200, responses that set a cookie or use the CSRF token.
"""

import functools
import hashlib
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

PUBLIC_PAGE_TTL = 30
STALE_GRACE = 60  # seconds a stale entry is kept, to be served while its successor renders
RENDER_CLAIM_SECONDS = 10
VERSION_KEY = "public-pages:version"
ALLOWED_COOKIES = {"csrftoken"}


def content_version(version_key: str = VERSION_KEY) -> int:
    """The current content version under ``version_key`` (one per family of cached pages)."""
    version = cache.get(version_key)
    if version is None:
        # A fresh start value, so that entries left from before an eviction are never reused.
        cache.add(version_key, int(time.time() * 1000), timeout=None)
        version = cache.get(version_key)
    return int(version or 0)


def public_version() -> int:
    return content_version(VERSION_KEY)


def _bump(version_key: str = VERSION_KEY) -> None:
    try:
        cache.incr(version_key)
    except ValueError:  # not in the cache (evicted, or never read): any new value will do
        cache.set(version_key, int(time.time() * 1000), timeout=None)
    except Exception:  # noqa: BLE001 - the cache being away must not fail a change
        logger.warning("page cache: could not bump %s", version_key, exc_info=True)


def bump_version(version_key: str) -> None:
    """Bumped at once and again after the transaction commits: a page rendered from the old
    rows between the two is stored under the older version and never served again."""
    _bump(version_key)
    transaction.on_commit(functools.partial(_bump, version_key))


def bump_public_version() -> None:
    """Call after a change to anything a public page shows."""
    if not enabled():
        return
    bump_version(VERSION_KEY)


PROCESS_LOCAL_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def shared_cache(setting: str) -> bool:
    """Whether a cache every app server process shares is configured, unless ``setting``
    says otherwise (the tests switch caching on with the per-process memory cache)."""
    configured = getattr(settings, setting, None)
    if configured is not None:
        return bool(configured)
    return settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_BACKENDS


def enabled() -> bool:
    return shared_cache("LW_PUBLIC_PAGE_CACHE")


def _cacheable_request(request, allowed_params: frozenset[str]) -> bool:
    if request.method != "GET" or not enabled():
        return False
    if any(name not in ALLOWED_COOKIES for name in request.COOKIES):
        return False
    return all(name in allowed_params for name in request.GET)


def _key(request) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    raw = f"{get_language()}|{request.path}|{query}"
    return f"public-pages:{hashlib.sha256(raw.encode()).hexdigest()}"


def lookup(key: str, version_key: str = VERSION_KEY):
    """The current version and the stored page if it was rendered at that version: one round
    trip to the cache (the page is stored with the version it was rendered at)."""
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        version = content_version(version_key)
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return version, stored[1:]
    return version, None


def cache_public_page(view=None, *, query_params=()):
    """Cache a public view's response for anonymous GET requests (see the module docstring)."""
    allowed = frozenset(query_params)

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request, allowed):
                return view_func(request, *args, **kwargs)
            try:
                key = _key(request)
                version, hit = lookup(key)
            except Exception:  # noqa: BLE001 - without the cache, render as usual
                logger.warning("public page cache unavailable", exc_info=True)
                return view_func(request, *args, **kwargs)
            if hit is not None and (_fresh(hit) or not _claim_render(key)):
                _rendered_at, content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
            else:
                response = view_func(request, *args, **kwargs)
                if cacheable_response(request, response):
                    entry = (version, time.time(), response.content, response["Content-Type"])
                    try:
                        cache.set(key, entry, timeout=PUBLIC_PAGE_TTL + STALE_GRACE)
                    except Exception:  # noqa: BLE001
                        logger.warning("public page cache: could not store", exc_info=True)
            # The page differs for signed-in users, whether or not the view touched the session.
            patch_vary_headers(response, ["Cookie"])
            return response

        return wrapped

    return decorator(view) if view is not None else decorator


def _fresh(hit) -> bool:
    return time.time() - hit[0] < PUBLIC_PAGE_TTL


def _claim_render(key: str) -> bool:
    """True for the one request that is to render a stale page anew."""
    try:
        return bool(cache.add(f"{key}:rendering", 1, timeout=RENDER_CLAIM_SECONDS))
    except Exception:  # noqa: BLE001 - without the cache, this request renders
        return True


def cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not getattr(response, "streaming", False)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Set-Cookie")
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )
