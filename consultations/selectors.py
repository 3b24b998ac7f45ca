"""The one place that decides which casework records a user may see.

Every view and every export reads households, visits, consultations and referrals through
these functions: staff see their own teams' records, coordinators and superusers see all,
everybody else sees nothing.
"""

from collections import Counter
from datetime import timedelta
from functools import lru_cache

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext

from lokalwillkommen import reference
from lokalwillkommen.addresses import address_maker
from lokalwillkommen.formatting import Formatters
from lokalwillkommen.prepared import Param, ParamList, Prepared, PreparedList, counted
from lokalwillkommen.roles import is_coordinator, is_staff_member, team_ids

from . import deadlines
from .models import (
    Consultation,
    HomeVisit,
    Household,
    HouseholdNeed,
    Referral,
)


def households_for(user) -> QuerySet[Household]:
    households = Household.objects.all()
    if is_coordinator(user):
        return households
    if is_staff_member(user):
        return households.filter(team_id__in=team_ids(user))
    return households.none()


def get_household_for(user, pk) -> Household:
    """The household ``pk`` if ``user`` may see it, else 404 (its existence is not revealed)."""
    try:
        return households_for(user).select_related(
            "district", "team", "responsible", "consent_recorded_by"
        ).get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visits_for(user) -> QuerySet[HomeVisit]:
    if is_coordinator(user):
        return HomeVisit.objects.all()  # not "of every household": a join for nothing
    return HomeVisit.objects.filter(household__in=households_for(user))


def get_visit_for(user, pk) -> HomeVisit:
    try:
        return visits_for(user).select_related("household").get(pk=pk)
    except (HomeVisit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def team_office_ids(user) -> list[int]:
    """The offices of the user's teams (from the reference rows, no query)."""
    teams = team_ids(user)
    return sorted(pk for pk, team in reference.office_team_ids().items() if team in teams)


def consultations_for(user) -> QuerySet[Consultation]:
    """Consultations at the offices of the user's teams, or with a household of them."""
    consultations = Consultation.objects.all()
    if is_coordinator(user):
        return consultations
    if is_staff_member(user):
        return consultations.filter(
            Q(office_id__in=team_office_ids(user)) | Q(household__team_id__in=team_ids(user))
        )
    return consultations.none()


def referrals_for(user) -> QuerySet[Referral]:
    """The same rule as ``consultations_for``: referrals of a household of the user's teams,
    or from a consultation at one of their offices (the referral carries both the household
    and the consultation's office, so no consultation is looked at)."""
    if is_coordinator(user):
        return Referral.objects.all()
    if not is_staff_member(user):
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(household__team_id__in=team_ids(user)) | Q(office_id__in=team_office_ids(user))
    )


def get_referral_for(user, pk) -> Referral:
    try:
        return (
            referrals_for(user)
            .select_related("household", "consultation", "organisation", "offer")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


HOUSEHOLD_ROW_FIELDS = (
    "id", "reference", "contact_name", "status", "district__name", "team__name", "team__slug",
    "moved_in_on",
)


def _households_read(scoped, q, status, district, team, need, first_visit):
    """The household list's filters as parameters (lokalwillkommen/prepared.py)."""
    text = models.CharField()
    key = models.BigIntegerField()
    households = Household.objects.all()
    if scoped:
        households = households.filter(team_id__in=ParamList("teams", key))
    if q:
        words = Param("q", text)
        households = households.filter(
            Q(reference__icontains=words)
            | Q(contact_name__icontains=words)
            | Q(street__icontains=words)
        )
    if status:
        households = households.filter(status=Param("status", text))
    if district:
        households = households.filter(district_id=Param("district", key))
    if team:
        households = households.filter(team_id=Param("team", key))
    if need:
        households = households.filter(
            Exists(
                HouseholdNeed.objects.filter(household=OuterRef("pk"), need=Param("need", text))
            )
        )
    if first_visit:
        day = models.DateField()
        households = households.filter(
            status__in=deadlines.NOT_VISITED, moved_in_on__lt=Param("overdue_before", day)
        ) if first_visit == deadlines.OVERDUE else households.filter(
            status__in=deadlines.NOT_VISITED,
            moved_in_on__gte=Param("overdue_before", day),
            moved_in_on__lte=Param("due_from", day),
        )
    return households


def _ordered_households(*shape):
    first_visit = shape[-1]
    order = ("moved_in_on", "id") if first_visit else ("-created_at", "-id")
    return _households_read(*shape).order_by(*order).values_list(*HOUSEHOLD_ROW_FIELDS)


_HOUSEHOLDS = Prepared(_ordered_households)
# counted on the filtered households alone: the names are joined only for a page's rows
_HOUSEHOLD_COUNT = Prepared(lambda *shape: counted(_households_read(*shape)))


def household_list(
    user,
    *,
    q: str = "",
    status: str = "",
    district: str = "",
    team: str = "",
    need: str = "",
    first_visit: str = "",
) -> PreparedList:
    """The household list with search and filters, for the paginator: rows of
    ``HOUSEHOLD_ROW_FIELDS`` (district and team names joined in), newest first; the needs of
    a page come from ``needs_by_household`` (one query). ``first_visit`` ("overdue" or "due")
    keeps the households whose first visit is overdue or due, the longest waiting first."""
    scoped, teams = _scope_values(user)
    values: dict = {"teams": teams}
    q = q.strip()
    if q:
        values["q"] = q
    if status:
        values["status"] = status
    if district:
        found = reference.by_key("districts").get(district)
        values["district"] = found.id if found else -1
    if team:
        found = reference.by_key("teams").get(team)
        values["team"] = found.id if found else -1
    if need:
        values["need"] = need
    if first_visit not in (deadlines.OVERDUE, deadlines.DUE):
        first_visit = ""
    if first_visit:
        limits = deadlines.cutoffs()
        values.update(overdue_before=limits.overdue_before, due_from=limits.due_from)
    shape = (scoped, bool(q), bool(status), bool(district), bool(team), bool(need), first_visit)
    return PreparedList(_HOUSEHOLDS, _HOUSEHOLD_COUNT, shape, values)


_NEEDS = Prepared(
    lambda: HouseholdNeed.objects.filter(
        household_id__in=ParamList("households", models.BigIntegerField())
    )
    .order_by("need")
    .values_list("household_id", "need")
)


def needs_by_household(household_ids) -> dict[int, list[str]]:
    """The need codes of these households (in the needs' own order), one query."""
    needs: dict[int, list[str]] = {}
    for household_id, need in _NEEDS.rows(households=list(household_ids)):
        needs.setdefault(household_id, []).append(need)
    return needs


def household_timeline(household: Household) -> list[dict]:
    """Visits, consultations and referrals of one household, newest first."""
    visits = household.visits.select_related("staff")
    consultations = household.consultations.select_related("office", "language", "staff")
    consultations = consultations.prefetch_related("topics")
    referrals = household.referrals.select_related("organisation", "offer", "visit")
    entries = [{"kind": "visit", "at": v.scheduled_at, "item": v} for v in visits]
    entries += [{"kind": "consultation", "at": c.held_at, "item": c} for c in consultations]
    entries += [{"kind": "referral", "at": r.created_at, "item": r} for r in referrals]
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def _in_scope(user, household_path: str = "household") -> Q | None:
    """The condition on a household relation for ``user``'s scope (None: everything), written
    as a join on the household's team rather than a subquery."""
    if is_coordinator(user):
        return None
    if is_staff_member(user):
        prefix = f"{household_path}__" if household_path else ""
        return Q(**{f"{prefix}team_id__in": team_ids(user)})
    return Q(pk__in=[])


DASHBOARD_ROWS = 8

# The dashboard's reads, compiled once per process (lokalwillkommen/prepared.py). Each is
# written for a coordinator (everything) or, with ``scoped``, for the households of the teams
# in ``teams`` (a staff member's; an empty list for anybody else: nothing).
_TEAMS = ParamList("teams", models.BigIntegerField())
_VISIT_FIELDS = (
    "id", "household_id", "household__reference", "scheduled_at", "kind", "staff_id",
    "staff__username", "household__status",
)


def _in_teams(queryset, scoped: bool, household_path: str = "household"):
    prefix = f"{household_path}__" if household_path else ""
    return queryset.filter(**{f"{prefix}team_id__in": _TEAMS}) if scoped else queryset


def _planned_visits(scoped: bool):
    planned = HomeVisit.objects.filter(status=HomeVisit.Status.PLANNED)
    return _in_teams(planned, scoped).order_by("scheduled_at", "id")


# The user's planned visits, and planned visits whose time has passed without anyone logging
# them as done or missed; both in index order.
_MY_VISITS = Prepared(
    lambda scoped: _planned_visits(scoped)
    .filter(staff_id=Param("user", models.BigIntegerField()))
    .values_list(*_VISIT_FIELDS)[: DASHBOARD_ROWS + 1]
)
_NOT_LOGGED = Prepared(
    lambda scoped: _planned_visits(scoped)
    .filter(scheduled_at__lt=Param("now", models.DateTimeField()))
    .exclude(household__status=Household.Status.CLOSED)
    .values_list(*_VISIT_FIELDS)[: DASHBOARD_ROWS + 1]
)
# The latest visit of each household the user is responsible for, if it asks for a follow-up
# within the week.
_FOLLOW_UPS = Prepared(
    lambda scoped: _in_teams(
        HomeVisit.objects.filter(
            next_follow_up_on__lte=Param("until", models.DateField()),
            household__responsible_id=Param("user", models.BigIntegerField()),
        ),
        scoped,
    )
    .exclude(household__status=Household.Status.CLOSED)
    .exclude(
        Exists(
            HomeVisit.objects.filter(
                household=OuterRef("household"), scheduled_at__gt=OuterRef("scheduled_at")
            )
        )
    )
    .order_by("next_follow_up_on")
    .values_list("household_id", "household__reference", "next_follow_up_on")[
        : DASHBOARD_ROWS + 1
    ]
)
# Households not yet visited: oldest move-in first (the most overdue), no date last; read in
# the order of the partial index household_not_visited_idx, whose condition names the two
# statuses (written into the SQL: neither database can use that index for parameters).
_NOT_VISITED = Prepared(
    lambda scoped: _in_teams(
        Household.objects.filter(status__in=deadlines.NOT_VISITED), scoped, household_path=""
    )
    .order_by(F("moved_in_on").asc(nulls_last=True), "created_at")
    .values_list("id", "reference", "district_id", "moved_in_on", "status")[
        : DASHBOARD_ROWS + 1
    ],
    literals=True,
)


def _waiting_referrals(scoped: bool):
    referrals = Referral.objects.filter(waiting=1)
    if scoped:  # the rule of ``referrals_for``
        referrals = referrals.filter(
            Q(household__team_id__in=_TEAMS)
            | Q(office_id__in=ParamList("offices", models.BigIntegerField()))
        )
    return referrals.order_by("follow_up_on", "created_at").values_list(
        "id",
        "household_id",
        "household__reference",
        "offer__title",
        "organisation__name",
        "status",
        "follow_up_on",
    )[: DASHBOARD_ROWS + 1]


_WAITING = Prepared(_waiting_referrals)


def _scope_values(user) -> tuple[bool, list[int]]:
    """(scoped, teams) for the prepared reads: a coordinator sees everything, a staff member
    their teams' households, anybody else nothing."""
    if is_coordinator(user):
        return False, []
    return True, sorted(team_ids(user)) if is_staff_member(user) else []


def dashboard_for(user) -> dict:
    """What the staff dashboard shows, as plain values: a handful of small queries."""
    now = timezone.now()
    today = timezone.localdate()
    household_url = address_maker("consultations-household-detail")
    visit_url = address_maker("consultations-visit-edit")
    referral_url = address_maker("consultations-referral-edit")
    kinds = {value: str(label) for value, label in HomeVisit.Kind.choices}  # translated once
    districts = reference.by_id("districts")
    dates = Formatters()
    scoped, teams = _scope_values(user)

    def visit_rows(rows):
        return [
            {
                "household": reference_no,
                "household_url": household_url(household_id),
                "log_url": visit_url(pk) + "?log=1",
                "at": at,
                "at_text": dates.datetime(at),
                "kind": kinds.get(kind, kind),
                "not_logged": at < now,
                "mine": staff_id == user.pk,
                "staff": staff_name or "",
                "closed": household_status == Household.Status.CLOSED,
            }
            for pk, household_id, reference_no, at, kind, staff_id, staff_name, household_status
            in rows
        ]

    my_visits = visit_rows(_MY_VISITS.rows(scoped, teams=teams, user=user.pk))
    not_logged = visit_rows(_NOT_LOGGED.rows(scoped, teams=teams, now=now))
    follow_ups = [
        {
            "household": reference_no,
            "household_url": household_url(household_id),
            "on": on,
            "on_text": dates.date(on),
        }
        for household_id, reference_no, on in _FOLLOW_UPS.rows(
            scoped, teams=teams, user=user.pk, until=today + timedelta(days=7)
        )
    ]
    limits = deadlines.cutoffs(today)
    # each sentence translated once, not once per row
    moved_in = gettext("moved in %(date)s, first visit by %(deadline)s")
    no_date = gettext("move-in date unknown")
    follow_up = gettext("follow up on %(date)s")
    not_visited = [
        {
            "reference": reference_no,
            "url": household_url(pk),
            "district": districts[district_id].name if district_id in districts else "",
            "moved_in_on": moved_in_on,
            "first_visit": (found := deadlines.first_visit(moved_in_on, status, limits)),
            "when": moved_in
            % {"date": dates.date(moved_in_on), "deadline": dates.date(found.deadline)}
            if moved_in_on
            else no_date,
            "badge": deadlines.badge_text(found),
        }
        for pk, reference_no, district_id, moved_in_on, status in _NOT_VISITED.rows(
            scoped, teams=teams
        )
    ]
    statuses = {value: str(label) for value, label in Referral.Status.choices}
    offices = team_office_ids(user) if scoped and teams else []
    waiting = [
        {
            "household": reference_no,
            "household_url": household_url(household_id) if household_id else "",
            "target": offer or organisation or "",
            "status": statuses.get(status, status),
            "follow_up_on": follow_up_on,
            "follow_up_text": follow_up % {"date": dates.date(follow_up_on)}
            if follow_up_on
            else "",
            "url": referral_url(pk),
        }
        for pk, household_id, reference_no, offer, organisation, status, follow_up_on in (
            _WAITING.rows(scoped, teams=teams, offices=offices)
        )
    ]
    sections = {
        "my_visits": my_visits,
        "follow_ups": follow_ups,
        "not_visited": not_visited,
        "not_logged": not_logged,
        "waiting_referrals": waiting,
    }
    return {
        "now": now,
        # The most urgent few of each list (an overview, also on a phone); "more" says that
        # a list goes on (on the household pages and the household list's filters).
        **{name: rows[:DASHBOARD_ROWS] for name, rows in sections.items()},
        "more": {name: len(rows) > DASHBOARD_ROWS for name, rows in sections.items()},
        "rows_shown": DASHBOARD_ROWS,
        "first_visit_days": limits.days,
        "office_hours": todays_office_hours(user),
    }


@lru_cache(maxsize=1)
def _sheet_languages() -> tuple[tuple[str, str], ...]:
    from django.conf import settings
    from django.utils.translation import get_language_info

    return tuple(
        (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
    )


def sheet_languages() -> list[tuple[str, str]]:
    """(code, name in that language) of the languages a printable sheet can be in."""
    return list(_sheet_languages())


@lru_cache(maxsize=1024)
def sheet_links(url: str) -> str:
    """Links to a sheet in each language, named in that language ("Deutsch · العربية …")."""
    return format_html_join(
        " · ",
        '<a href="{}?lang={}" lang="{}" hreflang="{}">{}</a>',
        ((url, code, code, code, name) for code, name in _sheet_languages()),
    )


def my_offices(user):
    from offices.models import Office

    offices = Office.objects.select_related("district", "team").order_by("name")
    if is_coordinator(user) and not team_ids(user):
        return offices
    return offices.filter(team_id__in=team_ids(user))


def my_office_rows(user) -> list:
    """The offices of the user's teams (all offices for a coordinator without a team), from
    the reference rows: (id, slug, name)."""
    offices = reference.rows("offices")
    teams = team_ids(user)
    if is_coordinator(user) and not teams:
        return list(offices)
    office_teams = reference.office_team_ids()
    return [office for office in offices if office_teams.get(office.id) in teams]


def offices_open_now(office_ids, *, now=None) -> list[int]:
    """Those of ``office_ids`` that are open at ``now`` (two queries: rules, exceptions)."""
    from offices.hours import status_at
    from offices.selectors import schedules

    now = now or timezone.now()
    office_ids = list(office_ids)
    found = schedules(office_ids)
    return [pk for pk in office_ids if status_at(found[pk], now).is_open]


def default_office(user, *, last_used=None, now=None) -> tuple[int | None, list[int]]:
    """The office a new consultation is logged for, and the user's offices open now.

    The office open now among the user's offices (the last used one if several are open);
    else the last used one (kept in the session); else the first by name."""
    office_ids = [office.id for office in my_office_rows(user)]
    open_now = offices_open_now(office_ids, now=now)
    if open_now:
        return (last_used if last_used in open_now else open_now[0]), open_now
    if last_used in office_ids:
        return last_used, open_now
    return (office_ids[0] if office_ids else None), open_now


def recent_consultations(user, *, now=None) -> list[dict]:
    """The user's own consultations that can still be corrected or deleted, newest first."""
    from .services import CORRECTION_WINDOW

    now = now or timezone.now()
    offices = reference.by_id("offices")
    edit_url = address_maker("consultations-consultation-edit")
    rows = (
        Consultation.objects.filter(staff=user, created_at__gte=now - CORRECTION_WINDOW)
        .order_by("-created_at", "-id")
        .values_list("id", "office_id", "held_at", "household__reference", "created_at")[:10]
    )
    return [
        {
            "url": edit_url(pk),
            "office": offices[office_id].name if office_id in offices else "",
            "held_at": held_at,
            "household": household or "",
            "until": created_at + CORRECTION_WINDOW,
        }
        for pk, office_id, held_at, household, created_at in rows
    ]


def get_consultation_for(user, pk) -> Consultation:
    try:
        return consultations_for(user).select_related("household", "office").get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def office_for_household(household):
    """The office a household is pointed to: one of its team's offices, in its district if
    the team has one there."""
    from offices.models import Office

    offices = list(Office.objects.filter(team_id=household.team_id).order_by("name"))
    for office in offices:
        if office.district_id == household.district_id:
            return office
    return offices[0] if offices else None


def todays_office_hours(user) -> list[dict]:
    """Today's openings of the offices of the user's teams."""
    from offices.hours import openings_on
    from offices.selectors import schedules

    today = timezone.localdate()
    offices = my_office_rows(user)
    found = schedules([office.id for office in offices], today=today)
    sheet_url = address_maker("consultations-office-sheet")
    return [
        {"office": office.name, "sheet_links": sheet_links(sheet_url(office.key)),
         "openings": openings_on(found[office.id], today)}
        for office in offices
    ]


def statistics() -> dict:
    """Counts by category that anonymisation and erasure must leave unchanged."""
    households = Household.objects.all()
    return {
        "households": households.count(),
        "needs": dict(Counter(HouseholdNeed.objects.values_list("need", flat=True))),
        "districts": dict(Counter(households.values_list("district__slug", flat=True))),
        "teams": dict(Counter(households.values_list("team__slug", flat=True))),
        "sizes": sorted(households.values_list("size", flat=True)),
        "children": sorted(
            households.values_list("children_0_2", "children_3_5", "children_6_9",
                                   "children_10_17")
        ),
        "languages": dict(Counter(Household.languages.through.objects.values_list(
            "language__code", flat=True))),
        "visits": dict(Counter(HomeVisit.objects.values_list("status", "kind"))),
        "consultations": Consultation.objects.count(),
        "topics": dict(Counter(
            Consultation.topics.rel.related_model.objects.values_list("topic", flat=True))),
        "referrals": dict(Counter(Referral.objects.values_list("category", "status"))),
    }


def household_export_data(household: Household) -> dict:
    """Everything stored about one household, as plain data (GDPR Art. 15)."""
    from lokalwillkommen.models import AccessLog

    def user_name(user):
        return user.get_username() if user else None

    def iso(value):
        return value.isoformat() if value else None

    h = household
    return {
        "reference": h.reference,
        "contact_person": h.contact_name,
        "phone": h.phone,
        "street": h.street,
        "postcode": h.postcode,
        "district": h.district.name,
        "move_in_date": iso(h.moved_in_on),
        "transitional_housing_moved_out_of": h.previous_housing,
        "household_size": h.size,
        "children": {
            "0-2": h.children_0_2,
            "3-5": h.children_3_5,
            "6-9": h.children_6_9,
            "10-17": h.children_10_17,
        },
        "languages": [lang.code for lang in h.languages.all()],
        "needs": [n.need for n in h.needs.all()],
        "status": h.status,
        "team": h.team.name,
        "responsible_staff_member": user_name(h.responsible),
        "consent": {
            "given_on": iso(h.consent_given_on),
            "scope": h.consent_scope,
            "recorded_by": user_name(h.consent_recorded_by),
        },
        "restricted_notes": h.notes,
        "created": iso(h.created_at),
        "closed": iso(h.closed_at),
        "anonymised": iso(h.anonymised_at),
        "home_visits": [
            {
                "date_and_time": iso(v.scheduled_at),
                "status": v.status,
                "kind": v.kind,
                "staff_member": user_name(v.staff),
                "information_handed_over": v.information_given,
                "notes": v.notes,
                "next_follow_up": iso(v.next_follow_up_on),
            }
            for v in h.visits.select_related("staff").order_by("scheduled_at")
        ],
        "consultations": [
            {
                "time": iso(c.held_at),
                "office": c.office.name,
                "topics": [t.topic for t in c.topics.all()],
                "language": c.language.code if c.language else None,
                "interpreter_needed": c.interpreter_needed,
                "duration_minutes": c.duration_minutes,
                "notes": c.notes,
            }
            for c in h.consultations.select_related("office", "language")
            .prefetch_related("topics")
            .order_by("held_at")
        ],
        "referrals": [
            {
                "created": iso(r.created_at),
                "category": r.category,
                "organisation": r.organisation.name if r.organisation else None,
                "offer": r.offer.title if r.offer else None,
                "status": r.status,
                "follow_up_on": iso(r.follow_up_on),
                "notes": r.notes,
            }
            for r in h.referrals.select_related("organisation", "offer").order_by("created_at")
        ],
        "access_log": [
            {"time": iso(e.at), "user": e.username, "action": e.action, "detail": e.detail}
            for e in AccessLog.objects.filter(subject_type="household", subject_id=h.pk)
            .order_by("at", "id")
        ],
    }
