"""The gap analysis: where households' needs meet no offer, or no offer in their language.

For each district and need: the households with that need that are still open (not closed,
and no referral of that category taken up) against the published, current offers of the same
category in that district; and the languages those households speak against the languages
the offers are given in. Four aggregate queries, whatever the size of the city.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from lokalwillkommen.categories import Need
from lokalwillkommen.languages import language_label
from lokalwillkommen.models import District

from .models import Household, HouseholdNeed, Referral
from .reports import Period, current_offers_in
from .selectors import households_for


@dataclass
class Gap:
    district_id: int
    district_name: str
    district_slug: str
    need: str
    households: int
    offers: int
    unserved_in_language: int = 0
    household_languages: list[tuple[str, int]] = field(default_factory=list)
    offer_languages: list[str] = field(default_factory=list)
    no_offer_in_city: bool = False

    @property
    def need_label(self) -> str:
        return Need(self.need).label

    @property
    def missing_languages(self) -> list[tuple[str, int]]:
        """Languages of the households that none of the district's offers is given in."""
        offered = set(self.offer_languages)
        return [(name, n) for name, n in self.household_languages if name not in offered]

    @property
    def missing_language_names(self) -> str:
        return ", ".join(name for name, _n in self.missing_languages)

    @property
    def no_offer(self) -> bool:
        return self.offers == 0

    @property
    def is_gap(self) -> bool:
        return self.no_offer or bool(self.missing_languages)

    @property
    def size(self) -> int:
        """Households left without a matching offer: all of them where the district has no
        offer; else those who speak none of the languages the offers are given in."""
        if self.no_offer:
            return self.households
        return self.unserved_in_language


def _open_needs(user) -> QuerySet[HouseholdNeed]:
    """Needs of open households in the user's scope that no taken-up referral has met."""
    taken_up = Referral.objects.filter(
        household=OuterRef("household"),
        category=OuterRef("need"),
        status=Referral.Status.TAKEN_UP,
    )
    return (
        HouseholdNeed.objects.filter(household__in=households_for(user).values("id"))
        .exclude(household__status=Household.Status.CLOSED)
        .exclude(Exists(taken_up))
    )


def gap_households(user, *, district, need: str) -> QuerySet[Household]:
    """The households behind one figure of the gap analysis (read through the access scope)."""
    open_needs = _open_needs(user).filter(need=need, household__district=district)
    return (
        households_for(user)
        .filter(id__in=open_needs.values("household_id"))
        .select_related("district", "team", "responsible")
        .prefetch_related("needs")
        .order_by("-created_at", "-id")
    )


def gap_analysis(user, *, today: date | None = None) -> list[Gap]:
    """Every district × need with open households, the needs with no offer anywhere first,
    then by the size of the gap."""
    today = today or timezone.localdate()
    offers = current_offers_in(Period(today, today))
    open_needs = _open_needs(user)

    offer_languages = list(_offer_languages(offers))
    offered_keys = [f"{d}:{c}:{lang}" for d, c, lang, _name in offer_languages]
    households = (
        open_needs.values("household__district_id", "need")
        .annotate(
            n=Count("household_id", distinct=True),
            speaking=Count(
                "household_id", distinct=True, filter=Q(household__languages__isnull=False)
            ),
        )
        .order_by()
    )
    served = _served_in_their_language(open_needs, offered_keys)
    household_languages = (
        open_needs.filter(household__languages__isnull=False)
        .values("household__district_id", "need", "household__languages__code")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
    )
    offer_counts = offers.values("district_id", "category").annotate(n=Count("id")).order_by()

    offers_by_cell = {(r["district_id"], r["category"]): r["n"] for r in offer_counts}
    needs_with_offers = {category for (_district, category) in offers_by_cell}
    hh_languages = defaultdict(list)
    for r in household_languages:
        hh_languages[(r["household__district_id"], r["need"])].append(
            (language_label(r["household__languages__code"]), r["n"])
        )
    off_languages = defaultdict(set)
    for district_id, category, _language, code in offer_languages:
        off_languages[(district_id, category)].add(language_label(code))

    rows = list(households)
    districts = (
        {
            d.id: d
            for d in District.objects.filter(id__in={r["household__district_id"] for r in rows})
        }
        if rows
        else {}
    )
    gaps = []
    for r in rows:
        key = (r["household__district_id"], r["need"])
        district = districts[key[0]]
        gaps.append(
            Gap(
                district_id=district.id,
                district_name=district.name,
                district_slug=district.slug,
                need=r["need"],
                households=r["n"],
                unserved_in_language=r["speaking"] - served.get(key, 0),
                offers=offers_by_cell.get(key, 0),
                household_languages=sorted(hh_languages[key], key=lambda x: (-x[1], x[0])),
                offer_languages=sorted(off_languages[key]),
                no_offer_in_city=r["need"] not in needs_with_offers,
            )
        )
    gaps.sort(
        key=lambda g: (
            not g.no_offer_in_city,
            not g.is_gap,
            -g.size,
            -g.households,
            g.district_name,
            g.need,
        )
    )
    return gaps


def needs_without_offer(gaps: list[Gap]) -> list[str]:
    """The needs of open households that no offer anywhere in the city matches."""
    return sorted({g.need for g in gaps if g.no_offer_in_city})


def _served_in_their_language(open_needs: QuerySet, offered_keys: list[str]) -> dict:
    """Per (district, need): households speaking at least one language that an offer of that
    need in that district is given in. One join, matched on "district:need:language"."""
    if not offered_keys:
        return {}
    cell_language = Concat(
        Cast("household__district_id", CharField()),
        Value(":"),
        "need",
        Value(":"),
        Cast("household__languages__id", CharField()),
        output_field=CharField(),
    )
    rows = (
        open_needs.annotate(cell_language=cell_language)
        .filter(cell_language__in=offered_keys)
        .values("household__district_id", "need")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
    )
    return {(r["household__district_id"], r["need"]): r["n"] for r in rows}


def _offer_language_rows(offers: QuerySet) -> QuerySet:
    from network.models import Offer

    return Offer.languages.through.objects.filter(offer__in=offers.values("id"))


def _offer_languages(offers: QuerySet):
    """(district id, category, language id, language code) of the offers, once each."""
    return (
        _offer_language_rows(offers)
        .values_list("offer__district_id", "offer__category", "language_id", "language__code")
        .distinct()
        .order_by()
    )
