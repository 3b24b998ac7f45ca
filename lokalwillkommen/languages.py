"""The languages the network works in, with names translated into the portal's languages."""

from django.utils.translation import gettext_lazy as _

LANGUAGE_NAMES = {
    "de": _("German"),
    "en": _("English"),
    "ar": _("Arabic"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
    "fa": _("Persian (Farsi/Dari)"),
    "ps": _("Pashto"),
    "ku": _("Kurdish"),
    "tr": _("Turkish"),
    "ti": _("Tigrinya"),
    "so": _("Somali"),
    "fr": _("French"),
    "ro": _("Romanian"),
    "bg": _("Bulgarian"),
    "pl": _("Polish"),
    "sq": _("Albanian"),
    "sr": _("Serbian"),
    "es": _("Spanish"),
    "ur": _("Urdu"),
    "am": _("Amharic"),
}


def language_label(code: str, fallback: str = "") -> str:
    name = LANGUAGE_NAMES.get(code)
    return str(name) if name is not None else (fallback or code)
