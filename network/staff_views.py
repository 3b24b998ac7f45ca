"""Staff pages of the network: moderation, volunteers, suggestions, stale contacts."""

import csv

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lokalwillkommen.accesslog import log_list
from lokalwillkommen.bidi import isolate
from lokalwillkommen.models import AccessLog
from lokalwillkommen.plainforms import PlainFields
from lokalwillkommen.roles import coordinator_required, staff_required
from lokalwillkommen.security import log_event

from . import moderation as changes_to_offers
from . import selectors, services, translations
from .forms import RejectForm, SuggestionStatusForm, VolunteerFilterForm, VolunteerStaffForm
from .models import Offer, OfferRevision, Organisation, Suggestion, VolunteerRegistration

PAGE_SIZE = 50
MODERATION_PAGE_SIZE = 20


@require_safe
@coordinator_required
def moderation(request):
    organisations, offers = selectors.moderation_queue()
    # Oldest first, a page at a time: each submission is a large card with two forms. The
    # lists page independently; each page link keeps the other lists' pages.
    org_page = Paginator(organisations, MODERATION_PAGE_SIZE).get_page(request.GET.get("org_page"))
    page = Paginator(offers, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    change_page = Paginator(selectors.pending_changes(), MODERATION_PAGE_SIZE).get_page(
        request.GET.get("change_page")
    )
    changes = [
        {"revision": revision, "changes": changes_to_offers.changes(revision.offer, revision.data)}
        for revision in change_page.object_list
    ]
    log_list(
        user=request.user, subject_type="submission", where="moderation queue",
        count=len(org_page.object_list) + len(page.object_list) + len(changes),
    )
    return render(
        request,
        "network/staff/moderation.html",
        {
            "org_page": org_page,
            "org_query": _other_page(request, "org_page"),
            "page": page,
            "query": _other_page(request, "page"),
            "change_page": change_page,
            "change_query": _other_page(request, "change_page"),
            "changes": changes,
            "reject_form": RejectForm(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def offer_review(request, pk):
    """Check an offer, or the change to it that waits, before publishing: see what changed,
    correct and translate it, save or publish."""
    offer = get_object_or_404(Offer.objects.select_related("organisation", "district"), pk=pk)
    revision = offer.revisions.filter(status=OfferRevision.Status.PENDING).first()
    if request.method == "POST":
        form = changes_to_offers.review_form(offer, request.POST)
        if form.is_valid():
            publish = "publish" in request.POST
            try:
                services.offer_review_save(
                    offer=offer,
                    form=form,
                    user=request.user,
                    publish=publish,
                    revision_pk=int(request.POST["revision"]) if request.POST.get("revision")
                    else None,
                )
            except services.ChangeNotPending:
                messages.error(request, _("This change was checked by a colleague meanwhile."))
                return redirect("network-staff-moderation")
            except services.OrganisationNotPublished:
                messages.error(
                    request,
                    _("Saved. Publish the organisation first, then the offer."),
                )
                return redirect("network-staff-moderation")
            if publish:
                messages.success(request, _("The offer is published as checked."))
                return redirect("network-staff-moderation")
            messages.success(request, _("Saved; not published yet."))
            return redirect("network-staff-offer-review", pk=offer.pk)
        status = 400
    else:
        form = changes_to_offers.review_form(offer, revision.data if revision else None)
        status = 200
    return render(
        request,
        "network/staff/offer_review.html",
        {
            "offer": offer,
            "revision": revision,
            "changes": changes_to_offers.changes(offer, revision.data) if revision else [],
            "form": form,
        },
        status=status,
    )


@require_POST
@coordinator_required
def offer_change_publish(request, pk):
    """Publish a waiting change as it was sent."""
    revision = get_object_or_404(
        OfferRevision.objects.select_related("offer"), pk=pk, status=OfferRevision.Status.PENDING
    )
    form = changes_to_offers.review_form(revision.offer, revision.data)
    if not form.is_valid():
        messages.error(request, _("The change needs a correction before it can be published."))
        return redirect("network-staff-offer-review", pk=revision.offer_id)
    try:
        services.offer_review_save(
            offer=revision.offer, form=form, user=request.user, publish=True,
            revision_pk=revision.pk,
        )
    except services.ChangeNotPending:
        messages.error(request, _("This change was checked by a colleague meanwhile."))
    else:
        messages.success(request, _("The change is published."))
    return redirect("network-staff-moderation")


@require_POST
@coordinator_required
def offer_change_reject(request, pk):
    revision = get_object_or_404(OfferRevision, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for the rejection."))
        return redirect("network-staff-moderation")
    try:
        services.offer_change_reject(
            revision=revision, reason=form.cleaned_data["reason"], user=request.user
        )
    except services.ChangeNotPending:
        messages.error(request, _("This change was checked by a colleague meanwhile."))
    else:
        messages.success(
            request, _("The change is rejected; the offer stays as it is. The submitter is told.")
        )
    return redirect("network-staff-moderation")


def _other_page(request, own: str) -> str:
    query = request.GET.copy()
    query.pop(own, None)
    return query.urlencode()


@require_POST
@coordinator_required
def offer_publish(request, pk):
    offer = get_object_or_404(Offer.objects.select_related("organisation"), pk=pk)
    try:
        services.offer_publish(offer=offer)
    except services.OrganisationNotPublished:
        messages.error(
            request,
            _(
                "First check and publish the organisation %(name)s: an offer is shown only "
                "with its organisation."
            )
            % {"name": isolate(offer.organisation.name)},
        )
    else:
        messages.success(request, _("The offer is published."))
    return redirect("network-staff-moderation")


@require_POST
@coordinator_required
def offer_reject(request, pk):
    offer = get_object_or_404(Offer, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for the rejection."))
        return redirect("network-staff-moderation")
    services.offer_reject(offer=offer, reason=form.cleaned_data["reason"])
    messages.success(request, _("The offer is rejected and the submitter informed."))
    return redirect("network-staff-moderation")


@require_POST
@coordinator_required
def organisation_publish(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    services.organisation_publish(organisation=organisation)
    messages.success(request, _("The organisation is published."))
    return redirect("network-staff-moderation")


@require_POST
@coordinator_required
def organisation_reject(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for the rejection."))
        return redirect("network-staff-moderation")
    services.organisation_reject(organisation=organisation, reason=form.cleaned_data["reason"])
    messages.success(request, _("The organisation is rejected and the submitter informed."))
    return redirect("network-staff-moderation")


def _volunteer_filters(request):
    form = VolunteerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.volunteers(
        status=filters.get("status", ""),
        district=filters.get("district", ""),
        language=filters.get("language", ""),
        skill=filters.get("skill", ""),
    )


@require_safe
@coordinator_required
def volunteers(request):
    form, entries = _volunteer_filters(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    log_list(
        user=request.user, subject_type="volunteerregistration", where="volunteer list",
        count=len(page.object_list),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/staff/volunteers.html",
        {
            "form": form,
            "fields": PlainFields(form),
            "page": page,
            "query": query.urlencode(),
            "statuses": VolunteerRegistration.Status.choices,
        },
    )


def _csv_cell(value) -> str:
    """Neutralise spreadsheet formulas in exported cells."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@require_safe
@coordinator_required
def volunteers_export(request):
    _form, entries = _volunteer_filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="volunteers-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("E-mail"),
            _("Phone"),
            _("District"),
            _("Languages"),
            _("Skills"),
            _("Availability"),
            _("Status"),
            _("Registered"),
            _("Staff notes"),
        ]
    )
    count = 0
    for volunteer in entries:
        count += 1
        writer.writerow(
            _csv_cell(value)
            for value in [
                volunteer.name,
                volunteer.email,
                volunteer.phone,
                volunteer.district or "",
                ", ".join(str(language) for language in volunteer.languages.all()),
                ", ".join(str(skill) for skill in volunteer.skills.all()),
                volunteer.availability,
                volunteer.get_status_display(),
                timezone.localtime(volunteer.created).strftime("%Y-%m-%d"),
                volunteer.staff_notes,
            ]
        )
    AccessLog.objects.create(
        user=request.user,
        username=request.user.get_username(),
        action=AccessLog.Action.EXPORT,
        subject_type="volunteerregistration",
        subject_label="volunteers CSV",
        detail=f"{count} rows",
    )
    log_event("export", request=request, record="volunteers CSV", rows=count)
    return response


@require_POST
@coordinator_required
def volunteer_update(request, pk):
    volunteer = get_object_or_404(VolunteerRegistration, pk=pk)
    form = VolunteerStaffForm(request.POST)
    if form.is_valid():
        services.volunteer_update(
            volunteer=volunteer,
            status=form.cleaned_data["status"],
            staff_notes=form.cleaned_data["staff_notes"],
        )
        messages.success(request, _("The volunteer registration is updated."))
    else:
        messages.error(request, _("The change could not be saved: please check the notes."))
    query = request.POST.get("next_query", "")
    return redirect(reverse("network-staff-volunteers") + ("?" + query if query else ""))


@require_safe
@coordinator_required
def suggestions(request):
    status = request.GET.get("status", "")
    entries = Suggestion.objects.all()
    if status in Suggestion.Status.values:
        entries = entries.filter(status=status)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    log_list(
        user=request.user, subject_type="suggestion", where="suggestions",
        count=len(page.object_list),
    )
    return render(
        request,
        "network/staff/suggestions.html",
        {"page": page, "status": status, "statuses": Suggestion.Status.choices},
    )


@require_POST
@coordinator_required
def suggestion_status(request, pk):
    suggestion = get_object_or_404(Suggestion, pk=pk)
    form = SuggestionStatusForm(request.POST)
    if form.is_valid():
        services.suggestion_set_status(suggestion=suggestion, status=form.cleaned_data["status"])
        messages.success(request, _("The status is changed."))
    return redirect("network-staff-suggestions")


@require_safe
@staff_required
def stale_contacts(request):
    entries = selectors.stale_organisations()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/staff/stale_contacts.html", {"page": page})


@require_safe
@coordinator_required
def missing_translations(request):
    """The texts of offers, organisations and offices that lack a translation, per language,
    each with a link to where a coordinator enters it."""
    found = translations.missing_translations()
    languages = dict(settings.LANGUAGES)
    return render(
        request,
        "network/staff/translations.html",
        {
            "languages": [
                {"code": code, "name": languages[code], **entries}
                for code, entries in found.items()
            ],
            "shown": translations.SHOWN_PER_LANGUAGE,
        },
    )


@require_POST
@staff_required
def organisation_contacted(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    services.organisation_record_contact(organisation=organisation)
    messages.success(
        request,
        _("Contact with %(name)s recorded for today.") % {"name": isolate(organisation.name)},
    )
    return redirect("network-staff-stale")
