"""The dashboard's list items, written here rather than by the template.

The dashboard shows up to forty rows; as template nodes each cost some 40 µs (a variable
lookup, an escape and a translation per value), written as one f-string each a tenth of that.
Every value that comes from the database or a translation is escaped here (``_e``); the
markup is the template's, one ``<li>`` per row."""

from __future__ import annotations

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def _e(value) -> str:
    return escape(str(value), quote=True)


def _household_link(url: str, reference_no: str) -> str:
    return f'<a href="{_e(url)}">{_e(reference_no)}</a>'


def add_markup(dashboard: dict) -> dict:
    """``dashboard`` (of ``selectors.dashboard_for``) with an ``html`` item in every row."""
    log = _e(gettext("Log visit"))
    # (translated outside the f-string: makemessages does not look inside one)
    not_logged_label = _e(gettext("not logged"))
    not_logged = f' <span class="badge badge-overdue">{not_logged_label}</span>'
    record = _e(gettext("Record outcome"))
    anonymous = _e(gettext("anonymous consultation"))
    # Reviewed uses of mark_safe below: every value is escaped by _e.
    for visit in dashboard["my_visits"]:
        visit["html"] = mark_safe(
            f'<li class="mb-2">{_household_link(visit["household_url"], visit["household"])}'
            f' · {_e(visit["at_text"])} · {_e(visit["kind"])}'
            f"{not_logged if visit['not_logged'] else ''}"
            f' <a class="ms-2" href="{_e(visit["log_url"])}">{log}</a></li>'
        )
    for visit in dashboard["not_logged"]:
        staff = f" · {_e(visit['staff'])}" if visit["staff"] else ""
        visit["html"] = mark_safe(
            f'<li class="mb-2">{_household_link(visit["household_url"], visit["household"])}'
            f" · {_e(visit['at_text'])} · {_e(visit['kind'])}{staff}{not_logged}"
            f' <a class="ms-2" href="{_e(visit["log_url"])}">{log}</a></li>'
        )
    for visit in dashboard["follow_ups"]:
        visit["html"] = mark_safe(
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
        household["html"] = mark_safe(
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
        referral["html"] = mark_safe(
            f'<li class="mb-2">{who} → <bdi>{_e(referral["target"])}</bdi>'
            f" · {_e(referral['status'])}{follow_up}"
            f' <a class="ms-2" href="{_e(referral["url"])}">{record}</a></li>'
        )
    return dashboard
