"""Texts of offers and organisations kept in every content language (django-modeltranslation:
``title_de``, ``title_en``, ``title_ar``, ``title_uk`` … on the same row; network/translated.py
picks the one a page shows)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Offer, Organisation


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("description",)
    required_languages = ()


@register(Offer)
class OfferTranslationOptions(TranslationOptions):
    fields = ("title", "description", "time_note", "cost_note")
    required_languages = ()
