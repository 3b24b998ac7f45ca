"""Addresses of records in lists, without reversing the URL pattern for every row."""

from collections.abc import Callable
from functools import lru_cache

from django.urls import reverse
from django.utils.translation import get_language

_PLACEHOLDER = "987654321"


@lru_cache(maxsize=256)
def _parts(url_name: str, language: str) -> tuple[str, str]:
    before, after = reverse(url_name, args=[_PLACEHOLDER]).split(_PLACEHOLDER)
    return before, after


def address_maker(url_name: str) -> Callable[[object], str]:
    """A function key -> address for a URL pattern with one argument (a pk or a slug),
    the pattern reversed once per language and process. Keys are ints or slugs, which need
    no quoting in a path."""
    before, after = _parts(url_name, get_language())
    return lambda key: f"{before}{key}{after}"
