"""An offer card of the directory (and of an organisation's page) written here rather than by
the template: a page shows twenty, and as template nodes each card cost some 60 µs; written
as one f-string, a tenth of that. Every value from the database or a translation is escaped
here (``_e``); ``lang``/``dir`` attributes and the lines of times and costs come as markup
already (``content.pick``, ``text_attributes``, ``selectors._when_and_cost_html``)."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from lokalwillkommen.markup import escaped as _e


def add_markup(cards: list[dict]) -> list[dict]:
    """``cards`` (of ``selectors.offer_cards``) with an ``html`` item each."""
    languages_label = _e(gettext("Languages:"))
    for card in cards:
        groups = "".join(
            f'<span class="badge text-bg-light border">{_e(group)}</span> '
            for group in card["target_groups"]
        )
        languages = (
            f'<p class="mb-0 small">{languages_label} {_e(card["languages"])}</p>'
            if card["languages"]
            else ""
        )
        # Reviewed use of mark_safe: every value is escaped by _e; lang, organisation_lang and
        # when_and_cost are SafeStrings built with format_html.
        card["html"] = mark_safe(
            '<li class="col-12 col-md-6"><article class="card h-100">\n  <div class="card-body">\n'
            f'    <h3 class="h5 card-title"><a href="{_e(card["url"])}"{_safe(card["lang"])}>'
            f"{_e(card['title'])}</a></h3>\n"
            '    <p class="card-subtitle mb-2 text-body-secondary">'
            f"<span{_safe(card['organisation_lang'])}>{_e(card['organisation'])}</span>"
            f" · {_e(card['district'])}</p>\n"
            f'    <p class="mb-1"><span class="badge text-bg-light border">'
            f"{_e(card['category'])}</span>\n    {groups}</p>\n"
            f"    {_safe(card['when_and_cost'])}\n    {languages}\n"
            "  </div>\n</article></li>"
        )
    return cards


def _safe(value) -> str:
    """Markup built elsewhere with format_html; anything else is escaped."""
    return value if isinstance(value, SafeString) else _e(value)
