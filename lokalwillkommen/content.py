"""Texts that people type in (offices, offers, organisations), in the page's language.

They are kept in four *content* languages, German, English, Arabic and Ukrainian, in columns
of the same row (django-modeltranslation: ``title_de``, ``title_en``, ``title_ar``,
``title_uk``), so a list page selects them with its other plain values and picks here. The
interface has eight languages: a page in Persian, Turkish, Russian or Tigrinya shows the
English text where there is one (read by more newcomers than German), else the German one; a
page in English, Arabic or Ukrainian without its own translation shows the German text.
Whatever is shown in another language than the page's is marked with that language
(``lang="de" dir="ltr"``), so that a screen reader reads it with the right voice.

A text submitted through a form in one of the four content languages is stored in that
language's column; one typed on a Persian, Turkish, Russian or Tigrinya page goes into the
German column (the original every other language falls back to) and its ``text_language``
says what it really is.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db.models import F, Func
from django.db.models.functions import Coalesce
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .templatetags.portal import text_attributes

CONTENT_LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
DEFAULT = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
_FALLBACKS = {"de": ("de",), "en": ("en", "de"), "ar": ("ar", "de"), "uk": ("uk", "de")}


def resolution_order(page_language: str) -> tuple[str, ...]:
    """The columns to try, in order, for a page in ``page_language``."""
    found = _FALLBACKS.get(page_language) or ("en", "de")
    return found + tuple(code for code in CONTENT_LANGUAGES if code not in found)


class EmptyAsNull(Func):
    """``NULLIF(column, '')`` with the empty string written into the SQL, not passed as a
    parameter: an index on the expression is then used by the queries that order by it."""

    template = "NULLIF(%(expressions)s, '')"
    arity = 1


def shown_text(field: str, page_language: str) -> Coalesce:
    """The expression of the text a page in ``page_language`` shows for ``field`` (its own
    column, else the fallbacks'): to order by, indexed for every resolution order
    (``network.models.Offer``)."""
    return Coalesce(
        *(EmptyAsNull(F(f"{field}_{code}")) for code in resolution_order(page_language))
    )


def resolution_orders() -> set[tuple[str, ...]]:
    """Every order of columns some page language uses."""
    return {resolution_order(code) for code, _name in settings.LANGUAGES}


def columns(field: str) -> tuple[str, ...]:
    """The translated columns of ``field``, in the order of ``CONTENT_LANGUAGES``."""
    return tuple(f"{field}_{code}" for code in CONTENT_LANGUAGES)


def column_language(column_language_code: str, text_language: str) -> str:
    """The language the text in a column is written in: the German column holds the original
    of a text typed on a page in a language without its own column."""
    if column_language_code == DEFAULT and text_language and text_language not in CONTENT_LANGUAGES:
        return text_language
    return column_language_code


class Text(NamedTuple):
    text: str
    lang: str  # the language the text is written in
    attrs: SafeString  # lang/dir for the element holding it (dir="auto" when it is the page's)
    fallback: bool  # not in the page's language

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def span(self) -> SafeString:
        return format_html("<span{}>{}</span>", self.attrs, self.text)


EMPTY = Text("", "", format_html("{}", ""), False)


@lru_cache(maxsize=16)
def _positions(page_language: str) -> tuple[tuple[int, str], ...]:
    """(index in ``CONTENT_LANGUAGES``, language) in the order of ``resolution_order``."""
    return tuple((CONTENT_LANGUAGES.index(code), code) for code in resolution_order(page_language))


def pick(values, page_language: str, text_language: str = DEFAULT) -> Text:
    """The text to show from ``values`` (the columns' values in the order of
    ``CONTENT_LANGUAGES``, or a dict by language)."""
    if isinstance(values, dict):
        values = [values.get(code) for code in CONTENT_LANGUAGES]
    for index, code in _positions(page_language):
        text = values[index]
        if text:
            lang = column_language(code, text_language)
            return Text(text, lang, text_attributes(lang, page_language), lang != page_language)
    return EMPTY


def pick_field(obj, field: str, page_language: str) -> Text:
    """``pick`` for a model instance's translated ``field``."""
    return pick(
        [getattr(obj, name) for name in columns(field)],
        page_language,
        getattr(obj, "text_language", DEFAULT) or DEFAULT,
    )


def store_language(language: str) -> str:
    """The column a text typed on a page in ``language`` is stored in."""
    return language if language in CONTENT_LANGUAGES else DEFAULT
