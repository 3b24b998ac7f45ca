"""The first visit's deadline: a household that has moved into its own flat is visited within
``LW_FIRST_VISIT_DAYS`` (default 14) of its move-in date.

A household counts as *not yet visited* while its status is "new" or "contacted" (a done
visit moves it on to "visited"). Of those, it is

- **overdue** once the deadline has passed (the day after move-in + N days), and
- **due** in the last ``DUE_SOON_DAYS`` days up to and including the deadline.

Everything here is arithmetic on dates: lists read ``moved_in_on`` and ``status`` with their
other columns and call ``first_visit`` per row, and filters compare ``moved_in_on`` with two
dates from ``Cutoffs`` — no query of its own, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import ngettext, pgettext

from lokalwillkommen.formatting import short_date

DUE_SOON_DAYS = 3
NOT_VISITED = ("new", "contacted")

OVERDUE = "overdue"
DUE = "due"


def first_visit_days() -> int:
    return int(getattr(settings, "LW_FIRST_VISIT_DAYS", 14))


@dataclass(frozen=True)
class Cutoffs:
    """The move-in dates that make a not yet visited household overdue or due today."""

    today: date
    days: int

    @property
    def overdue_before(self) -> date:
        """Moved in before this day: the deadline has passed."""
        return self.today - timedelta(days=self.days)

    @property
    def due_from(self) -> date:
        """Moved in on or before this day (and not overdue): the deadline is within
        ``DUE_SOON_DAYS`` days."""
        return self.today - timedelta(days=self.days - DUE_SOON_DAYS)

    def overdue(self) -> Q:
        """The condition on households for "overdue" (``status`` and ``moved_in_on``)."""
        return Q(status__in=NOT_VISITED, moved_in_on__lt=self.overdue_before)

    def due(self) -> Q:
        return Q(
            status__in=NOT_VISITED,
            moved_in_on__gte=self.overdue_before,
            moved_in_on__lte=self.due_from,
        )


def cutoffs(today: date | None = None) -> Cutoffs:
    return Cutoffs(today or timezone.localdate(), first_visit_days())


@dataclass(frozen=True)
class FirstVisit:
    """A household's first-visit deadline and where it stands ("overdue", "due" or "")."""

    deadline: date | None
    state: str = ""
    days: int = 0  # days overdue, or days left until the deadline

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE

    @property
    def due(self) -> bool:
        return self.state == DUE


NO_DEADLINE = FirstVisit(None)


def first_visit(moved_in_on: date | None, status: str, limits: Cutoffs) -> FirstVisit:
    """Where the first visit of a household with this move-in date and status stands."""
    if moved_in_on is None or status not in NOT_VISITED:
        return NO_DEADLINE
    deadline = moved_in_on + timedelta(days=limits.days)
    left = (deadline - limits.today).days
    if left < 0:
        return FirstVisit(deadline, OVERDUE, -left)
    if left <= DUE_SOON_DAYS:
        return FirstVisit(deadline, DUE, left)
    return FirstVisit(deadline, "", left)


def badge_text(found: FirstVisit) -> str:
    """The dashboard's badge: "overdue by 16 days", "due soon" or nothing."""
    if found.overdue:
        return ngettext("overdue by %(days)s day", "overdue by %(days)s days", found.days) % {
            "days": found.days
        }
    if found.due:
        return pgettext("first visit", "due soon")
    return ""


NO_DEADLINE_HTML = conditional_escape("–")


def badge_html(found: FirstVisit) -> str:
    """What a list shows of the deadline, as HTML: the date, and a badge with a word (not
    colour alone) when the visit is overdue or due soon; "–" without a deadline."""
    if found.deadline is None:
        return NO_DEADLINE_HTML
    deadline = short_date(found.deadline)
    if found.overdue:
        label = pgettext("first visit", "overdue")
    elif found.due:
        label = pgettext("first visit", "due soon")
    else:
        return conditional_escape(deadline)
    return format_html('{} <span class="badge badge-{}">{}</span>', deadline, found.state, label)
