"""Cross-cutting response handling: security headers, and a 503 when the database is away."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


# Errors that mean the database does not answer (not a bad query).
def _driver_errors() -> tuple:
    """psycopg's own errors: Django wraps the driver's errors in its own, except where it
    does not run the driver itself, as when a server-side cursor (``QuerySet.iterator()``,
    which a form's choices use) is closed on a connection that has just gone away."""
    try:
        import psycopg
    except ImportError:  # SQLite only
        return ()
    return (psycopg.OperationalError, psycopg.InterfaceError)


DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, *_driver_errors())

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy everywhere,
    and no-store for anything a signed-in person or the staff area sees."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _is_private(request):
            response.headers["Cache-Control"] = "no-store"
        return response


def _is_private(request) -> bool:
    parts = request.path_info.strip("/").split("/")
    if parts and parts[0] == "admin":
        return True
    if len(parts) >= 2 and parts[1] in {"staff", "accounts"}:
        return True
    user = getattr(request, "user", None)
    try:
        return bool(user is not None and user.is_authenticated)
    except DatabaseError:
        return True


class DatabaseUnavailableMiddleware:
    """Answer 503 in the layout instead of a 500 when the database does not answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.error("database unavailable: %s", exception.__class__.__name__)
            return service_unavailable(request)
        return None


def service_unavailable(request) -> HttpResponse:
    body = render_to_string("503.html", {"request": request, "LANGUAGE_CODE": _language(request)})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "de")
