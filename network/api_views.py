"""The open-data API under /api/hsds/: the directory as Open Referral HSDS 3.0, read-only.

Every answer is JSON and the same for everyone (published data only), so it may be cached
for 30 seconds by anyone (lokalwillkommen/caching.py); each client address may ask
``API_RATE_LIMIT`` times per window, then gets 429 with Retry-After. Filters combine with
AND; a parameter that cannot be read is answered 400, an unknown id 404, both as JSON.
"""

import functools
import math
import re
import uuid
from datetime import datetime, time

from django.conf import settings
from django.db.models import Max
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_safe

from lokalwillkommen.caching import PUBLIC_CACHE_CONTROL
from offices.hours import TZ, local
from offices.models import Office

from . import dcat, hsds, selectors
from .hsds_openapi import openapi_document
from .models import Offer, Organisation
from .protection import rate_limited

PER_PAGE = 50
MAX_PER_PAGE = 200
PROFILE = "https://docs.openreferral.org/en/v3.0/"


class BadParameter(Exception):
    """A query parameter that cannot be read; the message says which and why."""


def _json(data, *, status: int = 200, content_type: str = "application/json") -> JsonResponse:
    return JsonResponse(
        data,
        status=status,
        safe=False,
        content_type=f"{content_type}; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def _error(status: int, message: str) -> JsonResponse:
    return _json({"error": message}, status=status)


def open_data_api(view):
    """GET and HEAD only; counted against the client's address; answered in German (the
    language of the data); a BadParameter becomes a 400; the answer marked public."""

    @functools.wraps(view)
    @require_safe
    def wrapped(request, *args, **kwargs):
        limit = settings.API_RATE_LIMIT
        if rate_limited(request, "hsds-api", limit):
            response = _error(429, "Too many requests from this address; please slow down.")
            response["Retry-After"] = str(limit[1])
            response["Cache-Control"] = "no-store"
            return response
        with translation.override("de"):
            try:
                response = view(request, *args, **kwargs)
            except BadParameter as exc:
                response = _error(400, str(exc))
        response["Cache-Control"] = (
            "private, max-age=30" if request.COOKIES else PUBLIC_CACHE_CONTROL
        )
        response["Access-Control-Allow-Origin"] = "*"
        response.public_api = True
        return response

    return wrapped


# Parameters ---------------------------------------------------------------------------------


def _positive_int(request, name: str, default: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadParameter(f"{name} must be a whole number from 1.")
    return int(raw)


def _flag(request, name: str) -> bool:
    raw = request.GET.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadParameter(f"{name} must be true or false.")


def _uuid(request, name: str) -> uuid.UUID | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a UUID.") from None


def _modified_after(request) -> datetime | None:
    raw = request.GET.get("modified_after", "").strip()
    if not raw:
        return None
    raw = raw.replace(" ", "+")  # an offset's "+" sent unencoded arrives as a space
    try:
        moment = parse_datetime(raw)
        if moment is None:
            day = parse_date(raw)
            moment = datetime.combine(day, time.min) if day is not None else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter("modified_after must be an ISO 8601 date-time, e.g. 2027-01-31T12:00Z.")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=TZ)
    return moment


def _postcode(request) -> str:
    raw = request.GET.get("postcode", "").strip()
    if raw and not re.fullmatch(r"[0-9]{5}", raw):
        raise BadParameter("postcode must be a German postcode of five digits.")
    return raw


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _paginated(request, total: int, fetch) -> dict:
    """The HSDS page object; ``fetch(start, stop)`` gives the entries of the page."""
    page = _positive_int(request, "page", 1)
    per_page = min(_positive_int(request, "per_page", PER_PAGE), MAX_PER_PAGE)
    start = (page - 1) * per_page
    contents = fetch(start, start + per_page) if start < total else []
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


def _two_part_fetch(first: list, rest, render_first, render_rest):
    """Entries ``first`` (a list), then the queryset ``rest``, sliced across both."""

    def fetch(start: int, stop: int) -> list:
        head = [render_first(item) for item in first[start:stop]]
        rest_start, rest_stop = max(0, start - len(first)), max(0, stop - len(first))
        tail = [render_rest(item) for item in rest[rest_start:rest_stop]] if rest_stop else []
        return head + tail

    return fetch


# Endpoints ----------------------------------------------------------------------------------


@open_data_api
def root(request):
    base = _base(request)
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": PROFILE,
            "openapi_url": base + reverse("hsds-openapi"),
            "description": "Anlaufstellen und Angebote des Netzwerks lokal willkommen "
            "(Open Referral HSDS 3.0, Datenlizenz Deutschland – Namensnennung 2.0).",
            "publisher": {
                "name": settings.LW_OPEN_DATA_PUBLISHER,
                "email": settings.LW_CONTACT_EMAIL,
                "website": base + reverse("home"),
            },
        }
    )


@open_data_api
def services(request):
    search = request.GET.get("search", "").strip()
    taxonomy_id, term_id = _uuid(request, "taxonomy_id"), _uuid(request, "taxonomy_term_id")
    organisation_id = _uuid(request, "organization_id")
    modified_after, postcode = _modified_after(request), _postcode(request)
    full = _flag(request, "full")
    taxonomy = None
    if taxonomy_id or term_id:
        taxonomy = hsds.taxonomy_filter(
            taxonomy_id=str(taxonomy_id or ""), term_id=str(term_id or "")
        )
    city = str(organisation_id) == hsds.city_organization_id()
    offices = []
    if not (taxonomy_id or term_id) and (organisation_id is None or city):
        # The drop-in hours carry no topic or target group: any taxonomy filter leaves them out.
        offices = selectors.open_data_offices(
            search=search, postcode=postcode, modified_after=modified_after
        )
    if ((taxonomy_id or term_id) and taxonomy is None) or city:
        offers = Offer.objects.none()
    else:
        offers = selectors.open_data_offers(
            search=search,
            taxonomy=taxonomy,
            organisation_uuid=organisation_id,
            modified_after=modified_after,
            postcode=postcode,
        )
    base, today = _base(request), local(timezone.now()).date()
    fetch = _two_part_fetch(
        offices,
        offers,
        lambda office: hsds.office_service_dict(office, base, today, full=full),
        lambda offer: hsds.offer_service_dict(offer, base, full=full),
    )
    return _json(_paginated(request, len(offices) + offers.count(), fetch))


@open_data_api
def service(request, id):
    try:
        key = uuid.UUID(id)
    except ValueError:
        return _error(404, "No published service has this id.")
    base, today = _base(request), local(timezone.now()).date()
    offer = selectors.open_data_offers().filter(uuid=key).first()
    if offer is not None:
        return _json(hsds.offer_service_dict(offer, base, full=True))
    for office in selectors.open_data_offices():
        if hsds.drop_in_service_id(office) == str(key):
            return _json(hsds.office_service_dict(office, base, today, full=True))
    return _error(404, "No published service has this id.")


@open_data_api
def organizations(request):
    search = request.GET.get("search", "").strip()
    modified_after, full = _modified_after(request), _flag(request, "full")
    base = _base(request)
    city = hsds.city_organization_dict(base)
    show_city = (
        not search
        or search.casefold() in city["name"].casefold()
        or search.casefold() in city["description"].casefold()
    ) and (
        modified_after is None or bool(selectors.open_data_offices(modified_after=modified_after))
    )
    organisations = selectors.open_data_organisations(search=search, modified_after=modified_after)
    fetch = _two_part_fetch(
        [city] if show_city else [],
        organisations,
        lambda data: data,
        lambda organisation: hsds.organization_dict(organisation, full=full),
    )
    return _json(_paginated(request, int(show_city) + organisations.count(), fetch))


@open_data_api
def locations(request):
    search = request.GET.get("search", "").strip()
    modified_after, postcode = _modified_after(request), _postcode(request)
    base, today = _base(request), local(timezone.now()).date()
    offices = selectors.open_data_offices(
        search=search, postcode=postcode, modified_after=modified_after
    )
    places = hsds.places(
        selectors.open_data_offer_places(
            search=search, postcode=postcode, modified_after=modified_after
        )
    )
    fetch = _two_part_fetch(
        offices,
        places,
        lambda office: hsds.office_location_dict(office, base, today),
        hsds.place_location_dict,
    )
    return _json(_paginated(request, len(offices) + len(places), fetch))


@open_data_api
def taxonomies(request):
    search = request.GET.get("search", "").strip().casefold()
    found = [
        hsds.taxonomy_dict(taxonomy)
        for taxonomy in hsds.TAXONOMIES
        if not search
        or search in taxonomy.name.casefold()
        or search in taxonomy.description.casefold()
    ]
    return _json(_paginated(request, len(found), lambda start, stop: found[start:stop]))


@open_data_api
def openapi(request):
    return _json(openapi_document(_base(request) + reverse("hsds-root").rstrip("/")))


@open_data_api
def dcat_catalogue(request):
    offices = list(Office.objects.order_by("name"))
    changes = [
        Office.objects.aggregate(latest=Max("updated"))["latest"],
        Organisation.objects.filter(status=Organisation.Status.PUBLISHED).aggregate(
            latest=Max("updated")
        )["latest"],
        selectors.current_offers().aggregate(latest=Max("updated"))["latest"],
    ]
    modified = max((moment for moment in changes if moment is not None), default=None)
    document = dcat.catalogue(_base(request), offices, modified)
    return _json(document, content_type="application/ld+json")
