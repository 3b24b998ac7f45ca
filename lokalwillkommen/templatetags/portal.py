import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html, format_html_join
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
    return text_attributes(getattr(obj, "text_language", "") or "")


_LANG_ATTRIBUTES: dict[tuple[str, str], str] = {}


def lang_attributes(code: str, page_language: str | None = None) -> str:
    """` lang=".." dir=".."` for text written in ``code`` on a page in another language."""
    page_language = page_language or translation.get_language()
    if not code or code == page_language:
        return ""
    found = _LANG_ATTRIBUTES.get((code, page_language))
    if found is None:
        direction = "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
        found = _LANG_ATTRIBUTES[code, page_language] = format_html(
            ' lang="{}" dir="{}"', code, direction
        )
    return found


_AUTO = mark_safe(' dir="auto"')


def text_attributes(code: str, page_language: str | None = None) -> str:
    """The attributes for an element holding text someone typed in: its language and direction
    when it is written in another language than the page's, else ``dir="auto"``. Either way
    the element is a bidi isolate, so control characters in the text cannot reorder the page
    around it."""
    return lang_attributes(code, page_language) or _AUTO


@register.simple_tag
def alternate_links(language_links, current: str) -> str:
    """``<link rel="alternate" hreflang>`` for the page in every other language (written here,
    not in a template loop: eight languages on every page)."""
    return format_html_join(
        "",
        '\n  <link rel="alternate" hreflang="{}" href="{}">',
        ((link["code"], link["url"]) for link in language_links if link["code"] != current),
    )


@register.simple_tag
def language_items(language_links, current: str) -> str:
    """The language switcher's list items, the current language marked."""
    return format_html_join(
        "\n",
        '<li class="list-inline-item"><a href="{}" lang="{}" hreflang="{}"{}>{}</a></li>',
        (
            (
                link["url"],
                link["code"],
                link["code"],
                _CURRENT if link["code"] == current else "",
                link["name_local"],
            )
            for link in language_links
        ),
    )


_CURRENT = mark_safe(' aria-current="true" class="fw-bold"')


@register.tag
def layout_fragment(parser, token):
    """``{% layout_fragment key1 key2 … %}…{% endlayout_fragment %}``: markup of the layout
    that depends on nothing but the keys (the language, the user's roles) is rendered once per
    process and keys, not on every page (see ``lokalwillkommen/caching.py``). Never put
    anything inside that belongs to one request or one person (a CSRF token, a name, data)."""
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endlayout_fragment",))
    parser.delete_first_token()
    return LayoutFragmentNode(nodelist, keys)


class LayoutFragmentNode(template.Node):
    MAX_VARIANTS = 256

    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        self.rendered: dict[tuple, str] = {}

    def render(self, context):
        key = (translation.get_language(), *(k.resolve(context) for k in self.keys))
        found = self.rendered.get(key)
        if found is None:
            found = self.nodelist.render(context)
            if len(self.rendered) < self.MAX_VARIANTS:
                self.rendered[key] = found
        return found


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
