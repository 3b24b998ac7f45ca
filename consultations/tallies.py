"""Monthly counts of consultations for the city-wide report, kept as consultations change.

The report of all teams counts a period's consultations by office, language, interpreter need
and topic. Counted from the consultations themselves that is one row read per consultation
(a large city logs thousands a quarter); from these counts it is one row per month, dimension
and value (some fifty a month), whatever the volume. Every whole month of a period is read
from here; the days of a month the period only touches are counted from the records.

The counts follow every change made through the ORM, in the same transaction:
``Consultation.save`` and ``ConsultationTopic.save`` (also in the admin and on correction),
``bulk_create`` of both, and deletion (``post_delete``: also a queryset's delete and the
cascade from a consultation to its topics). An ``UPDATE`` of a month, office, language,
interpreter need or topic in raw SQL or through ``QuerySet.update`` is not followed:
``manage.py report_tallies --check`` finds such drift and ``--rebuild`` counts them again.

No person is in here: a month, an office, a language, a yes/no, a topic and a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

OFFICE = "office"
LANGUAGE = "language"
INTERPRETER = "interpreter"
TOPIC = "topic"
DIMENSIONS = (OFFICE, LANGUAGE, INTERPRETER, TOPIC)

Key = tuple[date, str, str]  # (first day of the month, dimension, value)


def month_of(moment: datetime) -> date:
    """The first day of the month of ``moment`` in the portal's time zone."""
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def value_of(raw) -> str:
    """A dimension's value as stored: ids and codes as text, no language as ""."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    return str(raw)


def consultation_keys(held_at, office_id, language_id, interpreter_needed) -> list[Key]:
    month = month_of(held_at)
    return [
        (month, OFFICE, value_of(office_id)),
        (month, LANGUAGE, value_of(language_id)),
        (month, INTERPRETER, value_of(bool(interpreter_needed))),
    ]


def topic_key(held_at, topic: str) -> Key:
    return (month_of(held_at), TOPIC, topic)


def add(deltas: Counter) -> None:
    """Add ``deltas`` (key → change) to the stored counts: one conditional UPDATE per key,
    an INSERT for a key seen for the first time (a concurrent first insert is retried as an
    update, so that no count is lost when two staff members save at once)."""
    from .models import ConsultationTally

    for (month, dimension, value), change in sorted(deltas.items()):
        if not change:
            continue
        rows = ConsultationTally.objects.filter(month=month, dimension=dimension, value=value)
        if rows.update(n=F("n") + change):
            continue
        try:
            with transaction.atomic():
                ConsultationTally.objects.create(
                    month=month, dimension=dimension, value=value, n=change
                )
        except IntegrityError:
            rows.update(n=F("n") + change)


def consultations_added(consultations: Iterable, sign: int = 1) -> None:
    deltas: Counter = Counter()
    for c in consultations:
        for key in consultation_keys(c.held_at, c.office_id, c.language_id, c.interpreter_needed):
            deltas[key] += sign
    add(deltas)


def topics_added(topics: Iterable, sign: int = 1) -> None:
    deltas: Counter = Counter()
    for t in topics:
        deltas[topic_key(t.held_at, t.topic)] += sign
    add(deltas)


# Reading ------------------------------------------------------------------------------------


def whole_months(start: date, end: date) -> tuple[list[date], list[tuple[date, date]]]:
    """The months lying wholly within ``start``–``end`` (inclusive days), and the spans of
    days outside them (at most one at each end), to be counted from the records."""
    months: list[date] = []
    first = date(start.year, start.month, 1)
    if first < start:
        first = _next_month(first)
    month = first
    while _next_month(month) <= _after(end):
        months.append(month)
        month = _next_month(month)
    if not months:
        return [], [(start, end)]
    rest = []
    if start < months[0]:
        rest.append((start, _before(months[0])))
    last_day = _before(_next_month(months[-1]))
    if last_day < end:
        rest.append((_after(last_day), end))
    return months, rest


def counts(months: list[date]) -> dict[str, Counter]:
    """The stored counts of ``months``, summed: dimension → value → count."""
    from .models import ConsultationTally

    found: dict[str, Counter] = {d: Counter() for d in DIMENSIONS}
    if not months:
        return found
    rows = (
        ConsultationTally.objects.filter(month__gte=months[0], month__lte=months[-1])
        .values_list("dimension", "value")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for dimension, value, total in rows:
        found[dimension][value] += total
    return found


# Checking and rebuilding -------------------------------------------------------------------


def recount(consultation_model=None, topic_model=None) -> Counter:
    """Every month's counts from the records themselves (of the given models: a migration
    passes its historical ones)."""
    from .models import Consultation, ConsultationTopic

    Consultation = consultation_model or Consultation  # noqa: N806
    ConsultationTopic = topic_model or ConsultationTopic  # noqa: N806
    tz = timezone.get_current_timezone()
    found: Counter = Counter()
    consultations = Consultation.objects.annotate(month=TruncMonth("held_at", tzinfo=tz))
    for dimension, column in (
        (OFFICE, "office_id"), (LANGUAGE, "language_id"), (INTERPRETER, "interpreter_needed")
    ):
        for month, raw, n in (
            consultations.values_list("month", column).annotate(n=Count("*")).order_by()
        ):
            found[(_as_date(month), dimension, value_of(raw))] += n
    topics = ConsultationTopic.objects.annotate(month=TruncMonth("held_at", tzinfo=tz))
    for month, topic, n in topics.values_list("month", "topic").annotate(n=Count("*")).order_by():
        found[(_as_date(month), TOPIC, topic)] += n
    return found


def stored() -> Counter:
    from .models import ConsultationTally

    return Counter(
        {
            (month, dimension, value): n
            for month, dimension, value, n in ConsultationTally.objects.values_list(
                "month", "dimension", "value", "n"
            )
            if n
        }
    )


def drift() -> dict[Key, tuple[int, int]]:
    """Keys whose stored count differs from the records: key → (stored, counted)."""
    have, want = stored(), recount()
    return {
        key: (have.get(key, 0), want.get(key, 0))
        for key in sorted(set(have) | set(want))
        if have.get(key, 0) != want.get(key, 0)
    }


@transaction.atomic
def rebuild(tally_model=None, consultation_model=None, topic_model=None) -> int:
    """Count every month again from the records; the number of stored rows."""
    from .models import ConsultationTally

    ConsultationTally = tally_model or ConsultationTally  # noqa: N806
    ConsultationTally.objects.all().delete()
    rows = [
        ConsultationTally(month=month, dimension=dimension, value=value, n=n)
        for (month, dimension, value), n in sorted(
            recount(consultation_model, topic_model).items()
        )
    ]
    ConsultationTally.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _after(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


# Deletion ----------------------------------------------------------------------------------


def _consultation_deleted(sender, instance, **kwargs) -> None:
    consultations_added([instance], sign=-1)


def _topic_deleted(sender, instance, **kwargs) -> None:
    topics_added([instance], sign=-1)


def connect_signals() -> None:
    """Deleting a consultation or a topic (one, a queryset's or by cascade) takes it off the
    counts; ``post_delete`` is sent for each of them in the deleting transaction."""
    from django.db.models.signals import post_delete

    from .models import Consultation, ConsultationTopic

    post_delete.connect(
        _consultation_deleted, sender=Consultation, dispatch_uid="tally-consultation-deleted"
    )
    post_delete.connect(
        _topic_deleted, sender=ConsultationTopic, dispatch_uid="tally-topic-deleted"
    )
