from django.conf import settings
from django.db import DatabaseError
from django.urls import translate_url
from django.utils.translation import get_language_info

from .roles import is_coordinator, is_staff_member
from .staff_cache import CSRF_PLACEHOLDER, PLACEHOLDER_FLAG


def portal(request):
    """Language switcher links to the same page in every language, and the user's roles."""
    path = request.get_full_path()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "bidi": info["bidi"],
                "url": translate_url(path, code),
            }
        )
    user = getattr(request, "user", None)
    try:
        staff = bool(user is not None and is_staff_member(user))
        coordinator = bool(user is not None and is_coordinator(user))
    except DatabaseError:  # the error pages must render while the database is away
        staff = coordinator = False
    context = {
        "language_links": languages,
        "contact_email": settings.LW_CONTACT_EMAIL,
        "is_staff_member": staff,
        "is_coordinator": coordinator,
    }
    if getattr(request, PLACEHOLDER_FLAG, False):
        # A page for the staff page cache: the token is filled in per response.
        context["csrf_token"] = CSRF_PLACEHOLDER
    return context
