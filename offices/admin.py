from django.contrib import admin

from .models import Office, OfficeTranslation, OpeningException, OpeningRule, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]
    search_fields = ["name"]


class OpeningRuleInline(admin.TabularInline):
    model = OpeningRule
    extra = 0


class OpeningExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


class OfficeTranslationInline(admin.StackedInline):
    model = OfficeTranslation
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "team", "street", "postcode"]
    list_filter = ["team", "district"]
    search_fields = ["name", "street", "postcode"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["languages"]
    inlines = [OpeningRuleInline, OpeningExceptionInline, OfficeTranslationInline]
