import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
    another language than the page's (``obj.text_language``), else nothing: a screen reader
    then reads a German description on an Arabic page with a German voice, left to right."""
    code = getattr(obj, "text_language", "") or ""
    if not code or code == translation.get_language():
        return ""
    direction = "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', code, direction)
