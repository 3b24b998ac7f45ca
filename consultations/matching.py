"""Matching a household's needs to the network: offers and organisations to refer to, and
volunteers who could help — each ranked, and each with the reasons it was ranked so.

Offers: current published offers of the household's need categories, ranked by

1. given in a language the household speaks (2 points),
2. in the household's district (2 points) or a neighbouring one (1 point).

Volunteers: only active volunteers who gave their consent, with a skill that fits the need
(or that speak the language asked for), ranked by a shared language (2), the district (2) or
a neighbouring one (1), and a stated availability (1).

Each ranking is one query with the score computed by the database (``Case``/``Exists``),
ordered and cut there, plus one query for the languages behind the reasons: the cost does not
grow with the size of the network. District names and neighbours come from the reference
rows held per process (``lokalwillkommen.reference``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalwillkommen import reference
from lokalwillkommen.categories import Need
from lokalwillkommen.content import columns, pick

SUGGESTIONS = 12


@dataclass
class Match:
    """One ranked candidate: an offer (with its organisation), an organisation or a
    volunteer, and why it was ranked where it is."""

    pk: int
    name: str
    score: int
    reasons: list[str] = field(default_factory=list)
    detail: str = ""  # the organisation of an offer; a volunteer's availability
    organisation_id: int | None = None
    category: str = ""
    email: str = ""
    phone: str = ""
    warnings: list[str] = field(default_factory=list)


def _place_score(district_id: int | None, field_name: str = "district_id") -> Case | Value:
    """2 for the district itself, 1 for a neighbouring district, else 0."""
    if district_id is None:
        return Value(0, output_field=IntegerField())
    neighbours = reference.neighbours().get(district_id, frozenset())
    whens = [When(**{field_name: district_id}, then=Value(2))]
    if neighbours:
        whens.append(When(**{f"{field_name}__in": sorted(neighbours)}, then=Value(1)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _speaks_score(through, owner: str, language_ids) -> Case | Value:
    """2 when the owner row has at least one of ``language_ids``, else 0."""
    if not language_ids:
        return Value(0, output_field=IntegerField())
    shared = through.objects.filter(
        **{owner: OuterRef("pk")}, language_id__in=sorted(language_ids)
    )
    return Case(When(Exists(shared), then=Value(2)), default=Value(0),
                output_field=IntegerField())


def _shared_languages(through, owner: str, owner_ids, language_ids) -> dict[int, list[str]]:
    """The names of ``language_ids`` that each owner has, one query."""
    if not owner_ids or not language_ids:
        return {}
    names = reference.labels("languages")
    found: dict[int, list[str]] = {}
    rows = through.objects.filter(
        **{f"{owner}__in": owner_ids}, language_id__in=sorted(language_ids)
    ).values_list(owner, "language_id")
    for owner_id, language_id in rows:
        found.setdefault(owner_id, []).append(names.get(language_id, ""))
    return {key: sorted(value, key=str.casefold) for key, value in found.items()}


def _place_reason(district_id: int | None, place: int) -> str:
    districts = reference.by_id("districts")
    name = districts[district_id].name if district_id in districts else ""
    if place == 2:
        return _("in %(district)s") % {"district": name}
    if place == 1:
        return _("in the neighbouring district %(district)s") % {"district": name}
    return ""


# Offers and organisations ------------------------------------------------------------------


def offer_suggestions(
    *,
    needs,
    language_ids,
    district_id: int | None,
    limit: int = SUGGESTIONS,
    today: date | None = None,
) -> list[Match]:
    """Current published offers of the categories ``needs``, best first."""
    from network.models import Offer
    from network.selectors import current_offers, display_order

    needs = [need for need in needs if need in Need.values]
    if not needs:
        return []
    language_ids = set(language_ids)
    rows = (
        current_offers(today=today)
        .filter(category__in=needs)
        .annotate(
            speaks=_speaks_score(Offer.languages.through, "offer", language_ids),
            nearby=_place_score(district_id),
        )
        .annotate(score=F("speaks") + F("nearby"))
        # The title as the page shows it: its own language's, else the fallback's (the
        # content columns read as plain values, not rewritten by modeltranslation).
        .rewrite(False)
        .order_by("-score", display_order("title"), "id")
        .values_list(
            "id", "organisation_id", "organisation__name", "category", "district_id",
            "speaks", "nearby", "text_language", *columns("title"),
        )[:limit]
    )
    page_language = get_language() or settings.LANGUAGE_CODE
    rows = [(row[0], pick(row[8:], page_language, row[7]), *row[1:7]) for row in rows]
    shared = _shared_languages(
        Offer.languages.through, "offer_id", [row[0] for row in rows], language_ids
    )
    labels = dict(Need.choices)
    matches = []
    for pk, title, organisation_id, organisation, category, district, speaks, place in rows:
        reasons = [_("need: %(need)s") % {"need": labels.get(category, category)}]
        warnings = []
        if speaks:
            reasons.append(_("in %(languages)s") % {"languages": ", ".join(shared.get(pk, []))})
        elif language_ids:
            warnings.append(_("not in a language the household speaks"))
        if place:
            reasons.append(_place_reason(district, place))
        else:
            warnings.append(_("not in the district or next to it"))
        matches.append(
            Match(
                pk=pk, name=str(title), score=speaks + place, reasons=reasons,
                detail=organisation,
                organisation_id=organisation_id, category=category, warnings=warnings,
            )
        )
    return matches


def organisation_choices(*, district_id: int | None, language_ids=()) -> list:
    """Published organisations as grouped choices for a select: in the district, in the
    neighbouring districts, elsewhere; within each group those speaking one of the
    household's languages first, then by name."""
    from network.models import Organisation

    language_ids = set(language_ids)
    rows = (
        Organisation.objects.filter(status=Organisation.Status.PUBLISHED)
        .annotate(
            speaks=_speaks_score(Organisation.languages.through, "organisation", language_ids),
            nearby=_place_score(district_id),
        )
        .order_by("-nearby", "-speaks", "name", "id")
        .values_list("id", "name", "nearby", "speaks")
    )
    districts = reference.by_id("districts")
    district = districts[district_id].name if district_id in districts else ""
    groups = {
        2: (_("In %(district)s") % {"district": district}, []),
        1: (_("In the neighbouring districts"), []),
        0: (_("Elsewhere in the city"), []),
    }
    for pk, name, place, speaks in rows:
        label = name + (" · " + _("speaks a language of the household") if speaks else "")
        groups[place][1].append((pk, label))
    return [("", "–")] + [(title, options) for title, options in groups.values() if options]


# Volunteers --------------------------------------------------------------------------------

# Which of the volunteers' skills help with which need.
NEED_SKILLS = {
    Need.HOUSING: ("accompanying", "interpreting"),
    Need.KITA: ("accompanying", "interpreting"),
    Need.SCHOOL: ("homework", "interpreting"),
    Need.LANGUAGE: ("homework", "other"),
    Need.WORK: ("accompanying", "interpreting"),
    Need.HEALTH: ("accompanying", "interpreting"),
    Need.AUTHORITIES: ("accompanying", "interpreting"),
    Need.LEISURE: ("sports", "leisure"),
    Need.OTHER: ("other",),
}
VOLUNTEER_MATCHES = 50


def volunteer_matches(
    *,
    skills=(),
    language_ids=(),
    district_id: int | None = None,
    availability: str = "",
    limit: int = VOLUNTEER_MATCHES,
) -> list[Match]:
    """Active volunteers who gave their consent, filtered by every criterion given: one of
    ``skills``, one of ``language_ids``, living in the district or a neighbouring one, and
    ``availability`` in their stated availability; ranked by district, then a stated
    availability, then name. Three queries."""
    from network.models import VolunteerRegistration

    Volunteer = VolunteerRegistration
    language_ids = set(language_ids)
    skill_rows = reference.by_key("skills")
    skill_ids = sorted(skill_rows[code].id for code in skills if code in skill_rows)
    volunteers = Volunteer.objects.filter(
        status=Volunteer.Status.ACTIVE, consent_at__isnull=False
    )
    if skills:
        volunteers = volunteers.filter(
            Exists(
                Volunteer.skills.through.objects.filter(
                    volunteerregistration=OuterRef("pk"), skill_id__in=skill_ids
                )
            )
        )
    if language_ids:
        volunteers = volunteers.filter(
            Exists(
                Volunteer.languages.through.objects.filter(
                    volunteerregistration=OuterRef("pk"), language_id__in=sorted(language_ids)
                )
            )
        )
    if district_id is not None:
        nearby = {district_id, *reference.neighbours().get(district_id, ())}
        volunteers = volunteers.filter(district_id__in=sorted(nearby))
    availability = availability.strip()
    if availability:
        volunteers = volunteers.filter(availability__icontains=availability)
    rows = list(
        volunteers.annotate(
            nearby=_place_score(district_id),
            available=Case(
                When(availability="", then=Value(0)), default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("-nearby", "-available", "name", "id")
        .values_list("id", "name", "email", "phone", "district_id", "availability", "nearby")[
            :limit
        ]
    )
    ids = [row[0] for row in rows]
    shared = _shared_languages(
        Volunteer.languages.through, "volunteerregistration_id", ids,
        language_ids or set(reference.by_id("languages")),
    )
    skill_names = reference.labels("skills")
    their_skills: dict[int, list[str]] = {}
    for volunteer_id, skill_id in Volunteer.skills.through.objects.filter(
        volunteerregistration_id__in=ids
    ).values_list("volunteerregistration_id", "skill_id"):
        if not skill_ids or skill_id in skill_ids:
            their_skills.setdefault(volunteer_id, []).append(skill_names.get(skill_id, ""))
    districts = reference.by_id("districts")
    matches = []
    for pk, name, email, phone, district, available, nearby in rows:
        reasons = []
        if shared.get(pk):
            reasons.append(_("speaks %(languages)s") % {"languages": ", ".join(shared[pk])})
        if nearby == 2:
            reasons.append(_("lives in %(district)s") % {"district": districts[district].name})
        elif nearby == 1:
            reasons.append(
                _("lives in the neighbouring district %(district)s")
                % {"district": districts[district].name}
            )
        if their_skills.get(pk):
            reasons.append(
                _("offers: %(skills)s") % {"skills": ", ".join(sorted(their_skills[pk]))}
            )
        matches.append(
            Match(
                pk=pk, name=name, score=nearby + (1 if available else 0), reasons=reasons,
                detail=available, email=email, phone=phone,
            )
        )
    return matches
