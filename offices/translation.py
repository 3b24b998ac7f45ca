"""Texts of offices kept in every content language (django-modeltranslation adds the columns
``description_de``, ``description_en``, … next to each field; see network/translated.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Office, OpeningException, OpeningRule


@register(Office)
class OfficeTranslationOptions(TranslationOptions):
    fields = ("description", "accessibility")
    required_languages = ()


@register(OpeningRule)
class OpeningRuleTranslationOptions(TranslationOptions):
    fields = ("label",)
    required_languages = ()


@register(OpeningException)
class OpeningExceptionTranslationOptions(TranslationOptions):
    fields = ("reason",)
    required_languages = ()
