"""Staff pages of the casework. Every record is read through ``selectors`` (the access
scope) and written through ``services``."""

import json
from functools import lru_cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lokalwillkommen import reference
from lokalwillkommen.accesslog import log_access, logs_searches
from lokalwillkommen.addresses import address_maker
from lokalwillkommen.categories import Need
from lokalwillkommen.models import AccessLog
from lokalwillkommen.plainforms import PlainFields
from lokalwillkommen.roles import coordinator_required, staff_required

from . import (
    deadlines,
    exports,
    gaps,
    matching,
    report_markup,
    reports,
    row_markup,
    selectors,
    services,
    sheets,
)
from .forms import (
    ConsultationCorrectionForm,
    ConsultationForm,
    HouseholdFilterForm,
    HouseholdForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReportPeriodForm,
    VisitForm,
    VolunteerMatchForm,
)
from .models import HomeVisit, Household, Referral

GET_POST = require_http_methods(["GET", "POST"])


def _form_page(request, form, work, *, template, context, success):
    """The form's page: shown (400 with the messages when it does not validate); on a valid
    POST, ``work()`` is run through ``_guarded_save``."""
    if request.method != "POST" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, template, {**context, "form": form}, status=status)
    return _guarded_save(request, form, work, template=template, context=context, success=success)


def _guarded_save(request, form, work, *, template, context, success):
    """Run ``work()`` (returns the URL to go to) once per form token, atomically.

    A second submit of the same form goes to the first result; a stale version or a
    failed validation shows the form again with the user's input and a message."""
    token = form.cleaned_data.get("form_token") or ""
    earlier = services.submission_result(token=token, user=request.user)
    if earlier:
        messages.info(request, _("This form was saved already."))
        return redirect(earlier)
    try:
        with transaction.atomic():
            url = work()
            if token:
                services.submission_claim(token=token, user=request.user, redirect_to=url)
    except services.DuplicateSubmissionError:
        messages.info(request, _("This form was saved already."))
        return redirect(
            services.submission_result(token=token, user=request.user)
            or reverse("staff-dashboard")
        )
    except services.StaleEditError as exc:
        form.add_error(None, exc.message)
        instance = getattr(form, "instance", None)
        if instance is not None and instance.pk:
            data = form.data.copy()
            data["version"] = str(type(instance).objects.get(pk=instance.pk).version)
            form.data = data
        return render(request, template, {**context, "form": form}, status=409)
    except services.AnonymisedError as exc:
        messages.error(request, exc.message)
        return render(request, template, {**context, "form": form}, status=409)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return render(request, template, {**context, "form": form}, status=400)
    messages.success(request, success)
    return redirect(url)


# Dashboard and lists ----------------------------------------------------------------------


@staff_required
def dashboard(request):
    dashboard = row_markup.add_markup(selectors.dashboard_for(request.user))
    return render(request, "consultations/dashboard.html", dashboard)


@staff_required
@logs_searches("household", where="household list")  # a name search, without its text
def household_list(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    households = selectors.household_list(
        request.user, **{k: v for k, v in filters.items() if v}
    )
    page = Paginator(households, 25).get_page(request.GET.get("page"))
    page.object_list = _household_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consultations/household_list.html",
        {
            "fields": form.plain_fields(),
            "page": page,
            "rows_html": row_markup.household_rows(page.object_list, _column_labels()),
            "query": query.urlencode(),
        },
    )


def _column_labels() -> dict:
    """The household list's column names that its rows repeat as card labels."""
    return {
        "district": _("District"),
        "status": _("Status"),
        "first_visit": _("First visit by"),
        "team": _("Team"),
    }


class HouseholdRow(dict):
    """One row of the household list: a dict, which the template looks up fastest, whose keys
    also read as attributes (``row.reference``, ``row.team.slug``) in Python."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=16)
def _row_labels(language: str) -> tuple[dict, dict]:
    """The status and need labels in ``language`` (the active one)."""
    return (
        {value: str(label) for value, label in Household.Status.choices},
        {value: str(label) for value, label in Need.choices},
    )


def _household_rows(values) -> list[HouseholdRow]:
    """The list's cells as plain strings, from plain values rather than model instances: labels
    translated once per request, not per row, and the detail address reversed once (with a
    placeholder for the key), not once per row; the needs of the page in one query."""
    values = list(values)
    needs = selectors.needs_by_household([row[0] for row in values])
    status_labels, need_labels = _row_labels(get_language())
    url = address_maker("consultations-household-detail")
    limits = deadlines.cutoffs()
    return [
        HouseholdRow(
            pk=pk,
            url=url(pk),
            reference=reference,
            contact_name=contact_name or "–",
            district=district,
            status=status_labels.get(status, status),
            needs=", ".join(need_labels.get(need, need) for need in needs.get(pk, ())),
            team=HouseholdRow(name=team, slug=team_slug),
            **_first_visit_cells(deadlines.first_visit(moved_in_on, status, limits)),
        )
        for pk, reference, contact_name, status, district, team, team_slug, moved_in_on in values
    ]


def _first_visit_cells(found: deadlines.FirstVisit) -> dict:
    return {"first_visit": deadlines.badge_html(found), "first_visit_state": found.state}


@staff_required
def household_detail(request, pk):
    household = selectors.get_household_for(request.user, pk)
    log_access(user=request.user, action=AccessLog.Action.VIEW, subject=household)
    timeline = selectors.household_timeline(household)
    return render(
        request,
        "consultations/household_detail.html",
        {
            "household": household,
            "needs": household.needs.all(),
            "languages": household.languages.all(),
            "timeline": timeline,
            "sheet_languages": selectors.sheet_languages(),
            "correctable": {
                entry["item"].pk
                for entry in timeline
                if entry["kind"] == "consultation"
                and services.consultation_correctable(entry["item"], request.user)
            },
        },
    )


# Households ------------------------------------------------------------------------------


@staff_required
@GET_POST
def household_create(request):
    template = "consultations/household_form.html"
    form = HouseholdForm(request.POST or None, user=request.user)

    def work():
        household = services.household_create(
            household=form.instance,
            needs=form.cleaned_data["needs"],
            languages=form.cleaned_data["languages"],
            user=request.user,
        )
        return household.get_absolute_url()

    return _form_page(
        request, form, work, template=template, context={},
        success=_("The household was saved."),
    )


@staff_required
@GET_POST
def household_edit(request, pk):
    household = selectors.get_household_for(request.user, pk)
    if household.is_anonymised:
        messages.error(request, services.AnonymisedError.message)
        return redirect(household)
    template = "consultations/household_form.html"
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    context = {"household": household}
    if request.method == "GET":
        log_access(
            user=request.user, action=AccessLog.Action.VIEW, subject=household,
            detail="edit form",
        )

    def work():
        services.household_update(
            household=form.instance,
            expected_version=form.cleaned_data["version"] or 0,
            needs=form.cleaned_data["needs"],
            languages=form.cleaned_data["languages"],
            user=request.user,
            consent_changed=bool(
                {"consent_given_on", "consent_scope"} & set(form.changed_data)
            ),
        )
        return household.get_absolute_url()

    return _form_page(
        request, form, work, template=template, context=context,
        success=_("The household was saved."),
    )


@staff_required
@GET_POST
def household_withdraw_consent(request, pk):
    household = selectors.get_household_for(request.user, pk)
    if request.method == "POST":
        services.household_withdraw_consent(household=household, user=request.user)
        messages.success(
            request, _("Consent was withdrawn: the household's personal data was removed.")
        )
        return redirect(household)
    return render(
        request, "consultations/household_confirm.html",
        {"household": household, "action": "withdraw"},
    )


# Visits ---------------------------------------------------------------------------------


@staff_required
@GET_POST
def visit_create(request, pk):
    household = selectors.get_household_for(request.user, pk)
    if household.is_anonymised:
        messages.error(request, services.AnonymisedError.message)
        return redirect(household)
    template = "consultations/visit_form.html"
    visit = HomeVisit(household=household)
    form = VisitForm(
        request.POST or None, instance=visit, household=household, user=request.user
    )
    context = {"household": household}

    def work():
        services.visit_create(visit=form.instance, user=request.user)
        return household.get_absolute_url()

    return _form_page(
        request, form, work, template=template, context=context,
        success=_("The visit was saved."),
    )


@staff_required
@GET_POST
def visit_edit(request, pk):
    visit = selectors.get_visit_for(request.user, pk)
    household = visit.household
    if household.is_anonymised:
        messages.error(request, services.AnonymisedError.message)
        return redirect(household)
    template = "consultations/visit_form.html"
    initial = {}
    if request.GET.get("log") and visit.status == HomeVisit.Status.PLANNED:
        initial["status"] = HomeVisit.Status.DONE
    form = VisitForm(
        request.POST or None, instance=visit, household=household, initial=initial,
        user=request.user,
    )
    context = {"household": household, "visit": visit}
    if request.method == "GET":
        log_access(
            user=request.user, action=AccessLog.Action.VIEW, subject=household,
            detail=f"visit {visit.pk} edit form",
        )

    def work():
        services.visit_update(
            visit=form.instance,
            expected_version=form.cleaned_data["version"] or 0,
            user=request.user,
        )
        return household.get_absolute_url()

    return _form_page(
        request, form, work, template=template, context=context,
        success=_("The visit was saved."),
    )


@staff_required
@require_POST
def visit_missed(request, pk):
    visit = selectors.get_visit_for(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        services.visit_mark_missed(visit=visit, expected_version=version, user=request.user)
    except services.StaleEditError as exc:
        messages.error(request, exc.message)
    except services.AnonymisedError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The visit was marked as missed."))
    return redirect(visit.household)


# Referrals ------------------------------------------------------------------------------


@staff_required
@GET_POST
def referral_create(request, pk):
    household = selectors.get_household_for(request.user, pk)
    if household.is_anonymised:
        messages.error(request, services.AnonymisedError.message)
        return redirect(household)
    template = "consultations/referral_form.html"
    referral = Referral(household=household)
    visit_id = request.GET.get("visit") or request.POST.get("visit")
    if visit_id:
        referral.visit = household.visits.filter(pk=visit_id).first() if visit_id.isdigit() \
            else None
    needs = list(household.needs.values_list("need", flat=True))
    language_ids = list(household.languages.values_list("id", flat=True))
    need = request.GET.get("need", "")
    form = ReferralForm(
        request.POST or None,
        instance=referral,
        user=request.user,
        household=household,
        language_ids=language_ids,
    )
    if not form.is_bound and need in needs:
        form.initial["category"] = need
    context = {
        "household": household,
        "visit": referral.visit,
        "needs": [(value, Need(value).label) for value in needs],
        "need": need if need in needs else "",
        "suggestions": matching.offer_suggestions(
            needs=[need] if need in needs else needs,
            language_ids=language_ids,
            district_id=household.district_id,
        ),
    }

    def work():
        services.referral_create(referral=form.instance, user=request.user)
        return household.get_absolute_url()

    return _form_page(
        request, form, work, template=template, context=context,
        success=_("The referral was saved."),
    )


@staff_required
@GET_POST
def referral_edit(request, pk):
    referral = selectors.get_referral_for(request.user, pk)
    if referral.household_id and referral.household.is_anonymised:
        messages.error(request, services.AnonymisedError.message)
        return redirect(referral.household)
    template = "consultations/referral_outcome.html"
    form = ReferralOutcomeForm(request.POST or None, instance=referral, user=request.user)
    context = {"referral": referral, "household": referral.household}
    if request.method == "GET":
        log_access(
            user=request.user, action=AccessLog.Action.VIEW,
            subject=referral.household or referral, detail=f"referral {referral.pk} edit form",
        )

    def work():
        services.referral_update(
            referral=form.instance,
            expected_version=form.cleaned_data["version"] or 0,
            user=request.user,
        )
        if referral.household_id:
            return referral.household.get_absolute_url()
        return reverse("staff-dashboard")

    return _form_page(
        request, form, work, template=template, context=context,
        success=_("The referral was saved."),
    )


# Consultations --------------------------------------------------------------------------


LAST_OFFICE = "lw_last_office"


@staff_required
@GET_POST
def consultation_create(request):
    template = "consultations/consultation_form.html"
    office, open_now = selectors.default_office(
        request.user, last_used=request.session.get(LAST_OFFICE)
    )
    form = ConsultationForm(
        request.POST or None, user=request.user, default_office=office, open_offices=open_now
    )

    def work():
        consultation = form.instance
        consultation.household = form.cleaned_data["household_reference"]
        services.consultation_create(
            consultation=consultation,
            topics=form.cleaned_data["topics"],
            user=request.user,
            referral=form.referral(),
        )
        request.session[LAST_OFFICE] = consultation.office_id
        if consultation.household_id:
            return consultation.household.get_absolute_url()
        return reverse("consultations-consultation-create")

    return _form_page(
        request, form, work, template=template,
        context={"recent": selectors.recent_consultations(request.user)},
        success=_(
            "The consultation was saved. You can correct or delete it for 10 minutes "
            "(under “Log a consultation”)."
        ),
    )


def _correction_refused(request, consultation):
    return render(
        request,
        "consultations/consultation_closed.html",
        {"consultation": consultation, "message": services.CorrectionClosedError.message},
        status=403,
    )


@staff_required
@GET_POST
def consultation_edit(request, pk):
    consultation = selectors.get_consultation_for(request.user, pk)
    if not services.consultation_correctable(consultation, request.user):
        return _correction_refused(request, consultation)
    template = "consultations/consultation_edit.html"
    form = ConsultationCorrectionForm(request.POST or None, user=request.user,
                                      instance=consultation)
    context = {
        "consultation": consultation,
        "until": services.consultation_correctable_until(consultation),
    }

    def work():
        corrected = form.instance
        corrected.household = form.cleaned_data["household_reference"]
        services.consultation_update(
            consultation=corrected,
            topics=form.cleaned_data["topics"],
            expected_version=form.cleaned_data["version"] or 0,
            user=request.user,
            changed=form.changed_data,
        )
        request.session[LAST_OFFICE] = corrected.office_id
        if corrected.household_id:
            return corrected.household.get_absolute_url()
        return reverse("consultations-consultation-create")

    try:
        return _form_page(
            request, form, work, template=template, context=context,
            success=_("The consultation was corrected."),
        )
    except services.CorrectionClosedError:
        return _correction_refused(request, consultation)


@staff_required
@GET_POST
def consultation_delete(request, pk):
    consultation = selectors.get_consultation_for(request.user, pk)
    if not services.consultation_correctable(consultation, request.user):
        return _correction_refused(request, consultation)
    if request.method == "POST":
        household = consultation.household
        try:
            services.consultation_delete(consultation=consultation, user=request.user)
        except services.CorrectionClosedError:
            return _correction_refused(request, consultation)
        messages.success(request, _("The consultation was deleted."))
        if household is not None:
            return redirect(household)
        return redirect("consultations-consultation-create")
    return render(
        request,
        "consultations/consultation_delete.html",
        {
            "consultation": consultation,
            "topics": consultation.topics.all(),
            "referrals": consultation.referrals.count(),
            "until": services.consultation_correctable_until(consultation),
        },
    )


# Volunteers for a household or a gap -------------------------------------------------------


@staff_required
def volunteer_match(request):
    """Volunteers for a household's need (``?household=``, read through the access scope) or
    for a gap (``?need=&languages=&district=``), each with the reasons it matched."""
    household = None
    data = request.GET.copy()
    if request.GET.get("household"):
        household = selectors.get_household_for(request.user, request.GET["household"])
        if household.is_anonymised:
            raise Http404
        needs = list(household.needs.values_list("need", flat=True))
        data.setdefault("need", needs[0] if needs else "")
        if "languages" not in request.GET:
            data.setlist("languages", list(household.languages.values_list("code", flat=True)))
        data.setdefault("district", household.district.slug)
    form = VolunteerMatchForm(data)
    found = []
    if form.is_valid():
        filters = form.cleaned_data
        skills = set(matching.NEED_SKILLS.get(filters["need"], ())) if filters["need"] else set()
        if filters["skill"]:
            skills = {filters["skill"]}
        languages = reference.by_key("languages")
        district = reference.by_key("districts").get(filters["district"])
        found = matching.volunteer_matches(
            skills=skills,
            language_ids={languages[c].id for c in filters["languages"] if c in languages},
            district_id=district.id if district else None,
            availability=filters["availability"],
        )
    if household is not None:
        log_access(user=request.user, action=AccessLog.Action.VIEW, subject=household,
                   detail="volunteer match")
    return render(
        request,
        "consultations/volunteer_match.html",
        {"form": form, "household": household, "volunteers": found},
        status=200 if form.is_valid() else 400,
    )


# Printable sheets -------------------------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@staff_required
def office_sheet(request, slug):
    """The A4 sheet of an office (its hours and a QR code to its page), in ``?lang=``."""
    from offices.models import Office

    office = Office.objects.filter(slug=slug).first()
    if office is None:
        raise Http404
    language = sheets.sheet_language([get_language()], request.GET.get("lang", ""))
    content = sheets.office_sheet(office, language=language, base_url=_base_url(request))
    return _pdf_response(content, f"lokal-willkommen-{office.slug}-{language}.pdf")


@staff_required
def visit_sheet(request, pk):
    """The sheet left with a household after a visit, in its language (or ``?lang=``)."""
    visit = selectors.get_visit_for(request.user, pk)
    household = visit.household
    if household.is_anonymised:
        raise Http404
    language = sheets.sheet_language(
        household.languages.values_list("code", flat=True), request.GET.get("lang", "")
    )
    content = sheets.visit_sheet(
        visit,
        office=selectors.office_for_household(household),
        language=language,
        base_url=_base_url(request),
    )
    log_access(user=request.user, action=AccessLog.Action.VIEW, subject=household,
               detail=f"visit sheet {visit.pk} ({language})")
    return _pdf_response(content, f"{household.reference}-{language}.pdf")


# Coordinators: access log, export, erasure ---------------------------------------------


@coordinator_required
def access_log(request):
    entries = AccessLog.objects.select_related(None).order_by("-at", "-id")
    reference = request.GET.get("record", "").strip()
    if reference:
        entries = entries.filter(subject_label__icontains=reference)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request, "consultations/access_log.html", {"page": page, "record": reference}
    )


@coordinator_required
def household_export(request, pk):
    household = selectors.get_household_for(request.user, pk)
    data = services.household_export(household=household, user=request.user)
    return render(
        request, "consultations/household_export.html", {"household": household, "data": data}
    )


@coordinator_required
def household_export_json(request, pk):
    household = selectors.get_household_for(request.user, pk)
    data = services.household_export(household=household, user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{household.reference}.json"'
    response["Cache-Control"] = "no-store"
    return response


@coordinator_required
@GET_POST
def household_erase(request, pk):
    household = selectors.get_household_for(request.user, pk)
    if request.method == "POST":
        if request.POST.get("confirm") != household.reference:
            messages.error(
                request, _("Type the household's reference to confirm the erasure.")
            )
        else:
            services.household_erase(household=household, user=request.user)
            messages.success(
                request,
                _("The household's personal data was erased; only anonymous counts remain."),
            )
            return redirect(household)
    return render(
        request, "consultations/household_confirm.html",
        {"household": household, "action": "erase"},
        status=400 if request.method == "POST" else 200,
    )



# Reports and the gap analysis -------------------------------------------------------------


def _report_form(request):
    """The period form, bound to the query string (the current quarter when it is empty)."""
    if "period" in request.GET:
        return ReportPeriodForm(request.GET, user=request.user)
    today = timezone.localdate()
    data = QueryDict(mutable=True)
    data.update({"period": "quarter", "year": today.year, "quarter": (today.month - 1) // 3 + 1})
    return ReportPeriodForm(data, user=request.user)


@staff_required
def reports_page(request):
    form = _report_form(request)
    # plain markup; the team and office choices are the user's own
    fields = PlainFields(form, personal=frozenset({"team", "office"}))
    context = {"form": form, "fields": fields, "tables": [], "query": ""}
    if not form.is_valid():
        return render(request, "consultations/reports.html", context, status=400)
    data = form.cleaned_data
    period = data["range"]
    tables = reports.report(request.user, period, team=data["team"], office=data["office"])
    query = form.data.copy()
    query.pop("page", None)
    query = query.urlencode()
    context.update(
        period=period,
        tables=[{"table": t, "html": report_markup.figure_html(t, query)} for t in tables],
        query=query,
    )
    return render(request, "consultations/reports.html", context)


def _report_table(request, table):
    if table not in reports.TABLE_SLUGS:
        raise Http404
    form = _report_form(request)
    if not form.is_valid():
        return None, None
    data = form.cleaned_data
    period = data["range"]
    found = reports.report_table(
        request.user, period, table, team=data["team"], office=data["office"]
    )
    rows = [
        [row.label, *(reports.small_count(n) if found.people else n for n in row.counts)]
        for row in found.rows
    ]
    name = f"report-{table}-{period.start.isoformat()}-{period.end.isoformat()}"
    return found, (name, [found.label_heading, *found.count_headings], rows)


@staff_required
def reports_csv(request, table):
    found, export = _report_table(request, table)
    if found is None:
        return HttpResponseBadRequest(_("The period is not valid."))
    name, header, rows = export
    return exports.csv_response(f"{name}.csv", header, rows)


@staff_required
def reports_xlsx(request, table):
    found, export = _report_table(request, table)
    if found is None:
        return HttpResponseBadRequest(_("The period is not valid."))
    name, header, rows = export
    return exports.xlsx_response(f"{name}.xlsx", [(str(found.title), header, rows)])


def _gap_language(request):
    """The heat map's language (``?language=ar``), or None for all languages."""
    row = reference.by_key("languages").get(request.GET.get("language", ""))
    return row


GAP_ROWS_SHOWN = 50


def _heat_cell(heat: gaps.HeatCell, no_offer: str, none: str) -> str:
    """One cell of the heat map: demand / offers, in words where there is no offer."""
    css = f"heat heat-{heat.level}" + (" heat-gap" if heat.no_offer else "")
    if not heat.demand and not heat.offers:
        return format_html(
            '<td class="{}"><span aria-hidden="true">·</span>'
            '<span class="visually-hidden">{}</span></td>', css, none,
        )
    note = ""
    if heat.no_offer:
        note = format_html("<br><strong>{}</strong>", no_offer)
    elif heat.gaps:
        note = format_html(
            "<br><span>{}</span>",
            ngettext("%(counter)s language without offer", "%(counter)s languages without offer",
                     heat.gaps) % {"counter": heat.gaps},
        )
    return format_html(
        '<td class="{}"><span class="text-nowrap">{} / {}</span>{}</td>',
        css, heat.demand, heat.offers, note,
    )


def _heat_rows(heat: list) -> list[dict]:
    no_offer, none = _("no offer"), _("none")
    return [
        {
            "district_name": row.district_name or _("no district"),
            "cells": [_heat_cell(cell, no_offer, none) for cell in row.cells],
        }
        for row in heat
    ]


def _gap_rows(cells) -> list[dict]:
    """The gaps the page lists, with their links, as plain values."""
    households = reverse("consultations-gap-households")
    volunteers = reverse("consultations-volunteer-match")
    rows = []
    for cell in cells:
        query = QueryDict(mutable=True)
        query.update({"district": cell.district_slug, "need": cell.need})
        if cell.language_code:
            query["language"] = cell.language_code
        rows.append(
            {
                "cell": cell,
                "district": cell.district_name or _("no district"),
                "language": cell.language_name or _("not recorded"),
                "households_url": f"{households}?{query.urlencode()}"
                if cell.households and cell.district_slug else "",
                "households_label": ngettext(
                    "%(count)s open household in %(district)s with the need %(need)s",
                    "%(count)s open households in %(district)s with the need %(need)s",
                    cell.households,
                ) % {"count": cell.households, "district": cell.district_name,
                     "need": cell.need_label},
                "volunteers_url": (
                    f"{volunteers}?need={cell.need}&languages={cell.language_code}"
                    f"&district={cell.district_slug}"
                ) if cell.language_code else "",
            }
        )
    return rows


@staff_required
def gaps_page(request):
    language = _gap_language(request)
    found = gaps.gap_analysis(request.user, language_id=language.id if language else None)
    trend = reports.Table(
        "trend", _("Demand per quarter"), _("Quarter"), [_("Demand")],
        [reports.Row(row.label, [row.demand]) for row in found.trend],
    )
    need_labels = dict(Need.choices)
    return render(
        request,
        "consultations/gaps.html",
        {
            "analysis": found,
            "heat_rows": _heat_rows(found.heat),
            "gaps": _gap_rows(found.gaps[:GAP_ROWS_SHOWN]),
            "gap_count": len(found.gaps),
            "needs": [(value, need_labels[value]) for value in Need.values],
            "needs_without_offer": [need_labels[n] for n in found.needs_without_offer],
            "language": language,
            "language_name": reference.labels("languages").get(language.id) if language
            else "",
            "languages": reference.choices("languages"),
            "trend": found.trend,
            "trend_chart": report_markup.chart_svg(
                reports.chart(trend), _("Demand per quarter")
            ),
            "trend_by_need": [
                (need_labels[need], [row.by_need.get(need, 0) for row in found.trend])
                for need in Need.values
            ],
        },
    )


def _gap_export(request):
    found = gaps.gap_analysis(request.user, trend=False)
    small = reports.small_count
    header = [
        _("District"), _("Need"), _("Language"), _("Open households"),
        _("Consultations since %(date)s") % {"date": found.since.isoformat()},
        _("Suggestions since %(date)s") % {"date": found.since.isoformat()},
        _("Offers in the district in this language"), _("Offers in the district"),
        _("Offers in neighbouring districts in this language"), _("Gap"),
    ]
    rows = [
        [
            cell.district_name or _("no district"),
            cell.need_label,
            cell.language_name or _("not recorded"),
            small(cell.households),
            small(cell.consultations),
            small(cell.suggestions),
            cell.offers,
            cell.offers_in_district,
            cell.offers_nearby,
            _("yes") if cell.is_gap else _("no"),
        ]
        for cell in found.cells
    ]
    return f"gaps-{found.today.isoformat()}", header, rows


@staff_required
def gaps_csv(request):
    name, header, rows = _gap_export(request)
    return exports.csv_response(f"{name}.csv", header, rows)


@staff_required
def gaps_xlsx(request):
    name, header, rows = _gap_export(request)
    return exports.xlsx_response(f"{name}.xlsx", [(str(_("Gap analysis")), header, rows)])


@staff_required
def gap_households(request):
    from lokalwillkommen.models import District

    need = request.GET.get("need", "")
    if need not in Need.values:
        raise Http404
    district = District.objects.filter(slug=request.GET.get("district", "")).first()
    if district is None:
        raise Http404
    language = reference.by_key("languages").get(request.GET.get("language", ""))
    households = gaps.gap_households(
        request.user, district=district, need=need,
        language_id=language.id if language else None,
    )
    page = Paginator(households, 25).get_page(request.GET.get("page"))
    detail = f"gap list: {district.slug} / {need}" + (f" / {language.key}" if language else "")
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=request.user, username=request.user.get_username(),
                action=AccessLog.Action.VIEW, subject_type=Household._meta.model_name,
                subject_id=h.pk, subject_label=h.reference, detail=detail,
            )
            for h in page
        ]
    )
    query = QueryDict(mutable=True)
    query.update({"district": district.slug, "need": need})
    if language:
        query["language"] = language.key
    return render(
        request,
        "consultations/gap_households.html",
        {"page": page, "district": district, "need": Need(need).label,
         "language": reference.labels("languages").get(language.id) if language else "",
         "query": query.urlencode()},
    )
