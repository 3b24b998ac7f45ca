"""Writes of casework records: atomic, validated, logged."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalwillkommen.accesslog import log_access
from lokalwillkommen.models import AccessLog

from .models import (
    Consultation,
    ConsultationTopic,
    HomeVisit,
    Household,
    HouseholdNeed,
    Referral,
    SubmissionToken,
)

Action = AccessLog.Action


class StaleEditError(Exception):
    """The record changed since the form was opened."""

    message = _(
        "Somebody else changed this record after you opened it. Your input is still in the "
        "form: compare it with the current record (open it in a new tab) and save again."
    )


class DuplicateSubmissionError(Exception):
    """The form with this one-time token was saved already."""


class AnonymisedError(Exception):
    message = _("This household has been anonymised and can no longer be changed.")


# One-time form tokens -------------------------------------------------------------------


def submission_result(*, token: str, user) -> str | None:
    """Where ``user``'s earlier submission of this token led, or None when it is new."""
    if not token:
        return None
    return (
        SubmissionToken.objects.filter(token=token, user=user)
        .values_list("redirect_to", flat=True)
        .first()
    )


def submission_claim(*, token: str, user, redirect_to: str) -> None:
    """Mark the token used; call inside the transaction that does the work, so that a
    concurrent second submit rolls the whole work back."""
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(token=token, user=user, redirect_to=redirect_to)
    except IntegrityError:
        raise DuplicateSubmissionError from None


def submission_tokens_purge(*, older_than: timedelta = timedelta(days=2)) -> int:
    deleted, _rows = SubmissionToken.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


# Optimistic locking ---------------------------------------------------------------------


def _save_versioned(instance, expected_version: int | None) -> None:
    """Save ``instance`` only if nobody saved it since ``expected_version`` was read."""
    model = type(instance)
    if expected_version is None:
        expected_version = instance.version
    # select_for_update makes concurrent savers on PostgreSQL wait for each other; the
    # conditional UPDATE then lets exactly one of them win on every database.
    model.objects.select_for_update().filter(pk=instance.pk).first()
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if updated != 1:
        raise StaleEditError
    instance.version = expected_version + 1
    instance.full_clean()
    instance.save()


# Households -----------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"LW-{year}-"
    last = Household.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))[
        "m"
    ]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _set_needs(household: Household, needs: Iterable[str]) -> None:
    wanted = set(needs)
    existing = set(household.needs.values_list("need", flat=True))
    household.needs.filter(need__in=existing - wanted).delete()
    HouseholdNeed.objects.bulk_create(
        [HouseholdNeed(household=household, need=n) for n in sorted(wanted - existing)]
    )


@transaction.atomic
def household_create(*, household: Household, needs: Iterable[str], languages, user) -> Household:
    """Save a new household with a fresh reference; consent must be recorded."""
    if not household.consent_given_on or not household.consent_scope:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Consent must be recorded before a household is saved."))
    household.consent_recorded_by = user
    if household.status == Household.Status.CLOSED:
        household.closed_at = timezone.now()
    year = timezone.localdate().year
    for _attempt in range(5):
        household.reference = _next_reference(year)
        household.full_clean()
        try:
            with transaction.atomic():
                household.save()
            break
        except IntegrityError:
            household.pk = None
            continue
    else:  # pragma: no cover
        raise IntegrityError("no free household reference")
    household.languages.set(languages)
    _set_needs(household, needs)
    log_access(user=user, action=Action.CREATE, subject=household)
    return household


@transaction.atomic
def household_update(
    *, household: Household, expected_version: int, needs: Iterable[str], languages, user,
    consent_changed: bool = False,
) -> Household:
    current = Household.objects.get(pk=household.pk)
    if current.is_anonymised:
        raise AnonymisedError
    if household.status == Household.Status.CLOSED and not current.closed_at:
        household.closed_at = timezone.now()
    elif household.status != Household.Status.CLOSED:
        household.closed_at = None
    if consent_changed:
        household.consent_recorded_by = user
    _save_versioned(household, expected_version)
    household.languages.set(languages)
    _set_needs(household, needs)
    log_access(user=user, action=Action.CHANGE, subject=household)
    return household


def _advance_status(household: Household, status: str) -> None:
    order = [s.value for s in Household.Status]
    if order.index(status) > order.index(household.status):
        Household.objects.filter(pk=household.pk).update(status=status)
        household.status = status


# Visits ---------------------------------------------------------------------------------


@transaction.atomic
def visit_create(*, visit: HomeVisit, user) -> HomeVisit:
    if visit.household.is_anonymised:
        raise AnonymisedError
    if visit.staff_id is None:
        visit.staff = user
    visit.full_clean()
    visit.save()
    if visit.status == HomeVisit.Status.DONE:
        _advance_status(visit.household, Household.Status.VISITED)
    log_access(
        user=user, action=Action.CHANGE, subject=visit.household,
        detail=f"visit {visit.pk} {visit.status}",
    )
    return visit


@transaction.atomic
def visit_update(*, visit: HomeVisit, expected_version: int, user) -> HomeVisit:
    if visit.household.is_anonymised:
        raise AnonymisedError
    _save_versioned(visit, expected_version)
    if visit.status == HomeVisit.Status.DONE:
        _advance_status(visit.household, Household.Status.VISITED)
    log_access(
        user=user, action=Action.CHANGE, subject=visit.household,
        detail=f"visit {visit.pk} {visit.status}",
    )
    return visit


@transaction.atomic
def visit_mark_missed(*, visit: HomeVisit, expected_version: int, user) -> HomeVisit:
    visit.status = HomeVisit.Status.MISSED
    return visit_update(visit=visit, expected_version=expected_version, user=user)


# Referrals ------------------------------------------------------------------------------


@transaction.atomic
def referral_create(*, referral: Referral, user) -> Referral:
    if referral.household_id and referral.household.is_anonymised:
        raise AnonymisedError
    if not referral.category and referral.offer_id:
        referral.category = referral.offer.category
    if referral.consultation_id:
        referral.office_id = referral.consultation.office_id
        referral.household_id = referral.household_id or referral.consultation.household_id
    referral.created_by = user
    referral.full_clean()
    referral.save()
    if referral.household_id:
        log_access(
            user=user, action=Action.CHANGE, subject=referral.household,
            detail=f"referral {referral.pk}",
        )
    return referral


@transaction.atomic
def referral_update(*, referral: Referral, expected_version: int, user) -> Referral:
    _save_versioned(referral, expected_version)
    if referral.household_id:
        if referral.status == Referral.Status.TAKEN_UP:
            _advance_status(referral.household, Household.Status.IN_SUPPORT)
        log_access(
            user=user, action=Action.CHANGE, subject=referral.household,
            detail=f"referral {referral.pk} {referral.status}",
        )
    return referral


# Consultations --------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *, consultation: Consultation, topics: Iterable[str], user, referral: Referral | None = None
) -> Consultation:
    if consultation.household_id and consultation.household.is_anonymised:
        raise AnonymisedError
    if consultation.staff_id is None:
        consultation.staff = user
    consultation.full_clean()
    consultation.save()
    ConsultationTopic.objects.bulk_create(
        [ConsultationTopic(consultation=consultation, topic=t) for t in sorted(set(topics))]
    )
    if referral is not None:
        referral.consultation = consultation
        referral.household = consultation.household
        referral_create(referral=referral, user=user)
    if consultation.household_id:
        log_access(
            user=user, action=Action.CHANGE, subject=consultation.household,
            detail=f"consultation {consultation.pk}",
        )
    return consultation


# Corrections: the author may correct or delete a consultation for ten minutes ------------

CORRECTION_WINDOW = timedelta(minutes=10)


class CorrectionClosedError(Exception):
    """Only the author corrects or deletes a consultation, and only shortly after saving."""

    message = _(
        "A consultation can be corrected or deleted only by the staff member who logged it, "
        "within 10 minutes of saving it. Ask a coordinator if something is still wrong."
    )


def consultation_correctable_until(consultation: Consultation):
    return consultation.created_at + CORRECTION_WINDOW


def consultation_correctable(consultation: Consultation, user, *, now=None) -> bool:
    """Whether ``user`` may still correct or delete ``consultation``: its author, within
    ``CORRECTION_WINDOW`` of saving it."""
    now = now or timezone.now()
    return (
        user is not None
        and user.is_authenticated
        and consultation.staff_id == user.pk
        and now <= consultation_correctable_until(consultation)
    )


def _log_consultation(consultation: Consultation, households, *, user, action, detail) -> None:
    """One entry per household the consultation is (or was) linked to; an anonymous
    consultation is logged under its own record."""
    subjects = [h for h in households if h is not None] or [consultation]
    for subject in subjects:
        log_access(user=user, action=action, subject=subject, detail=detail)


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, topics: Iterable[str], expected_version: int, user,
    changed: Iterable[str] = (),
) -> Consultation:
    """Save the author's correction of a consultation (within the window), logged."""
    current = Consultation.objects.select_for_update(of=("self",)).select_related("household").get(
        pk=consultation.pk
    )
    if not consultation_correctable(current, user):
        raise CorrectionClosedError
    if consultation.household_id and consultation.household.is_anonymised:
        raise AnonymisedError
    _save_versioned(consultation, expected_version)
    wanted = set(topics)
    existing = set(consultation.topics.values_list("topic", flat=True))
    consultation.topics.filter(topic__in=existing - wanted).delete()
    ConsultationTopic.objects.bulk_create(
        [ConsultationTopic(consultation=consultation, topic=t) for t in sorted(wanted - existing)]
    )
    households = {current.household_id: current.household,
                  consultation.household_id: consultation.household}
    fields = ", ".join(sorted(set(changed) - {"form_token", "version"}))
    _log_consultation(
        consultation, households.values(), user=user, action=Action.CHANGE,
        detail=f"consultation {consultation.pk} corrected" + (f": {fields}" if fields else ""),
    )
    return consultation


@transaction.atomic
def consultation_delete(*, consultation: Consultation, user) -> None:
    """Delete a consultation logged by mistake (the author, within the window), logged; its
    topics and the referrals made with it go too."""
    current = Consultation.objects.select_for_update(of=("self",)).select_related("household").get(
        pk=consultation.pk
    )
    if not consultation_correctable(current, user):
        raise CorrectionClosedError
    _log_consultation(
        current, [current.household], user=user, action=Action.DELETE,
        detail=f"consultation {current.pk} deleted ({current.office_id}, "
        f"{timezone.localtime(current.held_at):%Y-%m-%d %H:%M})",
    )
    current.delete()


# Privacy: anonymisation, erasure, export ------------------------------------------------


def _wipe(household: Household) -> None:
    now = timezone.now()
    household.contact_name = ""
    household.phone = ""
    household.street = ""
    household.postcode = ""
    household.previous_housing = ""
    household.notes = ""
    if household.moved_in_on:  # keep the month for statistics, not the day
        household.moved_in_on = household.moved_in_on.replace(day=1)
    household.status = Household.Status.CLOSED
    household.closed_at = household.closed_at or now
    household.anonymised_at = now
    household.version += 1
    household.save()
    household.visits.update(information_given="", notes="", next_follow_up_on=None)
    household.referrals.update(notes="")
    Consultation.objects.filter(household=household).update(notes="")
    Referral.objects.filter(consultation__household=household).update(notes="")
    _end_open_work(household)


def _end_open_work(household: Household) -> None:
    """Planned visits and referrals still waiting for an outcome end: nobody visits or follows
    up a household whose consent is withdrawn or whose data is erased, and no colleague's
    overview lists them any longer. (The version goes up: a form opened before is stale.)"""
    household.visits.filter(status=HomeVisit.Status.PLANNED).update(
        status=HomeVisit.Status.CANCELLED, version=F("version") + 1
    )
    Referral.objects.filter(
        Q(household=household) | Q(consultation__household=household),
        status__in=Referral.OPEN_STATUSES,
    ).update(status=Referral.Status.CANCELLED, follow_up_on=None, version=F("version") + 1)


@transaction.atomic
def household_anonymise(*, household: Household, user=None, reason: str = "") -> bool:
    """Remove every personal field and free-text note; keep counts and categories.
    Returns False if it was anonymised already (idempotent)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.is_anonymised:
        return False
    _wipe(household)
    log_access(user=user, action=Action.ANONYMISE, subject=household, detail=reason)
    return True


@transaction.atomic
def household_withdraw_consent(*, household: Household, user) -> bool:
    """Withdrawn consent: the household is anonymised at once."""
    return household_anonymise(household=household, user=user, reason="consent withdrawn")


@transaction.atomic
def household_erase(*, household: Household, user) -> None:
    """Art. 17 erasure: every personal datum goes; the anonymous counts stay."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not household.is_anonymised:
        _wipe(household)
    _end_open_work(household)
    log_access(user=user, action=Action.ERASE, subject=household, detail="Art. 17")


def retention_cutoff(*, now=None) -> date:
    months = int(getattr(settings, "LW_RETENTION_MONTHS", 24))
    today = timezone.localdate(now) if now else timezone.localdate()
    year, month = divmod(today.year * 12 + (today.month - 1) - months, 12)
    day = min(today.day, 28)
    return date(year, month + 1, day)


def expired_households(*, now=None):
    cutoff = retention_cutoff(now=now)
    return Household.objects.filter(
        status=Household.Status.CLOSED, anonymised_at__isnull=True, closed_at__date__lt=cutoff
    ).order_by("closed_at", "pk")


def idle_households(*, now=None):
    """Open households with no activity for the retention period: no change to the record,
    no visit, consultation or referral since (a change to any of them is in the access log)."""
    cutoff = retention_cutoff(now=now)

    def since(model, field):
        return Exists(
            model.objects.filter(household=OuterRef("pk"), **{f"{field}__date__gte": cutoff})
        )

    changed = Exists(
        AccessLog.objects.filter(
            subject_type=Household._meta.model_name,
            subject_id=OuterRef("pk"),
            action__in=[Action.CREATE, Action.CHANGE],
            at__date__gte=cutoff,
        )
    )
    return (
        Household.objects.filter(
            anonymised_at__isnull=True, created_at__date__lt=cutoff, updated_at__date__lt=cutoff
        )
        .exclude(status=Household.Status.CLOSED)
        .exclude(since(HomeVisit, "scheduled_at"))
        .exclude(since(Consultation, "held_at"))
        .exclude(since(Referral, "created_at"))
        .exclude(changed)
        .order_by("updated_at", "pk")
    )


def anonymise_expired(*, dry_run: bool = False, now=None) -> list[str]:
    """Anonymise every household past the retention period, closed ones and open ones without
    activity; returns the references."""
    done = []
    for households, reason in (
        (expired_households(now=now), "retention period expired"),
        (idle_households(now=now), "retention period without activity expired"),
    ):
        for household in households:
            if dry_run or household_anonymise(household=household, user=None, reason=reason):
                done.append(household.reference)
    if not dry_run:
        submission_tokens_purge()
    return done


def consultation_notes_expire(*, before) -> int:
    """Empty the notes of anonymous consultations held before ``before``, and of their
    referrals (those of a household go with the household's anonymisation)."""
    consultations = Consultation.objects.filter(household__isnull=True, held_at__lt=before)
    count = consultations.exclude(notes="").update(notes="")
    count += (
        Referral.objects.filter(household__isnull=True, consultation__in=consultations)
        .exclude(notes="")
        .update(notes="")
    )
    return count


def household_export(*, household: Household, user) -> dict:
    """Everything stored about one household (Art. 15), logged."""
    from .selectors import household_export_data

    data = household_export_data(household)
    log_access(user=user, action=Action.EXPORT, subject=household)
    return data
