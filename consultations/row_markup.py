"""Rows that staff pages repeat — the dashboard's list items and the household list's table
rows — written here rather than by the template.

As template nodes each row cost some 40–70 µs (a loop step, a variable lookup, an escape and a
translation per value); written as one f-string a tenth of that, and a list is handed to the
template as one string, so a full page costs little more than an empty one. Every value that
comes from the database or a translation is escaped here (``_e``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from lokalwillkommen.markup import escaped as _e


def _household_link(url: str, reference_no: str) -> str:
    return f'<a href="{_e(url)}">{_e(reference_no)}</a>'


DASHBOARD_LISTS = ("my_visits", "not_logged", "follow_ups", "not_visited", "waiting_referrals")


def add_markup(dashboard: dict) -> dict:
    """``dashboard`` (of ``selectors.dashboard_for``) with, for each list, ``<list>_html``: its
    ``<li>`` items as one string."""
    log = _e(gettext("Log visit"))
    # (translated outside the f-string: makemessages does not look inside one)
    not_logged_label = _e(gettext("not logged"))
    not_logged = f' <span class="badge badge-overdue">{not_logged_label}</span>'
    record = _e(gettext("Record outcome"))
    anonymous = _e(gettext("anonymous consultation"))
    items: dict[str, list[str]] = {name: [] for name in DASHBOARD_LISTS}
    for visit in dashboard["my_visits"]:
        items["my_visits"].append(
            f'<li class="mb-2">{_household_link(visit["household_url"], visit["household"])}'
            f" · {_e(visit['at_text'])} · {_e(visit['kind'])}"
            f"{not_logged if visit['not_logged'] else ''}"
            f' <a class="ms-2" href="{_e(visit["log_url"])}">{log}</a></li>'
        )
    for visit in dashboard["not_logged"]:
        staff = f" · {_e(visit['staff'])}" if visit["staff"] else ""
        items["not_logged"].append(
            f'<li class="mb-2">{_household_link(visit["household_url"], visit["household"])}'
            f" · {_e(visit['at_text'])} · {_e(visit['kind'])}{staff}{not_logged}"
            f' <a class="ms-2" href="{_e(visit["log_url"])}">{log}</a></li>'
        )
    for visit in dashboard["follow_ups"]:
        items["follow_ups"].append(
            f'<li class="mb-2">{_household_link(visit["household_url"], visit["household"])}'
            f" · {_e(visit['on_text'])}</li>"
        )
    for household in dashboard["not_visited"]:
        badge = (
            f' <span class="badge badge-{_e(household["first_visit"].state)}">'
            f"{_e(household['badge'])}</span>"
            if household["badge"]
            else ""
        )
        items["not_visited"].append(
            f'<li class="mb-2">{_household_link(household["url"], household["reference"])}'
            f" · {_e(household['district'])} · {_e(household['when'])}{badge}</li>"
        )
    for referral in dashboard["waiting_referrals"]:
        who = (
            _household_link(referral["household_url"], referral["household"])
            if referral["household"]
            else anonymous
        )
        follow_up = f" · {_e(referral['follow_up_text'])}" if referral["follow_up_text"] else ""
        items["waiting_referrals"].append(
            f'<li class="mb-2">{who} → <bdi>{_e(referral["target"])}</bdi>'
            f" · {_e(referral['status'])}{follow_up}"
            f' <a class="ms-2" href="{_e(referral["url"])}">{record}</a></li>'
        )
    for name in DASHBOARD_LISTS:
        # Reviewed use of mark_safe: every value in the items above is escaped by _e.
        dashboard[f"{name}_html"] = mark_safe("".join(items[name]))
    dashboard["office_hours_html"] = _office_hours(dashboard["office_hours"])
    # under each full list (translated once, not once per list)
    dashboard["most_urgent"] = gettext("The %(rows)s most urgent are shown.") % {
        "rows": dashboard["rows_shown"]
    }
    return dashboard


def _office_hours(entries: list[dict]) -> str:
    """Today's openings of each of the user's offices, and the links to its printable sheet."""
    if not entries:
        return mark_safe(f"<p>{_e(gettext('No offices of your teams.'))}</p>")
    closed = _e(gettext("closed today"))
    sheet = _e(gettext("Sheet to print (PDF):"))
    items = []
    for entry in entries:
        times = ", ".join(
            f"{_clock(opening.start)}–{_clock(opening.end)}" for opening in entry["openings"]
        )
        items.append(
            f'<p class="mb-1"><strong>{_e(entry["office"])}</strong>: {times or closed}</p>\n'
            f'<p class="small mb-2">{sheet} {conditional_escape(entry["sheet_links"])}</p>\n'
        )
    # Reviewed use of mark_safe: every value is escaped (the sheet links are safe markup).
    return mark_safe("".join(items))


def _clock(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def household_rows(rows: list, labels: dict) -> str:
    """The household list's ``<tr>`` rows for ``rows`` (``views.HouseholdRow``); ``labels``
    the translated column names (district, status, first visit, team), shown by each row as
    a card on small screens (hidden from screen readers, which announce the headers)."""

    def label(name: str) -> str:
        return f'<span class="cell-label" aria-hidden="true">{_e(labels[name])}</span>'

    district, status, first_visit, team = (
        label(name) for name in ("district", "status", "first_visit", "team")
    )
    # Reviewed use of mark_safe: every value is escaped by _e, or (first_visit, the markup of
    # deadlines.badge_html) by conditional_escape, which leaves only safe markup unescaped.
    return mark_safe(
        "".join(
            f'<tr role="row"'
            f"{_state_class(row['first_visit_state'])}>"
            f'<td role="cell" class="text-nowrap household-ref">'
            f'<a href="{_e(row["url"])}">{_e(row["reference"])}</a></td>'
            f'<td role="cell"><bdi>{_e(row["contact_name"])}</bdi></td>'
            f'<td role="cell">{district}{_e(row["district"])}</td>'
            f'<td role="cell">{status}{_e(row["status"])}</td>'
            f'<td role="cell">{first_visit}{conditional_escape(row["first_visit"])}</td>'
            f'<td role="cell">{_e(row["needs"])}</td>'
            f'<td role="cell">{team}{_e(row["team"]["name"])}</td></tr>'
            for row in rows
        )
    )


def _state_class(state: str) -> str:
    return f' class="first-visit-{_e(state)}"' if state else ""
