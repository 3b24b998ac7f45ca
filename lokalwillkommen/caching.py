"""All the caching the portal does, in one module. There is little of it, on purpose.

1. **Public pages, in HTTP.** The home page, the office pages and the network directory are the
   same for every anonymous visitor of a language, so ``public_page`` marks their responses
   ``Cache-Control: public, max-age=30, stale-while-revalidate=30`` with an ``ETag``. Browsers
   keep them for half a minute and revalidate with ``If-None-Match`` (answered 304), and the
   reverse proxy (``deploy/nginx.conf``) keeps one copy per address for every visitor, serving
   the stale copy while it fetches the next one. Nothing is stored by the portal itself. A
   response is shared only when nothing in it belongs to one visitor: not for a request with a
   session or a waiting message, not when the page set a cookie or used the CSRF token. Other
   responses of these views say ``private, no-cache``. ``Vary: Cookie`` keeps a browser's copy
   from before a login from being shown after it.

2. **Reference data, per process, under a version.** Districts, languages, teams, target groups
   and skills fill the filters and forms of almost every page and change a few times a year.
   ``ReferenceCache`` keeps what is read from them in the memory of each process and reads
   them again when their *version* has changed: a row in the database (``CacheVersion``),
   shared by every app server, given a new random value by every save or deletion of such a
   row (signals in ``lokalwillkommen.apps``). A process asks for the version at most every
   ``LW_REFERENCE_CHECK_SECONDS`` (default 5): a district added in the admin shows at once on
   the app server that saved it and within five seconds on the others.

3. **The open data API** (``/api/hsds/``, ``network/api_views.py``) answers everyone alike:
   ``PublicAPIHeadersMiddleware`` (outermost) marks an answer to a request without cookies
   shareable with the same 30 seconds, and replaces the ``Vary: Cookie, Accept-Language``
   that the session and locale middleware add with ``Vary: Accept-Encoding``, so a shared
   cache keeps one copy, not one per language header.

4. **Layout fragments**: the parts of ``base.html`` that depend only on the language and the
   user's roles (navigation, footer, stylesheet links) are rendered once per process and
   language (``{% layout_fragment %}`` in ``templatetags/portal.py``).

Personal data (households, accounts, password hashes) is never cached anywhere: staff pages are
rendered afresh for every request and sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import functools
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

PUBLIC_MAX_AGE = 30
STALE_WHILE_REVALIDATE = 30
PUBLIC_CACHE_CONTROL = (
    f"public, max-age={PUBLIC_MAX_AGE}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"
)
# Cookies that do not make a page personal (the CSRF cookie only holds a random secret).
NEUTRAL_COOKIES = frozenset({"csrftoken", "django_language"})


# 1. Public pages ------------------------------------------------------------------------------


def public_page(view: Callable) -> Callable:
    """Mark an anonymous visitor's copy of a public page as shareable for 30 seconds."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if shareable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=PUBLIC_MAX_AGE,
                stale_while_revalidate=STALE_WHILE_REVALIDATE,
            )
            if not response.has_header("ETag"):
                set_response_etag(response)
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


def shareable(request, response) -> bool:
    """Whether ``response`` may be kept by shared caches and shown to any visitor."""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not getattr(response, "streaming", False)
        and not any(name not in NEUTRAL_COOKIES for name in request.COOKIES)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
    )


class PublicAPIHeadersMiddleware:
    """The open data API's answers (marked ``response.public_api``) to requests without
    cookies: shareable for 30 seconds, varying only by encoding."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(response, "public_api", False)
            and not request.COOKIES
            and not response.cookies
            and not response.has_header("Set-Cookie")
        ):
            response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
            response.headers["Vary"] = "Accept-Encoding"
        return response


# 2. Reference data ----------------------------------------------------------------------------


def _new_token() -> int:
    return secrets.randbits(62)


def current_version(name: str) -> int:
    from .models import CacheVersion

    found = CacheVersion.objects.filter(name=name).values_list("token", flat=True).first()
    if found is None:
        CacheVersion.objects.get_or_create(name=name, defaults={"token": _new_token()})
        found = CacheVersion.objects.filter(name=name).values_list("token", flat=True).first()
    return found


def bump_version(name: str) -> None:
    """Give ``name`` a new version (a random one, so that a value rolled back with its
    transaction is never taken for a newer one)."""
    from .models import CacheVersion

    updated = CacheVersion.objects.filter(name=name).update(token=_new_token())
    if not updated:
        CacheVersion.objects.update_or_create(name=name, defaults={"token": _new_token()})


class ReferenceCache:
    """Values built from rarely changing rows, held in this process under a shared version.

    ``get(key, build)`` returns ``build()``'s value, built once per process and version
    (``key`` tells apart the values built from the same rows, e.g. per language)."""

    def __init__(self, name: str):
        self.name = name
        self._values: dict[Any, Any] = {}
        self._version: int | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def get(self, key: Any, build: Callable[[], Any]) -> Any:
        self._check()
        try:
            return self._values[key]
        except KeyError:
            value = build()
            self._values[key] = value
            return value

    def _check(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < getattr(settings, "LW_REFERENCE_CHECK_SECONDS", 5):
            return
        version = current_version(self.name)
        with self._lock:
            if version != self._version:
                self._values = {}
                self._version = version
            self._checked_at = now

    def forget(self) -> None:
        """Build everything anew at the next ``get`` (after a change in this process)."""
        with self._lock:
            self._values = {}
            self._version = None
            self._checked_at = float("-inf")

    def changed(self, **_signal_kwargs) -> None:
        """A row this cache is built from was saved or deleted."""
        bump_version(self.name)
        self.forget()
        transaction.on_commit(self.forget)


reference = ReferenceCache("reference")
