from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Office, OpeningException, OpeningRule, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]
    search_fields = ["name"]


class OpeningRuleInline(TranslationTabularInline):
    model = OpeningRule
    extra = 0


class OpeningExceptionInline(TranslationTabularInline):
    model = OpeningException
    extra = 0


@admin.register(Office)
class OfficeAdmin(TranslationAdmin):
    list_display = ["name", "district", "team", "street", "postcode"]
    list_filter = ["team", "district"]
    search_fields = ["name", "street", "postcode"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["languages"]
    inlines = [OpeningRuleInline, OpeningExceptionInline]
