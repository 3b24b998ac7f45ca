"""Reads of the network app used by several pages."""

import json
from datetime import date, timedelta
from functools import lru_cache

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language

from lokalwillkommen import reference
from lokalwillkommen.addresses import address_maker
from lokalwillkommen.categories import Need
from lokalwillkommen.content import CONTENT_LANGUAGES, columns, pick, shown_text
from lokalwillkommen.models import Language
from lokalwillkommen.prepared import (
    Param,
    ParamList,
    Prepared,
    PreparedIds,
    PreparedList,
    counted,
)
from lokalwillkommen.templatetags.portal import text_attributes
from offices.selectors import offices_with_hours

from . import search
from .models import Offer, Organisation, TargetGroup, VolunteerRegistration
from .offer_times import cost_text, digest_texts
from .offer_times import words as time_words

STALE_AFTER = timedelta(days=182)


def _search(qs: QuerySet, q: str) -> QuerySet:
    return search.matching(qs, q)


def current_offers(*, today: date | None = None) -> QuerySet:
    """Published offers of published organisations, valid today or within 60 days."""
    return _current_offers(today or timezone.localdate()).all()


@lru_cache(maxsize=4)
def _current_offers(today: date) -> QuerySet:
    # Built once a day and cloned (``.all()``) for every use: building the filters costs
    # more than running the query. The queryset itself is never evaluated.
    return _current(today, today + timedelta(days=60))


def _current(today, horizon) -> QuerySet:
    """Published offers of published organisations, valid on ``today`` or starting by
    ``horizon`` (dates, or parameters of a prepared read)."""
    return Offer.objects.filter(
        status=Offer.Status.PUBLISHED,
        organisation__status=Organisation.Status.PUBLISHED,
    ).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        Q(valid_from__isnull=True) | Q(valid_from__lte=horizon),
    )


def _languages_prefetch() -> Prefetch:
    return Prefetch("languages", queryset=Language.objects.order_by("name"))


def _directory_read(organisation, kind, category, district, spoken, target_group, searched):
    """Current offers (as ``current_offers``) with the directory's filters as parameters."""
    day = models.DateField()
    key = models.BigIntegerField()
    qs = _current(Param("today", day), Param("horizon", day))
    if organisation:
        qs = qs.filter(organisation_id=Param("organisation", key))
    if kind:
        qs = qs.filter(organisation__kind=Param("kind", models.CharField()))
    if category:
        qs = qs.filter(category=Param("category", models.CharField()))
    if district:
        qs = qs.filter(district_id=Param("district", key))
    if spoken:
        qs = qs.filter(
            Exists(
                Offer.languages.through.objects.filter(
                    offer=OuterRef("pk"), language_id=Param("language", key)
                )
            )
        )
    if target_group:
        qs = qs.filter(
            Exists(
                Offer.target_groups.through.objects.filter(
                    offer=OuterRef("pk"), targetgroup_id__in=ParamList("target_groups", key)
                )
            )
        )
    # Plain rows: modeltranslation's rewriting (and its per-row fallback) is not wanted here,
    # the columns of every language are selected and picked per card.
    return search.matching_read(qs, searched).rewrite(False)


# The directory's rows in the order the page's language shows them, and their number; the
# shape is the language and which filters are set (lokalwillkommen/prepared.py).
_DIRECTORY_ROWS = Prepared(
    lambda language, *filters: _directory_read(*filters)
    .order_by(_display_order("title", language), "id")
    .values_list(*OFFER_CARD_FIELDS)
)
_DIRECTORY_COUNT = Prepared(lambda *filters: counted(_directory_read(*filters)))
# With a search: the ids of the matches in order, then a page's rows by id.
_DIRECTORY_IDS = Prepared(
    lambda language, *filters: _directory_read(*filters)
    .order_by(_display_order("title", language), "id")
    .values_list("id", flat=True)
)
_OFFER_CARDS_BY_ID = Prepared(
    lambda: Offer.objects.rewrite(False)
    .filter(id__in=ParamList("ids", models.BigIntegerField()))
    .values_list(*OFFER_CARD_FIELDS)
)


def directory_offers(
    *,
    q: str = "",
    kind: str = "",
    category: str = "",
    district: str = "",
    language: str = "",
    target_group: str = "",
    organisation_id: int | None = None,
    today: date | None = None,
) -> PreparedList | PreparedIds:
    """Current offers for the directory, filtered by the keys in its address (district slug,
    language code …), as the rows ``offer_cards`` needs: a list for the paginator, one
    query for its length and one for a page."""
    today = today or timezone.localdate()
    searched, values = search.terms(q)
    values.update(today=today, horizon=today + timedelta(days=60))
    if organisation_id is not None:
        values["organisation"] = organisation_id
    if kind:
        values["kind"] = kind
    if category:
        values["category"] = category
    if district:
        values["district"] = _id("districts", district)
    if language:
        values["language"] = _id("languages", language)
    if target_group:
        values["target_groups"] = [_id("target_groups", c) for c in (target_group, "everyone")]
    filters = (
        organisation_id is not None,
        bool(kind),
        bool(category),
        bool(district),
        bool(language),
        bool(target_group),
        searched,
    )
    order = (get_language() or "de",)
    if searched:
        return PreparedIds(_DIRECTORY_IDS, _OFFER_CARDS_BY_ID, filters, values, order=order)
    return PreparedList(_DIRECTORY_ROWS, _DIRECTORY_COUNT, filters, values, order=order)


OFFER_CARD_FIELDS = (
    "id",
    "slug",
    "text_language",
    "category",
    "cost",
    "cost_amount",
    "district_id",
    "organisation__name",
    "organisation__text_language",
    "times_digest",
    *columns("title"),
    *columns("time_note"),
    *columns("cost_note"),
)
_N = len(CONTENT_LANGUAGES)


def display_order(field: str):
    """Order by the text a page in the active language shows (its own, else the fallback)."""
    return _display_order(field, get_language() or "de")


@lru_cache(maxsize=64)
def _display_order(field: str, language: str):
    # Kept per language: building the expression (and its identity) costs more than the rest
    # of the query's ordering. The same expression is indexed (network.models.Offer).
    return shown_text(field, language)


def _id(kind: str, key: str) -> int:
    """The id of a reference row by its key (-1, matching nothing, for an unknown key)."""
    row = reference.by_key(kind).get(key)
    return row.id if row is not None else -1


_OWNERS = ParamList("owners", models.BigIntegerField())
# Which languages and target groups belong to the cards of a page (lokalwillkommen/prepared.py).
_PAIRS = {
    through: Prepared(
        lambda through=through, owner=owner, target=target: through.objects.filter(
            **{f"{owner}__in": _OWNERS}
        ).values_list(owner, target)
    )
    for through, owner, target in (
        (Offer.languages.through, "offer_id", "language_id"),
        (Offer.target_groups.through, "offer_id", "targetgroup_id"),
        (Organisation.languages.through, "organisation_id", "language_id"),
    )
}


def _ids_by_owner(through, owner_ids) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for owner_id, target_id in _PAIRS[through].rows(owners=owner_ids):
        found.setdefault(owner_id, []).append(target_id)
    return found


def _names(ids, labels: dict[int, str]) -> str:
    return ", ".join(sorted((labels[i] for i in ids if i in labels), key=str.casefold))


def offer_cards(rows) -> list[dict]:
    """What an offer card shows, from the rows of ``directory_offers``: plain strings, the
    languages and target groups of all cards in one query each."""
    rows = list(rows)
    ids = [row[0] for row in rows]
    language_ids = _ids_by_owner(Offer.languages.through, ids)
    group_ids = _ids_by_owner(Offer.target_groups.through, ids)
    page_language = get_language()
    language_names = reference.labels("languages")
    group_names = reference.labels("target_groups")
    group_order = {row.id: n for n, row in enumerate(reference.rows("target_groups"))}
    districts = reference.by_id("districts")
    categories = _category_labels(page_language)
    url = address_maker("network-offer")
    cards = []
    for row in rows:
        (pk, slug, text_language, category, cost, amount, district_id, org, org_lang) = row[:9]
        times = row[9]
        texts = row[10:]
        title = pick(texts[:_N], page_language, text_language)
        district = districts.get(district_id)
        cards.append(
            {
                "url": url(slug),
                "title": title.text,
                "lang": title.attrs,
                "organisation": org,
                "organisation_lang": text_attributes(org_lang, page_language),
                "district": district.name if district else "",
                "category": categories.get(category, category),
                "target_groups": [
                    group_names[i]
                    for i in sorted(group_ids.get(pk, ()), key=lambda i: group_order.get(i, i))
                ],
                # Written here, not in the template: a few dozen template nodes per card less.
                "when_and_cost": _when_and_cost_html(
                    page_language,
                    times,
                    pick(texts[_N : 2 * _N], page_language, text_language),
                    cost,
                    amount,
                    pick(texts[2 * _N :], page_language, text_language),
                ),
                "languages": _names(language_ids.get(pk, ()), language_names),
            }
        )
    return cards


_WHEN = '<p class="mb-1 offer-when"><span class="visually-hidden">{} </span>{}{}</p>'
_COST = '<p class="mb-1 offer-cost"><span class="visually-hidden">{} </span>{}{}</p>'


@lru_cache(maxsize=2048)
def _when_and_cost_html(language: str, digest: str, note, cost_kind: str, amount, cost_note):
    """A card's lines "When: …" (times in words; the note marked with its language) and
    "Cost: …", each with its label for screen readers. Kept per language and values: many
    offers share their times and costs ("free of charge", "Tuesday · 15:00–17:00")."""
    words = time_words()
    times = digest_texts(json.loads(digest), words) if digest and digest != "[]" else ()
    cost = cost_text(cost_kind, amount, words)
    when = times or note
    note_html = (format_html("; {}", note.span) if times else note.span) if note else ""
    cost_note_html = format_html(" ({})", cost_note.span) if cost and cost_note else ""
    if when and cost:
        return format_html(
            _WHEN + _COST,
            words["when_label"],
            "; ".join(times),
            note_html,
            words["cost_label"],
            cost,
            cost_note_html,
        )
    if when:
        return format_html(_WHEN, words["when_label"], "; ".join(times), note_html)
    if cost:
        return format_html(_COST, words["cost_label"], cost, cost_note_html)
    return ""


@lru_cache(maxsize=32)
def _category_labels(language: str) -> dict[str, str]:
    return {value: str(label) for value, label in Need.choices}


@lru_cache(maxsize=32)
def _kind_labels(language: str) -> dict[str, str]:
    return {value: str(label) for value, label in Organisation.Kind.choices}


ORGANISATION_CARD_FIELDS = ("id", "slug", "name", "text_language", "kind", "district_id", "address")


def directory_organisations(
    *, q: str = "", kind: str = "", district: str = "", language: str = ""
) -> QuerySet:
    qs = Organisation.objects.filter(status=Organisation.Status.PUBLISHED)
    if kind:
        qs = qs.filter(kind=kind)
    if district:
        qs = qs.filter(district_id=_id("districts", district))
    if language:
        qs = qs.filter(
            Exists(
                Organisation.languages.through.objects.filter(
                    organisation=OuterRef("pk"), language_id=_id("languages", language)
                )
            )
        )
    qs = _search(qs, q)
    return qs.rewrite(False).order_by("name", "id").values_list(*ORGANISATION_CARD_FIELDS)


def organisation_cards(rows) -> list[dict]:
    rows = list(rows)
    ids = [row[0] for row in rows]
    language_ids = _ids_by_owner(Organisation.languages.through, ids)
    page_language = get_language()
    language_names = reference.labels("languages")
    districts = reference.by_id("districts")
    kinds = _kind_labels(page_language)
    url = address_maker("network-organisation")
    cards = []
    for pk, slug, name, text_language, kind, district_id, address in rows:
        district = districts.get(district_id)
        cards.append(
            {
                "url": url(slug),
                "name": name,
                "lang": text_attributes(text_language, page_language),
                "kind": kinds.get(kind, kind),
                "district": district.name if district else "",
                "address": address,
                "languages": _names(language_ids.get(pk, ()), language_names),
            }
        )
    return cards


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
        .prefetch_related(_languages_prefetch(), "target_groups", "times")
        .first()
    )


def moderation_queue() -> tuple[QuerySet, QuerySet]:
    offers = (
        Offer.objects.filter(status=Offer.Status.SUBMITTED)
        .select_related("organisation", "district")
        .prefetch_related(_languages_prefetch(), "target_groups", "times")
        .order_by("created", "id")
    )
    organisations = (
        Organisation.objects.filter(status=Organisation.Status.SUBMITTED)
        .select_related("district")
        .prefetch_related(_languages_prefetch())
        .order_by("created", "id")
    )
    return organisations, offers


def pending_changes() -> QuerySet:
    """Changes to published offers that wait for moderation, oldest first."""
    from .models import OfferRevision

    return (
        OfferRevision.objects.filter(status=OfferRevision.Status.PENDING)
        .select_related("offer", "offer__organisation", "offer__district")
        .order_by("created", "id")
    )


def volunteers(
    *, status: str = "", district: str = "", language: str = "", skill: str = ""
) -> QuerySet:
    qs = VolunteerRegistration.objects.all()
    if status:
        qs = qs.filter(status=status)
    if district:
        qs = qs.filter(district_id=_id("districts", district))
    if language:
        qs = qs.filter(
            Exists(
                VolunteerRegistration.languages.through.objects.filter(
                    volunteerregistration=OuterRef("pk"),
                    language_id=_id("languages", language),
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
    qs = _search(qs, search)
    return (
        qs.select_related("organisation", "district")
        .prefetch_related("languages", "target_groups", "times")
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
    qs = _search(qs, search)
    return qs.order_by("name", "id")


def open_data_offices(*, search: str = "", postcode: str = "", modified_after=None) -> list:
    """The drop-in offices with their hours (offices' own selector), filtered together."""
    qs = offices_with_hours()
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
