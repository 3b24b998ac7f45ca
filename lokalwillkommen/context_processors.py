from functools import cache

from django.conf import settings
from django.db import DatabaseError
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation

from .roles import is_coordinator, is_staff_member

# The addresses the layout links to (navigation, staff menu, footer): the same for every page
# of a language, so they are reversed once per language and process, not on every page.
LAYOUT_URL_NAMES = (
    "home",
    "offices-list",
    "network-directory",
    "network-suggestion",
    "staff-dashboard",
    "consultations-household-list",
    "consultations-consultation-create",
    "consultations-reports",
    "offices-staff-list",
    "network-staff-stale",
    "network-staff-moderation",
    "network-staff-volunteers",
    "network-staff-suggestions",
    "network-staff-translations",
    "easy-language",
    "consultations-access-log",
    "password_change",
    "logout",
    "login",
    "imprint",
    "privacy",
    "accessibility",
)


@cache
def layout_links(language: str) -> dict[str, str]:
    with translation.override(language):
        return {name.replace("-", "_"): reverse(name) for name in LAYOUT_URL_NAMES}


@cache
def _languages() -> tuple[dict, ...]:
    infos = [(code, translation.get_language_info(code)) for code, _name in settings.LANGUAGES]
    return tuple(
        {"code": code, "name_local": info["name_local"], "bidi": info["bidi"]}
        for code, info in infos
    )


def language_links(request) -> list[dict]:
    """The same page in every language. Built from the URL pattern the request matched (never
    from the path as sent, which may be anything), so every link stays on this site; a page
    that matched nothing (a 404) links to each language's home page."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    prefix = get_script_prefix()
    rest = None
    match = getattr(request, "resolver_match", None)
    if match is not None:
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            path = ""
        if path.startswith(f"{prefix}{current}/"):
            rest = path[len(prefix) + len(current) + 1 :]
            if request.method == "GET" and request.GET:
                rest += "?" + request.GET.urlencode()
    links = []
    for language in _languages():
        code = language["code"]
        url = f"{prefix}{code}/{rest}" if rest is not None else layout_links(code)["home"]
        links.append({**language, "url": url})
    return links


def portal(request):
    """The layout's links (per language), the language switcher and the user's roles."""
    user = getattr(request, "user", None)
    try:
        staff = bool(user is not None and is_staff_member(user))
        coordinator = bool(user is not None and is_coordinator(user))
    except DatabaseError:  # the error pages must render while the database is away
        staff = coordinator = False
    return {
        "links": layout_links(translation.get_language() or settings.LANGUAGE_CODE),
        "language_links": language_links(request),
        "contact_email": settings.LW_CONTACT_EMAIL,
        "is_staff_member": staff,
        "is_coordinator": coordinator,
    }
