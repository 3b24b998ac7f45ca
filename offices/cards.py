"""An office as the public pages show it: its address row, link and what is true now (open
until, closed today and why, when it opens next), with those sentences written here in the
page's language rather than by template tags (home, office list and office page show many)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lokalwillkommen.addresses import address_maker
from lokalwillkommen.formatting import short_time
from lokalwillkommen.markup import escaped as _e

from . import hours
from .selectors import schedules as office_schedules


@dataclass
class OfficeCard:
    """An office with its status now."""

    office: dict  # a row of selectors.office_rows
    url: str
    status: hours.Status
    next_in_days: int | None
    holiday_name: str

    @cached_property
    def badge(self) -> tuple[str, str]:
        """The status line: (CSS class, text)."""
        status = self.status
        if status.is_open:
            return "status-open", _("Open now until %(until)s") % {
                "until": short_time(status.current.end)
            }
        closed = status.closed_today
        if closed is None:
            return "status-closed", _("Closed now")
        if closed.holiday:
            if self.holiday_name:
                text = _("Closed today: public holiday (%(name)s)") % {"name": self.holiday_name}
            else:
                text = _("Closed today: public holiday")
        elif closed.reason:
            text = _("Closed today: %(reason)s") % {"reason": closed.reason}
        else:
            text = _("Closed today")
        return "status-closed", text

    @cached_property
    def next_text(self) -> str:
        """When it opens next ('' while open with nothing announced after)."""
        status = self.status
        if status.next is None:
            return "" if status.is_open else _("No opening hours are announced at the moment.")
        start = timezone.localtime(status.next.start)
        values = {"time": short_time(start)}
        if self.next_in_days == 0:
            return _("Opens today at %(time)s") % values
        if self.next_in_days == 1:
            return _("Opens tomorrow at %(time)s") % values
        values["day"] = dateformat.format(start, "l")
        if self.next_in_days < 7:
            return _("Opens %(day)s at %(time)s") % values
        values["date"] = formats.date_format(start, "DATE_FORMAT")
        return _("Opens %(day)s, %(date)s at %(time)s") % values


def office_cards(rows: list[dict], now, *, schedules=None) -> list[OfficeCard]:
    """Cards for offices (rows of ``selectors.office_rows``), their schedules read in two
    queries for all of them."""
    schedules = schedules if schedules is not None else office_schedules(r["id"] for r in rows)
    today = hours.local(now).date()
    language = get_language() or "de"
    url = address_maker("offices-detail")
    cards = []
    for row in rows:
        # (schedules of every office hold none for an office without hours)
        status = hours.status_at(schedules.get(row["id"]) or hours.Schedule(), now)
        next_in_days = (status.next.start.date() - today).days if status.next else None
        holiday_name = ""
        if status.closed_today and status.closed_today.holiday:
            holiday_name = hours.holiday_name_in(today, language)
        cards.append(OfficeCard(row, url(row["slug"]), status, next_in_days, holiday_name))
    return cards


def cards_html(cards: list[OfficeCard], *, home: bool = False) -> SafeString:
    """The cards as the home page (``home``: a grid, the district on its own line) or the
    office list shows them: one ``<li>`` each, written here rather than by template nodes (a
    list shows ten; every value escaped)."""
    items = []
    for card in cards:
        office = card.office
        css, text = card.badge
        next_text = card.next_text
        street, postcode, city = _e(office["street"]), _e(office["postcode"]), _e(office["city"])
        address = f"<bdi>{street}, {postcode} {city}</bdi>"
        if home:
            item, article, heading = "col-md-6 col-lg-4", "card card-office h-100", "h3"
            district = _e(office["district"])
            place = f'{address}<br><span class="text-body-secondary">{district}</span>'
        else:
            item, article, heading = "mb-3", "card card-office", "h2"
            place = f"{address} · {_e(office['district'])}"
        items.append(
            f'<li class="{item}"><article class="{article}"><div class="card-body">'
            f'<{heading} class="card-title"><a href="{_e(card.url)}">{_e(office["name"])}</a>'
            f'</{heading}><p class="mb-2">{place}</p>'
            f'<p class="status-badge mb-1"><span class="{_e(css)}">{_e(text)}</span></p>'
            + (f'<p class="mb-0">{_e(next_text)}</p>' if next_text else "")
            + "</div></article></li>"
        )
    # Reviewed use of mark_safe: every value above is escaped by _e.
    return mark_safe("".join(items))


def open_first(card: OfficeCard) -> tuple:
    """Open now (closing soonest first), then by the next opening; none announced last."""
    status = card.status
    if status.is_open:
        return (0, status.current.end.timestamp(), card.office["name"])
    if status.next:
        return (1, status.next.start.timestamp(), card.office["name"])
    return (2, 0, card.office["name"])
