"""Changes to opening hours: atomic, one office at a time, idempotent on a double submit."""

import logging

from django.db import transaction
from django.utils import timezone

from .models import Office, OpeningException

logger = logging.getLogger(__name__)


@transaction.atomic
def office_hours_update(*, office: Office, formset, user) -> None:
    """Save the weekly rules from a validated formset, with the office row locked."""
    Office.objects.select_for_update().get(pk=office.pk)
    formset.save()
    _touch(office)
    logger.info("hours changed office=%s user=%s", office.slug, user.pk)


@transaction.atomic
def office_exception_add(*, office: Office, data: dict, user) -> OpeningException:
    """Add a closure or a special opening; the same one sent twice is stored once."""
    Office.objects.select_for_update().get(pk=office.pk)
    fields = {
        "kind": data["kind"],
        "date_from": data["date_from"],
        "date_until": data.get("date_until") or data["date_from"],
        "opens": data.get("opens"),
        "closes": data.get("closes"),
    }
    existing = OpeningException.objects.filter(office=office, **fields).first()
    if existing is not None:
        return existing
    exception = OpeningException(office=office, reason=data.get("reason", ""), **fields)
    exception.full_clean()
    exception.save()
    _touch(office)
    logger.info("exception added office=%s user=%s kind=%s", office.slug, user.pk, fields["kind"])
    return exception


@transaction.atomic
def office_exception_delete(*, office: Office, pk: int, user) -> bool:
    deleted, _ = OpeningException.objects.filter(office=office, pk=pk).delete()
    if deleted:
        logger.info("exception deleted office=%s user=%s", office.slug, user.pk)
        _touch(office)
        return bool(deleted)


def _touch(office: Office) -> None:
    """The office's hours changed: open data consumers asking ``modified_after`` see it."""
    Office.objects.filter(pk=office.pk).update(updated=timezone.now())
