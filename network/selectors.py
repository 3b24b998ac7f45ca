"""Reads of the network app used by several pages."""

from datetime import date, timedelta

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from lokalwillkommen.models import Language
from offices.selectors import public_offices

from .models import Offer, Organisation, TargetGroup, VolunteerRegistration

STALE_AFTER = timedelta(days=182)


def _search(qs: QuerySet, q: str, fields: list[str]) -> QuerySet:
    q = (q or "").strip()
    if not q:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config="german")
        query = SearchQuery(q, config="german", search_type="websearch")
        # Full text with German stemming, plus a plain substring match for names and parts.
        plain = Q()
        for field in fields:
            plain |= Q(**{f"{field}__icontains": q})
        return qs.annotate(search=vector).filter(Q(search=query) | plain)
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return qs.filter(condition)


def current_offers(*, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return Offer.objects.filter(
        status=Offer.Status.PUBLISHED,
        organisation__status=Organisation.Status.PUBLISHED,
    ).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        Q(valid_from__isnull=True) | Q(valid_from__lte=today + timedelta(days=60)),
    )


def _languages_prefetch() -> Prefetch:
    return Prefetch("languages", queryset=Language.objects.order_by("name"))


def directory_offers(
    *,
    q: str = "",
    kind: str = "",
    category: str = "",
    district=None,
    language=None,
    target_group: str = "",
    today: date | None = None,
) -> QuerySet:
    qs = current_offers(today=today)
    if kind:
        qs = qs.filter(organisation__kind=kind)
    if category:
        qs = qs.filter(category=category)
    if district is not None:
        qs = qs.filter(district=district)
    if language is not None:
        qs = qs.filter(
            Exists(Offer.languages.through.objects.filter(offer=OuterRef("pk"), language=language))
        )
    if target_group:
        qs = qs.filter(
            Exists(
                Offer.target_groups.through.objects.filter(
                    offer=OuterRef("pk"), targetgroup__code__in=[target_group, "everyone"]
                )
            )
        )
    qs = _search(qs, q, ["title", "description", "organisation__name", "place"])
    return (
        qs.select_related("organisation", "district")
        .prefetch_related(_languages_prefetch(), "target_groups")
        .order_by("title", "id")
    )


def directory_organisations(
    *, q: str = "", kind: str = "", district=None, language=None
) -> QuerySet:
    qs = Organisation.objects.filter(status=Organisation.Status.PUBLISHED)
    if kind:
        qs = qs.filter(kind=kind)
    if district is not None:
        qs = qs.filter(district=district)
    if language is not None:
        qs = qs.filter(
            Exists(
                Organisation.languages.through.objects.filter(
                    organisation=OuterRef("pk"), language=language
                )
            )
        )
    qs = _search(qs, q, ["name", "description", "address"])
    return (
        qs.select_related("district").prefetch_related(_languages_prefetch()).order_by("name", "id")
    )


def published_organisation(slug: str) -> Organisation | None:
    return (
        Organisation.objects.filter(status=Organisation.Status.PUBLISHED, slug=slug)
        .select_related("district")
        .prefetch_related(_languages_prefetch())
        .first()
    )


def published_offer(slug: str) -> Offer | None:
    return (
        current_offers()
        .filter(slug=slug)
        .select_related("organisation", "district")
        .prefetch_related(_languages_prefetch(), "target_groups")
        .first()
    )


def moderation_queue() -> tuple[QuerySet, QuerySet]:
    offers = (
        Offer.objects.filter(status=Offer.Status.SUBMITTED)
        .select_related("organisation", "district")
        .prefetch_related(_languages_prefetch(), "target_groups")
        .order_by("created", "id")
    )
    organisations = (
        Organisation.objects.filter(status=Organisation.Status.SUBMITTED)
        .select_related("district")
        .prefetch_related(_languages_prefetch())
        .order_by("created", "id")
    )
    return organisations, offers


def volunteers(*, status: str = "", district=None, language=None, skill: str = "") -> QuerySet:
    qs = VolunteerRegistration.objects.all()
    if status:
        qs = qs.filter(status=status)
    if district is not None:
        qs = qs.filter(district=district)
    if language is not None:
        qs = qs.filter(
            Exists(
                VolunteerRegistration.languages.through.objects.filter(
                    volunteerregistration=OuterRef("pk"), language=language
                )
            )
        )
    if skill:
        qs = qs.filter(
            Exists(
                VolunteerRegistration.skills.through.objects.filter(
                    volunteerregistration=OuterRef("pk"), skill__code=skill
                )
            )
        )
    return qs.select_related("district").prefetch_related(_languages_prefetch(), "skills")


def stale_organisations(*, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return (
        Organisation.objects.filter(status=Organisation.Status.PUBLISHED)
        .filter(Q(last_contact__isnull=True) | Q(last_contact__lt=today - STALE_AFTER))
        .select_related("district")
        .order_by("last_contact", "name")
    )


def target_groups() -> QuerySet:
    return TargetGroup.objects.all()


# Open data (the HSDS API) ------------------------------------------------------------------

# A place that names an address: "…, 44329 Dortmund".
# (Python's re on SQLite and PostgreSQL's regular expressions read these alike.)
PLACE_WITH_ADDRESS = r"[0-9]{5}\s+[^\s,0-9]"


def _place_in_postcode(postcode: str) -> str:
    return rf"(^|[^0-9]){postcode}\s+[^\s,0-9]"


def open_data_offers(
    *,
    search: str = "",
    taxonomy: tuple[str, str] | None = None,
    organisation_uuid=None,
    modified_after=None,
    postcode: str = "",
    today: date | None = None,
) -> QuerySet:
    """Published, current offers of published organisations, filtered (all filters apply
    together). ``taxonomy`` is ("category" or "target_group", a code or "")."""
    qs = current_offers(today=today)
    if taxonomy is not None:
        key, code = taxonomy
        if key == "category" and code:
            qs = qs.filter(category=code)
        elif key == "target_group":
            groups = Offer.target_groups.through.objects.filter(offer=OuterRef("pk"))
            if code:
                groups = groups.filter(targetgroup__code=code)
            qs = qs.filter(Exists(groups))
    if organisation_uuid is not None:
        qs = qs.filter(organisation__uuid=organisation_uuid)
    if modified_after is not None:
        qs = qs.filter(
            Q(updated__gte=modified_after) | Q(organisation__updated__gte=modified_after)
        )
    if postcode:
        qs = qs.filter(place__regex=_place_in_postcode(postcode))
    qs = _search(qs, search, ["title", "description", "organisation__name", "place"])
    return (
        qs.select_related("organisation", "district")
        .prefetch_related("languages", "target_groups")
        .order_by("title", "id")
    )


def open_data_offer_places(
    *, search: str = "", postcode: str = "", modified_after=None, today: date | None = None
) -> QuerySet:
    """Current offers whose place names an address, with only what a location needs."""
    qs = current_offers(today=today).filter(
        place__regex=_place_in_postcode(postcode) if postcode else PLACE_WITH_ADDRESS
    )
    if modified_after is not None:
        qs = qs.filter(updated__gte=modified_after)
    if search:
        qs = qs.filter(place__icontains=search.strip())
    return qs.only("pk", "place", "updated").order_by("pk")


def open_data_organisations(*, search: str = "", modified_after=None) -> QuerySet:
    qs = Organisation.objects.filter(status=Organisation.Status.PUBLISHED)
    if modified_after is not None:
        qs = qs.filter(updated__gte=modified_after)
    qs = _search(qs, search, ["name", "description", "address"])
    return qs.order_by("name", "id")


def open_data_offices(*, search: str = "", postcode: str = "", modified_after=None) -> list:
    """The drop-in offices with their hours (offices' own selector), filtered together."""
    qs = public_offices()
    if postcode:
        qs = qs.filter(postcode=postcode)
    if modified_after is not None:
        qs = qs.filter(updated__gte=modified_after)
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(description__icontains=search)
            | Q(street__icontains=search)
            | Q(postcode=search)
            | Q(district__name__icontains=search)
        )
    return list(qs)
