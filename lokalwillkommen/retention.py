"""How long personal data is kept, table by table, and the nightly run that applies it.

Every period is a setting (see README, Configuration) and is listed in the privacy notice:

- households: anonymised ``LW_RETENTION_MONTHS`` after they were closed, and open ones that
  saw no change (to the record, a visit, a consultation or a referral) for as long; notes of
  anonymous consultations and of their referrals are emptied after the same time;
- volunteer registrations: deleted ``LW_VOLUNTEER_RETENTION_MONTHS`` after their last change;
- suggestions: deleted ``LW_SUGGESTION_RETENTION_MONTHS`` after their last change;
- submitted offers and organisations: the submitter's e-mail address is removed, and rejected
  submissions are deleted, ``LW_SUBMITTER_RETENTION_MONTHS`` after their last change;
- login records (django-axes: logins, failed logins, lockouts) after
  ``LW_LOGIN_RECORD_RETENTION_DAYS``; expired sessions at once;
- the access log after ``LW_ACCESS_LOG_RETENTION_MONTHS``.

``manage.py apply_retention`` runs all of it (from cron, nightly; safe to run again).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Periods:
    households_months: int
    volunteers_months: int
    suggestions_months: int
    submitters_months: int
    login_records_days: int
    access_log_months: int


def periods() -> Periods:
    return Periods(
        households_months=int(getattr(settings, "LW_RETENTION_MONTHS", 24)),
        volunteers_months=int(getattr(settings, "LW_VOLUNTEER_RETENTION_MONTHS", 24)),
        suggestions_months=int(getattr(settings, "LW_SUGGESTION_RETENTION_MONTHS", 12)),
        submitters_months=int(getattr(settings, "LW_SUBMITTER_RETENTION_MONTHS", 12)),
        login_records_days=int(getattr(settings, "LW_LOGIN_RECORD_RETENTION_DAYS", 90)),
        access_log_months=int(getattr(settings, "LW_ACCESS_LOG_RETENTION_MONTHS", 24)),
    )


def months_ago(months: int, *, now: datetime | None = None) -> datetime:
    """The moment ``months`` calendar months before ``now`` (the day capped at the 28th)."""
    now = timezone.localtime(now) if now else timezone.localtime()
    year, month = divmod(now.year * 12 + (now.month - 1) - months, 12)
    return now.replace(year=year, month=month + 1, day=min(now.day, 28))


def login_records_expire(*, days: int, now: datetime | None = None) -> int:
    """Delete django-axes' records of logins, failed logins and lockouts older than ``days``,
    and expired sessions; return how many rows went."""
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as LoginLog
    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    count = 0
    for model in (LoginLog, AccessFailureLog, AccessAttempt):
        deleted, _rows = model.objects.filter(attempt_time__lt=cutoff).delete()
        count += deleted
    deleted, _rows = Session.objects.filter(expire_date__lt=now).delete()
    return count + deleted


def access_log_expire(*, months: int, now: datetime | None = None) -> int:
    from .models import AccessLog

    deleted, _rows = AccessLog.objects.filter(at__lt=months_ago(months, now=now)).delete()
    return deleted


def apply_retention(*, dry_run: bool = False, now: datetime | None = None) -> dict[str, int]:
    """Apply every retention period; returns how many records each step changed. With
    ``dry_run`` everything is counted and then rolled back."""
    from consultations.services import anonymise_expired, consultation_notes_expire
    from network.services import (
        submitters_expire,
        suggestions_expire,
        volunteers_expire,
    )

    period = periods()
    with transaction.atomic():
        done = {
            "households anonymised": len(anonymise_expired(now=now)),
            "anonymous consultation notes emptied": consultation_notes_expire(
                before=months_ago(period.households_months, now=now)
            ),
            "volunteer registrations deleted": volunteers_expire(
                before=months_ago(period.volunteers_months, now=now)
            ),
            "suggestions deleted": suggestions_expire(
                before=months_ago(period.suggestions_months, now=now)
            ),
            "submissions cleared or deleted": submitters_expire(
                before=months_ago(period.submitters_months, now=now)
            ),
            "login records and sessions deleted": login_records_expire(
                days=period.login_records_days, now=now
            ),
            "access log entries deleted": access_log_expire(
                months=period.access_log_months, now=now
            ),
        }
        if dry_run:
            transaction.set_rollback(True)
    return done

