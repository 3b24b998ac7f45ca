"""Public pages of the network: directory, detail pages and the public forms."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lokalwillkommen.caching import public_page
from lokalwillkommen.content import pick_field
from lokalwillkommen.plainforms import PlainFields
from offices.selectors import first_open_office

from . import calendar_feeds, card_markup, links, moderation, selectors, services
from .forms import (
    DirectoryFilterForm,
    OfferChangeForm,
    OfferSubmitForm,
    SuggestionForm,
    VolunteerForm,
    VolunteerRegisterForm,
)
from .models import Offer, OfferRevision, Suggestion, VolunteerRegistration
from .offer_times import cost_text, time_text
from .protection import HONEYPOT_FIELD, honeypot_filled, new_token, rate_limited
from .search import OFFER_TEXTS

PAGE_SIZE = 20
THANKS = {"offer", "volunteer", "suggestion"}


@require_safe
@public_page
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    show = filters.get("show") or "offers"
    common = {key: filters.get(key, "") for key in ("q", "kind", "district", "language")}
    if show == "organisations":
        page = _page(request, selectors.directory_organisations(**common))
        cards = selectors.organisation_cards(page.object_list)
    else:
        entries = selectors.directory_offers(
            **common,
            category=filters.get("category", ""),
            target_group=filters.get("target_group", ""),
        )
        page = _page(request, entries)
        cards = card_markup.add_markup(selectors.offer_cards(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/directory.html",
        {
            "fields": PlainFields(form),
            "show": show,
            "page": page,
            "cards": cards,
            "query": query.urlencode(),
            "filtered": any(filters.get(k) for k in filters if k != "show"),
            "help_office": None if cards else _help_office(filters.get("district", "")),
        },
    )


def _help_office(district: str) -> dict | None:
    """Where a search that found nothing can be asked in person: the office open now, else
    the one opening next (of the district searched, if it has one)."""
    found = first_open_office(timezone.now(), district_slug=district)
    if found is None:
        return None
    row, status = found
    return {
        "name": row["name"],
        "url": reverse("offices-detail", args=[row["slug"]]),
        "address": f"{row['street']}, {row['postcode']} {row['city']}",
        "status": status,
    }


def _page(request, entries):
    return Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
@public_page
def organisation_detail(request, slug):
    organisation = selectors.published_organisation(slug)
    if organisation is None:
        raise Http404
    offers = card_markup.add_markup(
        selectors.offer_cards(selectors.directory_offers(organisation_id=organisation.pk))
    )
    return render(
        request,
        "network/organisation_detail.html",
        {"organisation": organisation, "offers": offers},
    )


@require_safe
@public_page
def offer_detail(request, slug):
    offer = selectors.published_offer(slug)
    if offer is None:
        raise Http404
    language = get_language() or "de"
    return render(
        request,
        "network/offer_detail.html",
        {
            "offer": offer,
            "texts": {field: pick_field(offer, field, language) for field in OFFER_TEXTS},
            "times": [time_text(t) for t in offer.times.all()],
            "cost": cost_text(offer.cost, offer.cost_amount),
            "calendar_url": reverse("network-offer-calendar", args=[offer.slug]),
        },
    )


@require_safe
@public_page
def offer_calendar(request, slug):
    offer = selectors.published_offer(slug)
    if offer is None:
        raise Http404
    body = calendar_feeds.offer_calendar(offer, get_language() or "de", timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{offer.slug}.ics"'
    return response


def _build_url(request):
    return request.build_absolute_uri


def _protected_form_view(request, *, scope, form_class, model, template, save):
    """The shared flow of every public form: honeypot, rate limit, double submit, PRG."""
    if request.method == "POST":
        if rate_limited(request, scope):
            form = form_class(initial={"token": new_token()})
            return render(
                request,
                template,
                {"form": form, "rate_limited": True, "honeypot_name": HONEYPOT_FIELD},
                status=429,
            )
        if honeypot_filled(request):
            # Looks like success to a bot; nothing is stored.
            return redirect("network-thanks", kind=scope)
        form = form_class(request.POST)
        if form.is_valid():
            token = form.cleaned_data["token"]
            if model.objects.filter(submission_token=token).exists():
                return redirect("network-thanks", kind=scope)
            try:
                save(form, token)
            except (services.DuplicateSubmission, IntegrityError, ValidationError) as exc:
                # The same form sent twice at once (a double tap on a slow connection): the
                # other request stored it, and this one says thanks as that one does.
                if model.objects.filter(submission_token=token).exists():
                    return redirect("network-thanks", kind=scope)
                _explain(form, exc)
                return render(
                    request, template, {"form": form, "honeypot_name": HONEYPOT_FIELD}, status=400
                )
            return redirect("network-thanks", kind=scope)
    else:
        form = form_class(initial={"token": new_token()})
    return render(request, template, {"form": form, "honeypot_name": HONEYPOT_FIELD})


def _explain(form, exc) -> None:
    """A check of the model that the form did not make: shown on the form, never a 500."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(None, _("The form could not be saved. Please send it again."))


@require_http_methods(["GET", "HEAD", "POST"])
def offer_submit(request):
    def save(form, token):
        services.offer_submit(
            offer_data={**form.cleaned_data, "time": form.time_data()},
            organisation=form.cleaned_data.get("organisation"),
            organisation_data=form.organisation_data(),
            submitter_email=form.cleaned_data["submitter_email"],
            token=token,
            build_url=_build_url(request),
        )

    return _protected_form_view(
        request,
        scope="offer",
        form_class=OfferSubmitForm,
        model=Offer,
        template="network/offer_submit.html",
        save=save,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def volunteer(request):
    def save(form, token):
        services.volunteer_register(
            data=form.cleaned_data, token=token, build_url=_build_url(request)
        )

    return _protected_form_view(
        request,
        scope="volunteer",
        form_class=VolunteerRegisterForm,
        model=VolunteerRegistration,
        template="network/volunteer.html",
        save=save,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def suggestion(request):
    def save(form, token):
        services.suggestion_submit(
            data=form.cleaned_data, token=token, build_url=_build_url(request)
        )

    return _protected_form_view(
        request,
        scope="suggestion",
        form_class=SuggestionForm,
        model=Suggestion,
        template="network/suggestion.html",
        save=save,
    )


@require_safe
def thanks(request, kind):
    if kind not in THANKS:
        raise Http404
    return render(request, "network/thanks.html", {"kind": kind})


def _from_token(token):
    found = links.read_token(token)
    if found is None:
        return None, None
    kind, pk = found
    model = Offer if kind == "offer" else VolunteerRegistration
    obj = model.objects.filter(pk=pk).first()
    return kind, obj


def _refused(request):
    return render(request, "network/link_invalid.html", status=404)


def _private(view):
    """The signed link's pages: never stored by a browser or proxy, and the link never sent on
    as the Referer of the next page (``strict-origin``: only the site's address, never the
    path with the token; not ``no-referrer``, with which Chromium sends ``Origin: null`` on
    the page's own forms and the CSRF check refuses them)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)  # Cache-Control: no-store …
        response["Referrer-Policy"] = "strict-origin"
        return response

    return wrapped


@require_http_methods(["GET", "HEAD", "POST"])
@_private
def manage(request, token):
    """See and change a submission through the signed link from the e-mail."""
    kind, obj = _from_token(token)
    if obj is None:
        return _refused(request)
    form_class = OfferChangeForm if kind == "offer" else VolunteerForm
    if request.method == "POST":
        if rate_limited(request, "manage"):
            messages.error(request, _("Too many attempts. Please try again in an hour."))
            return redirect("network-manage", token=token)
        form = form_class(request.POST, instance=obj)
        if form.is_valid():
            if kind == "offer":
                published = obj.status == Offer.Status.PUBLISHED
                services.offer_change_by_submitter(
                    offer=obj,
                    offer_data={**form.cleaned_data, "time": form.time_data()},
                    build_url=_build_url(request),
                    proposal=(
                        moderation.proposal_from_change(obj, form, get_language())
                        if published
                        else None
                    ),
                )
                messages.success(
                    request,
                    _(
                        "Thank you. Your offer stays in the directory as it is until the team "
                        "has checked your change."
                    )
                    if published
                    else _(
                        "Your changes were saved. The offer is checked again before it is shown."
                    ),
                )
            else:
                services.volunteer_change_by_volunteer(volunteer=obj, data=form.cleaned_data)
                messages.success(request, _("Your changes were saved."))
            return redirect("network-manage", token=token)
        obj.refresh_from_db()
    pending = None
    if kind == "offer":
        pending = obj.revisions.filter(status=OfferRevision.Status.PENDING).first()
    if request.method != "POST":
        initial = {}
        if pending is not None:
            initial = moderation.change_initial(pending.data, form_class, get_language())
        form = form_class(instance=obj, initial=initial)
    return render(
        request,
        "network/manage.html",
        {"kind": kind, "obj": obj, "form": form, "token": token, "pending_change": pending},
    )


@require_POST
@_private
def confirm(request, token):
    """The submitter confirms through the signed link that the offer is still current."""
    kind, obj = _from_token(token)
    if obj is None or kind != "offer":
        return _refused(request)
    if rate_limited(request, "manage"):
        messages.error(request, _("Too many attempts. Please try again in an hour."))
        return redirect("network-manage", token=token)
    try:
        services.offer_confirm(offer=obj)
    except services.NotConfirmable:
        messages.error(
            request,
            _("This offer cannot be confirmed now. Please change it or send it again."),
        )
    else:
        messages.success(request, _("Thank you: the offer stays in the directory for a year."))
    return redirect("network-manage", token=token)


@require_POST
@_private
def withdraw(request, token):
    kind, obj = _from_token(token)
    if obj is None:
        return _refused(request)
    if kind == "offer":
        services.offer_withdraw(offer=obj)
    else:
        services.volunteer_withdraw(volunteer=obj)
    return render(request, "network/withdrawn.html", {"kind": kind})
