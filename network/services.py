"""Writes of the network app: submissions, moderation, volunteers, suggestions."""

import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from lokalwillkommen.roles import COORDINATOR

from . import links
from .models import Offer, Organisation, Suggestion, VolunteerRegistration

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
    "website",
    "description",
)
OFFER_FIELDS = (
    "title",
    "description",
    "category",
    "place",
    "district",
    "schedule",
    "cost",
    "registration_needed",
    "valid_from",
    "valid_until",
)
OFFER_M2M = ("target_groups", "languages")


def offer_submit(
    *,
    offer_data: dict,
    organisation: Organisation | None,
    organisation_data: dict | None,
    submitter_email: str,
    token: uuid.UUID,
    build_url: UrlBuilder,
) -> Offer:
    """Store a submitted offer (and a new organisation) for moderation; send the e-mails."""
    with transaction.atomic():
        if organisation is None:
            assert organisation_data is not None
            organisation = Organisation(
                **{k: organisation_data.get(k, "") for k in ORGANISATION_FIELDS},
                status=Organisation.Status.SUBMITTED,
                submitter_email=submitter_email,
                text_language=translation.get_language(),
            )
            organisation.slug = unique_slug(Organisation, organisation.name)
            organisation.full_clean()
            organisation.save()
            _set_m2m(organisation, organisation_data, ["languages"])
        offer = Offer(
            organisation=organisation,
            **{k: offer_data.get(k) for k in OFFER_FIELDS},
            status=Offer.Status.SUBMITTED,
            submitter_email=submitter_email,
            submission_token=token,
            # The language of the form the texts were typed into.
            text_language=translation.get_language(),
        )
        for name in ("place", "schedule", "cost"):
            setattr(offer, name, getattr(offer, name) or "")
        offer.slug = unique_slug(Offer, offer.title)
        offer.full_clean()
        offer.save()
        _set_m2m(offer, offer_data, OFFER_M2M)
    manage_url = build_url(reverse("network-manage", args=[links.make_token("offer", offer)]))
    send_mail_from_templates(
        template="offer_received",
        context={"offer": offer, "manage_url": manage_url},
        to=[submitter_email],
    )
    _notify_coordinators(kind="offer", obj=offer, build_url=build_url)
    return offer


def offer_change_by_submitter(*, offer: Offer, offer_data: dict, build_url: UrlBuilder) -> Offer:
    """A change through the signed link sends the offer back to moderation."""
    with transaction.atomic():
        for name in OFFER_FIELDS:
            if name in offer_data:
                value = offer_data[name]
                if name in ("place", "schedule", "cost") and value is None:
                    value = ""
                setattr(offer, name, value)
        offer.text_language = translation.get_language()
        offer.status = Offer.Status.SUBMITTED
        offer.rejection_reason = ""
        offer.full_clean()
        offer.save()
        _set_m2m(offer, offer_data, OFFER_M2M)
    _notify_coordinators(kind="offer", obj=offer, build_url=build_url, changed=True)
    return offer


def offer_withdraw(*, offer: Offer) -> None:
    """Delete a withdrawn offer, and its organisation if it was new and has nothing else."""
    with transaction.atomic():
        organisation = offer.organisation
        offer.delete()
        if (
            organisation.status != Organisation.Status.PUBLISHED
            and not organisation.offers.exists()
        ):
            organisation.delete()


def offer_publish(*, offer: Offer) -> Offer:
    with transaction.atomic():
        organisation = offer.organisation
        if organisation.status != Organisation.Status.PUBLISHED:
            organisation.status = Organisation.Status.PUBLISHED
            organisation.rejection_reason = ""
            organisation.full_clean()
            organisation.save()
        offer.status = Offer.Status.PUBLISHED
        offer.rejection_reason = ""
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
    send_mail_from_templates(
        template="volunteer_received",
        context={"volunteer": volunteer, "manage_url": manage_url},
        to=[volunteer.email],
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


def suggestion_set_status(*, suggestion: Suggestion, status: str) -> Suggestion:
    suggestion.status = status
    suggestion.full_clean()
    suggestion.save(update_fields=["status", "updated"])
    return suggestion
