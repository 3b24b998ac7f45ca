import logging
import sys

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import easy_language as easy_language_text
from .caching import public_page
from .middleware import DATABASE_UNAVAILABLE, service_unavailable
from .security import log_event

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request):
    """200 while the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("healthz: database unavailable: %s", exc.__class__.__name__)
        connection.close_if_unusable_or_obsolete()
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
@public_page
def page(request, template):
    return render(request, template)


@require_safe
@public_page
def privacy(request):
    """The privacy notice, with each retention period as configured."""
    from .retention import periods

    return render(request, "pages/privacy.html", {"retention": periods()})


@require_safe
@public_page
def easy_language(request):
    """The start page in Leichte Sprache (German), under every language prefix."""
    return render(
        request,
        "pages/easy_language.html",
        {
            "title": "lokal willkommen in Leichter Sprache",
            "sections": easy_language_text.SECTIONS,
            "video": easy_language_text.video(),
            "video_missing": (
                "Das Video in Gebärden-Sprache machen wir gerade. Bald können Sie es hier sehen."
            ),
            "link_accessibility": "Zur Erklärung zur Barriere-Freiheit",
            "link_mail": "E-Mail an uns",
            "link_suggestion": "Zum Formular für Ideen und Hinweise",
            "link_home": "Zur Start-Seite",
        },
    )


def server_error(request):
    """The 500 page in the layout; a 503 when the cause is the database being away
    (whichever layer met it first: a middleware reading the session, or a view)."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return render(request, "500.html", status=500)


def permission_denied(request, exception):
    log_event("forbidden", request=request)
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: refused, in the layout, and logged."""
    log_event("csrf_failure", request=request)
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def bench_floor(request):
    """The benchmark's floor: nothing but an answer, through every middleware.

    Routed only when LW_BENCH_FLOOR is on (see scripts/bench.py)."""
    return HttpResponse("ok\n", content_type="text/plain")
