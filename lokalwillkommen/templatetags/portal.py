import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from lokalwillkommen.bidi import isolate, strip_controls

register = template.Library()

# The same escapes Django's json_script uses: the JSON cannot close the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value) -> str:
    """A <script type="application/ld+json"> data block (not executed, allowed by the CSP)."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    # Reviewed use of mark_safe: the text is JSON with <, > and & escaped.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def text_lang(context, obj) -> str:
    """` lang=".." dir=".."` for an element holding ``obj``'s own texts when they are written in
    another language than the page's (``obj.text_language``): a screen reader then reads a
    German description on an Arabic page with a German voice, left to right. In the page's
    own language ` dir="auto"`. Either way the element isolates the typed text (a ``dir``
    attribute does), so that no direction in it reorders the page around it."""
    code = getattr(obj, "text_language", "") or ""
    if not code or code == translation.get_language():
        return format_html(' dir="{}"', "auto")
    direction = "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', code, direction)


@register.filter
def isolated(value) -> str:
    """Typed text for plain text (an e-mail): between Unicode isolates (FSI … PDI)."""
    return isolate(value) if value not in (None, "") else ""


@register.filter
def tel_uri(value) -> str:
    """A phone number as typed, for a ``tel:`` link: its digits and a leading +."""
    text = str(value or "").strip()
    digits = re.sub(r"[^0-9]", "", text)
    return f"+{digits}" if text.startswith("+") else digits


@register.filter
def no_bidi_controls(value) -> str:
    """Typed text where nothing can isolate it (a page's <title>): without direction
    controls."""
    return strip_controls(value)
