from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lokalwillkommen.models import District
from lokalwillkommen.public_cache import cache_public_page
from lokalwillkommen.roles import staff_required

from . import calendar_feed, hours, osm, services, structured_data
from .forms import ExceptionForm, RuleFormSet
from .models import Office
from .selectors import (
    can_edit_office,
    editable_offices,
    office_texts,
    public_offices,
    schedule_for,
)


@dataclass
class OfficeCard:
    """An office with its status now, as the public pages show it."""

    office: Office
    status: hours.Status
    next_in_days: int | None
    holiday_name: str


def office_card(office: Office, now) -> OfficeCard:
    status = hours.status_at(schedule_for(office), now)
    today = hours.local(now).date()
    next_in_days = (status.next.start.date() - today).days if status.next else None
    holiday_name = ""
    if status.closed_today and status.closed_today.holiday:
        holiday_name = hours.holiday_name_in(today, get_language() or "de")
    return OfficeCard(office, status, next_in_days, holiday_name)


@require_safe
@cache_public_page
def home(request):
    now = timezone.now()
    cards = [office_card(office, now) for office in public_offices()]
    return render(request, "offices/home.html", {"cards": cards})


@require_safe
@cache_public_page(query_params=["district"])
def office_list(request):
    now = timezone.now()
    districts = District.objects.filter(offices__isnull=False).distinct().order_by("name")
    selected = request.GET.get("district", "")
    if selected and not any(d.slug == selected for d in districts):
        selected = ""
    cards = [office_card(office, now) for office in public_offices(district_slug=selected)]
    return render(
        request,
        "offices/list.html",
        {"cards": cards, "districts": districts, "selected_district": selected},
    )


@require_safe
@cache_public_page
def office_detail(request, slug):
    office = get_object_or_404(public_offices(), slug=slug)
    now = timezone.now()
    schedule = schedule_for(office)
    today = hours.local(now).date()
    days_off = hours.days_off_between(schedule, today, today + timedelta(days=60))
    language = get_language() or "de"
    closures = [
        {
            "day": off.day,
            "reason": off.reason if not off.holiday else "",
            "holiday": off.holiday,
            "holiday_name": hours.holiday_name_in(off.day, language) if off.holiday else "",
        }
        for off in days_off
    ]
    long_closures = [
        e for e in office.exceptions.all() if e.kind == "closed" and e.date_until >= today
    ]
    context = {
        "card": office_card(office, now),
        "office": office,
        "rules": sorted(office.rules.all(), key=lambda r: (r.weekday, r.opens)),
        "upcoming": hours.upcoming_openings(schedule, now, count=5),
        "closures": closures,
        "announced_closures": long_closures,
        "structured_data": structured_data.office_json_ld(office, schedule, request, today),
        "osm_url": _osm_url(office),
        "texts": office_texts(office, language),
        "osm_opening_hours": osm.opening_hours(schedule, today),
    }
    return render(request, "offices/detail.html", context)


@require_safe
def office_calendar(request, slug):
    office = get_object_or_404(public_offices(), slug=slug)
    body = calendar_feed.office_calendar(office, schedule_for(office), timezone.now())
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
