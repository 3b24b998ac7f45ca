"""Writes of the network app: submissions, moderation, volunteers, suggestions."""

import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from lokalwillkommen.roles import COORDINATOR

from . import links, search
from .models import (
    Offer,
    OfferRevision,
    OfferTime,
    Organisation,
    Suggestion,
    VolunteerRegistration,
)
from .protection import recipient_limited

UrlBuilder = Callable[[str], str]

logger = logging.getLogger(__name__)


RESERVED_SLUGS = {"submit"}


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    base = (slugify(text, allow_unicode=False) or "entry")[:150].strip("-") or "entry"
    slug, n = base, 1
    qs = model.objects.all()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or qs.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class DuplicateSubmission(Exception):
    """A form with this submission token was stored already (sent twice at once)."""


def _save_with_unique_slug(obj, text: str) -> None:
    """Save ``obj`` under a free slug made from ``text``; when a concurrent submission took the
    slug between the check and the insert, try the next one."""
    model = type(obj)
    for _attempt in range(5):
        obj.slug = unique_slug(model, text, exclude_pk=obj.pk)
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            token = getattr(obj, "submission_token", None)
            if token and model.objects.filter(submission_token=token).exists():
                raise DuplicateSubmission from None
            if not obj._state.adding:
                raise
            obj.pk = None
    raise IntegrityError("no free slug")  # pragma: no cover


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({f"{prefix}{key}": value for key, value in error.error_dict.items()})


def coordinator_emails() -> list[str]:
    addresses = list(getattr(settings, "COORDINATOR_EMAILS", []) or [])
    User = get_user_model()
    addresses += (
        User.objects.filter(groups__name=COORDINATOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    seen, result = set(), []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            result.append(address)
    return result


def send_mail_from_templates(*, template: str, context: dict, to: Iterable[str]) -> None:
    """Plain text (verbatim) with an HTML alternative (escaped), from network/email/<template>."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    subject = " ".join(render_to_string(f"network/email/{template}_subject.txt", context).split())
    text = render_to_string(f"network/email/{template}.txt", context)
    html = render_to_string(f"network/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach_alternative(html, "text/html")
    try:
        message.send(fail_silently=False)
    except (OSError, smtplib.SMTPException):
        # What was submitted is stored already; a mail server that is away must not turn the
        # confirmation into an error page (and a second submission).
        logger.exception("e-mail %s could not be sent", template)


def send_confirmation(*, template: str, context: dict, to: str) -> None:
    """The confirmation of a public form, to the address typed into it. Its templates show no
    text from the form (only dates and the signed link), and one address gets at most
    ``NETWORK_RATE_LIMIT`` of them in its window, from however many client addresses."""
    if recipient_limited(to):
        logger.warning("confirmation e-mail %s held back: too many to one address", template)
        return
    send_mail_from_templates(template=template, context=context, to=[to])


def _notify_coordinators(*, kind: str, obj, build_url: UrlBuilder, changed: bool = False) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        send_mail_from_templates(
            template="coordinator_notice",
            context={
                "kind": kind,
                "obj": obj,
                "changed": changed,
                "queue_url": build_url(reverse("network-staff-moderation")),
            },
            to=coordinator_emails(),
        )


def _set_m2m(obj, data: dict, names: Iterable[str]) -> None:
    for name in names:
        if name in data:
            getattr(obj, name).set(data[name])


ORGANISATION_FIELDS = (
    "kind",
    "name",
    "district",
    "address",
    "contact_name",
    "phone",
    "email",
    "contact_public",
    "website",
    "description",
)
# What a submitter sent about a person: public only with consent, and removed on withdrawal.
CONTACT_FIELDS = ("contact_name", "phone", "email")
OFFER_FIELDS = (
    "title",
    "description",
    "category",
    "place",
    "district",
    "time_note",
    "cost",
    "cost_amount",
    "cost_note",
    "registration_needed",
    "valid_from",
    "valid_until",
)
OFFER_M2M = ("target_groups", "languages")
BLANK_TEXTS = ("place", "time_note", "cost", "cost_note")


def _set_time(offer: Offer, time_data: dict | None) -> None:
    """The one time a form entered (the admin edits any number of them)."""
    if time_data:
        offer_time = OfferTime(offer=offer, **time_data)
        offer_time.full_clean()
        offer_time.save()


def offer_submit(
    *,
    offer_data: dict,
    organisation: Organisation | None,
    organisation_data: dict | None,
    submitter_email: str,
    token: uuid.UUID,
    build_url: UrlBuilder,
) -> Offer:
    """Store a submitted offer (and a new organisation) for moderation; send the e-mails.

    Raises ``DuplicateSubmission`` when the same form (its token) was stored already."""
    with transaction.atomic():
        if Offer.objects.filter(submission_token=token).exists():
            raise DuplicateSubmission
        if organisation is None:
            assert organisation_data is not None
            organisation = Organisation(
                **{k: organisation_data.get(k) or "" for k in ORGANISATION_FIELDS},
                status=Organisation.Status.SUBMITTED,
                submitter_email=submitter_email,
                # The same token as the offer: withdrawing the offer finds what came with it.
                submission_token=token,
                text_language=translation.get_language(),
            )
            organisation.contact_public = bool(organisation_data.get("contact_public"))
            organisation.slug = unique_slug(Organisation, organisation.name)
            try:
                organisation.full_clean(validate_unique=False)
            except ValidationError as error:
                raise _prefixed(error, "org_") from None
            _save_with_unique_slug(organisation, organisation.name)
            _set_m2m(organisation, organisation_data, ["languages"])
            search.organisation_index(organisation_ids=[organisation.pk])
        offer = Offer(
            organisation=organisation,
            **{k: offer_data.get(k) for k in OFFER_FIELDS},
            status=Offer.Status.SUBMITTED,
            submitter_email=submitter_email,
            submission_token=token,
            # The language of the form the texts were typed into.
            text_language=translation.get_language(),
        )
        for name in BLANK_TEXTS:
            setattr(offer, name, getattr(offer, name) or "")
        offer.slug = unique_slug(Offer, offer.title)
        offer.full_clean(validate_unique=False)
        _save_with_unique_slug(offer, offer.title)
        _set_m2m(offer, offer_data, OFFER_M2M)
        _set_time(offer, offer_data.get("time"))
        search.offer_index(offer_ids=[offer.pk])
    manage_url = build_url(reverse("network-manage", args=[links.make_token("offer", offer)]))
    send_confirmation(
        template="offer_received",
        context={"offer": offer, "manage_url": manage_url},
        to=submitter_email,
    )
    _notify_coordinators(kind="offer", obj=offer, build_url=build_url)
    return offer


def offer_change_by_submitter(
    *, offer: Offer, offer_data: dict, build_url: UrlBuilder, proposal: dict | None = None
) -> Offer:
    """A change through the signed link. A published offer stays online as it is: the change
    waits for moderation as an ``OfferRevision`` (``proposal``, see network/moderation.py),
    replacing a change of the same offer that still waits. An offer not published yet is
    changed at once and checked again."""
    if offer.status == Offer.Status.PUBLISHED and proposal is not None:
        offer_change_propose(offer=offer, proposal=proposal, language=translation.get_language())
        _notify_coordinators(kind="offer", obj=offer, build_url=build_url, changed=True)
        return offer
    with transaction.atomic():
        for name in OFFER_FIELDS:
            if name in offer_data:
                value = offer_data[name]
                if name in BLANK_TEXTS and value is None:
                    value = ""
                setattr(offer, name, value)
        offer.text_language = translation.get_language()
        offer.status = Offer.Status.SUBMITTED
        offer.rejection_reason = ""
        offer.full_clean()
        offer.save()
        _set_m2m(offer, offer_data, OFFER_M2M)
        if "time" in offer_data:
            offer.times.all().delete()
            _set_time(offer, offer_data["time"])
        search.offer_index(offer_ids=[offer.pk])
    _notify_coordinators(kind="offer", obj=offer, build_url=build_url, changed=True)
    return offer


def offer_change_propose(*, offer: Offer, proposal: dict, language: str) -> OfferRevision:
    """Keep ``proposal`` as the change of ``offer`` that waits for moderation (one per offer:
    a later change replaces an earlier one still waiting)."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                revision, _created = OfferRevision.objects.select_for_update().update_or_create(
                    offer=offer,
                    status=OfferRevision.Status.PENDING,
                    defaults={"data": proposal, "text_language": language},
                )
                return revision
        except IntegrityError:  # the same offer's change sent twice at once: update it
            continue
    raise RuntimeError("the change could not be stored")  # pragma: no cover


class ChangeNotPending(Exception):
    """The change was published or rejected meanwhile (by a colleague)."""


def offer_review_save(
    *, offer: Offer, form, user, publish: bool, revision_pk: int | None = None
) -> Offer:
    """Save a coordinator's review (``OfferReviewForm``, valid, bound to ``offer``).

    Reviewing a waiting change (``revision_pk``): save keeps the edited change waiting,
    publish applies it to the live offer. Reviewing an offer itself: its fields are changed at
    once, and publish publishes an offer that waits for moderation. Raises
    ``ChangeNotPending`` when the change was published or rejected meanwhile."""
    with transaction.atomic():
        Offer.objects.select_for_update().filter(pk=offer.pk).first()
        revision = None
        if revision_pk is not None:
            revision = OfferRevision.objects.filter(
                pk=revision_pk, offer=offer, status=OfferRevision.Status.PENDING
            ).first()
            if revision is None:
                raise ChangeNotPending
            if not publish:
                revision.data = {name: form.data.getlist(name) for name in form.fields}
                revision.save(update_fields=["data", "updated"])
                return offer
        changed = form.save(commit=False)
        for name in BLANK_TEXTS:
            setattr(changed, name, getattr(changed, name) or "")
        if revision is not None:
            changed.confirmed_on = timezone.localdate()  # the partner just looked at it
        changed.full_clean()
        changed.save()
        form.save_m2m()
        if set(form.changed_data) & {"time_weekdays", "time_starts", "time_ends", "time_date"}:
            # The form holds one time: more times, entered in the admin, stay unless it changed.
            changed.times.all().delete()
            _set_time(changed, form.time_data())
        search.offer_index(offer_ids=[changed.pk])
        if revision is not None:
            revision.status = OfferRevision.Status.PUBLISHED
            revision.reviewed_at = timezone.now()
            revision.reviewed_by = user
            revision.save()
    if revision is not None:
        send_mail_from_templates(
            template="offer_change_published",
            context={"offer": changed, "revision": revision},
            to=[changed.submitter_email],
        )
    elif publish and changed.status != Offer.Status.PUBLISHED:
        offer_publish(offer=changed)
    return changed


def offer_change_reject(*, revision: OfferRevision, reason: str, user) -> OfferRevision:
    """Reject a waiting change: the live offer stays as it is; the submitter is told why."""
    with transaction.atomic():
        revision = OfferRevision.objects.select_for_update().get(pk=revision.pk)
        if revision.status != OfferRevision.Status.PENDING:
            raise ChangeNotPending
        revision.status = OfferRevision.Status.REJECTED
        revision.rejection_reason = reason
        revision.reviewed_at = timezone.now()
        revision.reviewed_by = user
        revision.full_clean()
        revision.save()
    offer = revision.offer
    send_mail_from_templates(
        template="offer_change_rejected",
        context={"offer": offer, "revision": revision},
        to=[offer.submitter_email],
    )
    return revision


def _sent_with(offer: Offer, organisation: Organisation) -> bool:
    """Whether the organisation was submitted together with this offer (the same token; for
    submissions from before tokens were shared, the same submitter's e-mail address)."""
    if organisation.submission_token is not None:
        return organisation.submission_token == offer.submission_token
    return bool(
        organisation.submitter_email
        and organisation.submitter_email.lower() == offer.submitter_email.lower()
    )


def offer_withdraw(*, offer: Offer) -> None:
    """Delete a withdrawn offer and everything its submitter sent with it: the organisation
    submitted with it, published or not. An organisation that other offers or the casework's
    referrals still name stays, without the contact details and e-mail address sent with it."""
    with transaction.atomic():
        organisation = offer.organisation
        sent_with_it = _sent_with(offer, organisation)
        offer.delete()
        if sent_with_it and (organisation.offers.exists() or not _delete(organisation)):
            for name in CONTACT_FIELDS:
                setattr(organisation, name, "")
            organisation.contact_public = False
            organisation.submitter_email = ""
            organisation.submission_token = None
            organisation.full_clean()
            organisation.save()


def _delete(obj) -> bool:
    """Delete ``obj``; False (and nothing deleted) while other records still name it."""
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError:
        return False
    return True


class OrganisationNotPublished(Exception):
    """An offer is published only after its organisation, which is moderated on its own."""


def offer_publish(*, offer: Offer) -> Offer:
    """Publish a submitted offer. Its organisation must be published already: publishing the
    offer never publishes the organisation (nor its contact details) along with it."""
    with transaction.atomic():
        organisation = Organisation.objects.get(pk=offer.organisation_id)
        if organisation.status != Organisation.Status.PUBLISHED:
            raise OrganisationNotPublished
        offer.status = Offer.Status.PUBLISHED
        offer.rejection_reason = ""
        offer.confirmed_on = timezone.localdate()
        offer.confirmation_requested_on = None
        offer.full_clean()
        offer.save()
    send_mail_from_templates(
        template="offer_published", context={"offer": offer}, to=[offer.submitter_email]
    )
    return offer


def offer_reject(*, offer: Offer, reason: str) -> Offer:
    with transaction.atomic():
        offer.status = Offer.Status.REJECTED
        offer.rejection_reason = reason
        offer.full_clean()
        offer.save()
    send_mail_from_templates(
        template="offer_rejected", context={"offer": offer}, to=[offer.submitter_email]
    )
    return offer


def organisation_publish(*, organisation: Organisation) -> Organisation:
    with transaction.atomic():
        organisation.status = Organisation.Status.PUBLISHED
        organisation.rejection_reason = ""
        organisation.full_clean()
        organisation.save()
    return organisation


def organisation_reject(*, organisation: Organisation, reason: str) -> Organisation:
    """Reject an organisation and the offers it submitted that still wait for moderation."""
    with transaction.atomic():
        organisation.status = Organisation.Status.REJECTED
        organisation.rejection_reason = reason
        organisation.full_clean()
        organisation.save()
        waiting = list(organisation.offers.filter(status=Offer.Status.SUBMITTED))
        for offer in waiting:
            offer.status = Offer.Status.REJECTED
            offer.rejection_reason = reason
            offer.full_clean()
            offer.save()
    send_mail_from_templates(
        template="organisation_rejected",
        context={"organisation": organisation},
        to={organisation.submitter_email} | {offer.submitter_email for offer in waiting},
    )
    return organisation


def organisation_record_contact(*, organisation: Organisation, on: date | None = None):
    organisation.last_contact = on or timezone.localdate()
    organisation.save(update_fields=["last_contact", "updated"])
    return organisation


def offers_expire(*, today: date | None = None) -> int:
    """Mark published offers whose validity has ended as expired; return how many."""
    today = today or timezone.localdate()
    with transaction.atomic():
        count = Offer.objects.filter(status=Offer.Status.PUBLISHED, valid_until__lt=today).update(
            status=Offer.Status.EXPIRED, updated=timezone.now()
        )
        return count


# The yearly confirmation ------------------------------------------------------------------


def _manage_url(offer: Offer) -> str:
    return settings.LW_BASE_URL + reverse("network-manage", args=[links.make_token("offer", offer)])


def _in_submitters_language(offer: Offer):
    language = offer.text_language
    known = {code for code, _name in settings.LANGUAGES}
    return translation.override(language if language in known else settings.LANGUAGE_CODE)


def offers_request_confirmation(*, today: date | None = None) -> int:
    """Ask the submitter of every published offer whose yearly confirmation is due within
    ``LW_OFFER_CONFIRM_NOTICE_DAYS`` to confirm it (once per period; an offer without a
    submitter's address is the team's own and is confirmed in the admin). Returns how many
    were asked."""
    today = today or timezone.localdate()
    notice = timedelta(days=settings.LW_OFFER_CONFIRM_NOTICE_DAYS)
    asked = 0
    waiting = Offer.objects.filter(
        status=Offer.Status.PUBLISHED, confirmation_requested_on__isnull=True
    ).exclude(submitter_email="")
    for offer in waiting.iterator():
        due = offer.confirmation_due_on()
        if due - notice > today:
            continue
        with transaction.atomic():
            updated = Offer.objects.filter(
                pk=offer.pk, confirmation_requested_on__isnull=True
            ).update(confirmation_requested_on=today)
        if not updated:  # another run asked meanwhile
            continue
        with _in_submitters_language(offer):
            send_mail_from_templates(
                template="offer_confirm_request",
                context={
                    "offer": offer,
                    "due": max(due, today + notice),
                    "manage_url": _manage_url(offer),
                },
                to=[offer.submitter_email],
            )
        asked += 1
    return asked


def offers_expire_unconfirmed(*, today: date | None = None) -> int:
    """Expire the published offers whose confirmation was asked for at least
    ``LW_OFFER_CONFIRM_NOTICE_DAYS`` ago and is overdue, and tell the submitter (who can still
    confirm it with the same link, which publishes it again). Returns how many expired."""
    today = today or timezone.localdate()
    notice = timedelta(days=settings.LW_OFFER_CONFIRM_NOTICE_DAYS)
    expired = 0
    asked = Offer.objects.filter(
        status=Offer.Status.PUBLISHED, confirmation_requested_on__lte=today - notice
    )
    for offer in asked.iterator():
        if offer.confirmation_due_on() > today:
            continue
        with transaction.atomic():
            updated = Offer.objects.filter(pk=offer.pk, status=Offer.Status.PUBLISHED).update(
                status=Offer.Status.EXPIRED, updated=timezone.now()
            )
        if not updated:
            continue
        with _in_submitters_language(offer):
            send_mail_from_templates(
                template="offer_expired_unconfirmed",
                context={"offer": offer, "manage_url": _manage_url(offer)},
                to=[offer.submitter_email],
            )
        expired += 1
    return expired


class NotConfirmable(Exception):
    """The offer waits for moderation, was rejected, its validity or its organisation's
    publication has ended: there is nothing to confirm."""


def offer_confirm(*, offer: Offer, today: date | None = None) -> Offer:
    """The submitter confirms that the offer is still current. An offer that expired because
    its confirmation was late is published again, unless its own validity has ended."""
    today = today or timezone.localdate()
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.status not in (Offer.Status.PUBLISHED, Offer.Status.EXPIRED):
            raise NotConfirmable
        if offer.organisation.status != Organisation.Status.PUBLISHED:
            raise NotConfirmable
        if offer.status == Offer.Status.EXPIRED:
            if offer.valid_until is not None and offer.valid_until < today:
                raise NotConfirmable
            offer.status = Offer.Status.PUBLISHED
        offer.confirmed_on = today
        offer.confirmation_requested_on = None
        offer.full_clean()
        offer.save()
    return offer


VOLUNTEER_FIELDS = ("name", "email", "phone", "district", "availability", "message")


def volunteer_register(*, data: dict, token: uuid.UUID, build_url: UrlBuilder):
    with transaction.atomic():
        volunteer = VolunteerRegistration(
            **{
                k: data.get(k) if k == "district" else (data.get(k) or "") for k in VOLUNTEER_FIELDS
            },
            consent_at=timezone.now(),
            submission_token=token,
        )
        volunteer.full_clean()
        volunteer.save()
        _set_m2m(volunteer, data, ["languages", "skills"])
    manage_url = build_url(
        reverse("network-manage", args=[links.make_token("volunteer", volunteer)])
    )
    send_confirmation(
        template="volunteer_received",
        context={"volunteer": volunteer, "manage_url": manage_url},
        to=volunteer.email,
    )
    _notify_coordinators(kind="volunteer", obj=volunteer, build_url=build_url)
    return volunteer


def volunteer_change_by_volunteer(*, volunteer: VolunteerRegistration, data: dict):
    with transaction.atomic():
        for name in VOLUNTEER_FIELDS:
            if name in data:
                value = data[name]
                setattr(volunteer, name, value if name == "district" else (value or ""))
        volunteer.full_clean()
        volunteer.save()
        _set_m2m(volunteer, data, ["languages", "skills"])
    return volunteer


def volunteer_withdraw(*, volunteer: VolunteerRegistration) -> None:
    volunteer.delete()


def volunteer_update(*, volunteer: VolunteerRegistration, status: str, staff_notes: str):
    with transaction.atomic():
        volunteer.status = status
        volunteer.staff_notes = staff_notes
        volunteer.full_clean()
        volunteer.save()
    return volunteer


def suggestion_submit(*, data: dict, token: uuid.UUID, build_url: UrlBuilder) -> Suggestion:
    with transaction.atomic():
        suggestion = Suggestion(
            text=data["text"],
            need=data.get("need") or "",
            district=data.get("district"),
            language=translation.get_language() or "",
            topic=data.get("topic") or "",
            name=data.get("name") or "",
            email=data.get("email") or "",
            consent_at=timezone.now() if (data.get("name") or data.get("email")) else None,
            submission_token=token,
        )
        suggestion.full_clean()
        suggestion.save()
    _notify_coordinators(kind="suggestion", obj=suggestion, build_url=build_url)
    return suggestion


# Retention (lokalwillkommen/retention.py) --------------------------------------------------


def volunteers_expire(*, before) -> int:
    """Delete volunteer registrations not changed since ``before``."""
    deleted, _rows = VolunteerRegistration.objects.filter(updated__lt=before).delete()
    return deleted


def suggestions_expire(*, before) -> int:
    """Delete suggestions (with the name and e-mail given) not changed since ``before``."""
    deleted, _rows = Suggestion.objects.filter(updated__lt=before).delete()
    return deleted


def submitters_expire(*, before) -> int:
    """Submissions not changed since ``before``: rejected offers and organisations are deleted
    (an organisation the casework still names loses its contact details instead); the others
    no longer keep the submitter's e-mail address."""
    count = 0
    with transaction.atomic():
        rejected = Offer.objects.filter(status=Offer.Status.REJECTED, updated__lt=before)
        count += rejected.delete()[0]
        organisations = Organisation.objects.filter(
            status=Organisation.Status.REJECTED, updated__lt=before
        )
        for organisation in organisations:
            if organisation.offers.exists() or not _delete(organisation):
                Organisation.objects.filter(pk=organisation.pk).update(
                    contact_name="", phone="", email="", contact_public=False, submitter_email=""
                )
            count += 1
        for model in (Offer, Organisation):
            count += (
                model.objects.filter(updated__lt=before)
                .exclude(submitter_email="")
                .update(submitter_email="")
            )
    return count


def suggestion_set_status(*, suggestion: Suggestion, status: str) -> Suggestion:
    suggestion.status = status
    suggestion.full_clean()
    suggestion.save(update_fields=["status", "updated"])
    return suggestion
