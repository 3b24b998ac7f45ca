from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lokalwillkommen import reference
from lokalwillkommen.caching import public_page
from lokalwillkommen.roles import staff_required

from . import calendar_feed, hours, osm, services, structured_data
from .cards import cards_html, office_cards, open_first
from .forms import ExceptionForm, RuleFormSet
from .models import Office, Weekday
from .selectors import (
    OFFICE_ROW_FIELDS,
    can_edit_office,
    editable_offices,
    office_district_ids,
    office_language_codes,
    office_language_ids,
    office_language_names,
    office_rows,
    office_texts,
    public_office,
)
from .selectors import schedules as office_schedules

HOME_OFFICES = 6
LIST_PAGE_SIZE = 10


@require_safe
@public_page
def home(request):
    """The offices open now or opening next (at most six), and the way to all of them."""
    rows = office_rows()
    every = office_schedules()  # of all offices: no list of their ids to send
    cards = sorted(office_cards(rows, timezone.now(), schedules=every), key=open_first)
    cards = cards[:HOME_OFFICES]
    return render(
        request,
        "offices/home.html",
        {"cards": cards, "cards_html": cards_html(cards, home=True), "office_count": len(rows)},
    )


@require_safe
@public_page
def office_list(request):
    with_offices = office_district_ids()
    districts = [row for row in reference.rows("districts") if row.id in with_offices]
    selected = request.GET.get("district", "")
    if selected and not any(d.key == selected for d in districts):
        selected = ""
    rows = office_rows(district_slug=selected)
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "offices/list.html",
        {
            "cards_html": cards_html(office_cards(list(page.object_list), timezone.now())),
            "page": page,
            "query": query.urlencode(),
            "districts": districts,
            "selected_district": selected,
        },
    )


@require_safe
@public_page
def office_detail(request, slug):
    office = public_office(slug)
    if office is None:
        raise Http404
    now = timezone.now()
    today = hours.local(now).date()
    schedule = office_schedules([office.pk], today=today)[office.pk]
    days_off = hours.days_off_between(schedule, today, today + timedelta(days=60))
    language = get_language() or "de"
    closures = [
        {
            "day": off.day,
            "holiday_name": hours.holiday_name_in(off.day, language),
        }
        for off in days_off
        if off.holiday
    ]
    weekday_names = dict(Weekday.choices)
    row = {name: getattr(office, name) for name in OFFICE_ROW_FIELDS}
    district = reference.by_id("districts").get(office.district_id)
    row["district"] = district.name if district else ""
    language_ids = office_language_ids(office)
    context = {
        "card": office_cards([row], now, schedules={office.pk: schedule})[0],
        "office": office,
        "rules": [
            {"rule": rule, "weekday": weekday_names[rule.weekday]}
            for rule in sorted(schedule.rules, key=lambda r: (r.weekday, r.opens))
        ],
        "upcoming": hours.upcoming_openings(schedule, now, count=5),
        "closures": closures,
        "announced_closures": [c for c in schedule.closures if c.date_until >= today],
        "structured_data": structured_data.office_json_ld(
            office, schedule, request, today, languages=office_language_codes(office, language_ids)
        ),
        "languages": office_language_names(office, language_ids),
        "osm_url": _osm_url(office),
        "texts": office_texts(office, language),
        "osm_opening_hours": osm.opening_hours(schedule, today),
        # webcal: a calendar app subscribes to the feed (and fetches it again) instead of
        # importing the events once.
        "calendar_subscription": "webcal://"
        + request.get_host()
        + reverse("offices-calendar", args=[office.slug]),
    }
    return render(request, "offices/detail.html", context)


@require_safe
@public_page
def office_calendar(request, slug):
    office = public_office(slug)
    if office is None:
        raise Http404
    now = timezone.now()
    # From the first of the month on: the feed starts its rules there (calendar_feed.py).
    first = hours.local(now).date().replace(day=1)
    schedule = office_schedules([office.pk], today=first)[office.pk]
    body = calendar_feed.office_calendar(office, schedule, now, get_language() or "de")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{office.slug}.ics"'
    return response


def _osm_url(office: Office) -> str:
    if office.latitude is not None and office.longitude is not None:
        return (
            f"https://www.openstreetmap.org/?mlat={office.latitude}&mlon={office.longitude}"
            f"#map=18/{office.latitude}/{office.longitude}"
        )
    from urllib.parse import quote

    return "https://www.openstreetmap.org/search?query=" + quote(
        f"{office.street}, {office.postcode} {office.city}"
    )


# Staff pages -------------------------------------------------------------------------------


def _office_for_editing(request, slug) -> Office:
    office = get_object_or_404(Office.objects.select_related("team", "district"), slug=slug)
    if not can_edit_office(request.user, office):
        raise PermissionDenied
    return office


@staff_required
def staff_office_list(request):
    return render(request, "offices/staff_list.html", {"offices": editable_offices(request.user)})


@staff_required
def staff_hours(request, slug):
    office = _office_for_editing(request, slug)
    if request.method == "POST":
        formset = RuleFormSet(request.POST, instance=office, prefix="rules")
        if formset.is_valid():
            services.office_hours_update(office=office, formset=formset, user=request.user)
            messages.success(request, _("The opening hours have been saved."))
            return redirect("offices-staff-hours", slug=office.slug)
    else:
        formset = RuleFormSet(instance=office, prefix="rules")
    upcoming = office.exceptions.filter(date_until__gte=hours.local(timezone.now()).date())
    return render(
        request,
        "offices/staff_hours.html",
        {
            "office": office,
            "formset": formset,
            "exceptions": upcoming,
            "exception_form": ExceptionForm(office=office),
        },
    )


@staff_required
@require_POST
def staff_exception_add(request, slug):
    office = _office_for_editing(request, slug)
    form = ExceptionForm(request.POST, office=office)
    if form.is_valid():
        services.office_exception_add(office=office, data=form.cleaned_data, user=request.user)
        messages.success(request, _("The change has been saved and is shown on the public pages."))
        return redirect("offices-staff-hours", slug=office.slug)
    upcoming = office.exceptions.filter(date_until__gte=hours.local(timezone.now()).date())
    return render(
        request,
        "offices/staff_hours.html",
        {
            "office": office,
            "formset": RuleFormSet(instance=office, prefix="rules"),
            "exceptions": upcoming,
            "exception_form": form,
        },
        status=400,
    )


@staff_required
@require_POST
def staff_exception_delete(request, slug, pk):
    office = _office_for_editing(request, slug)
    deleted = services.office_exception_delete(office=office, pk=pk, user=request.user)
    if deleted:
        messages.success(request, _("The entry has been removed."))
    else:
        messages.info(request, _("This entry had already been removed."))
    return redirect("offices-staff-hours", slug=office.slug)
