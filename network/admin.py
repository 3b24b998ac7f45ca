from django.contrib import admin

from lokalwillkommen.admin import AccessLoggedAdmin

from .models import Offer, Organisation, Suggestion, VolunteerRegistration


class OfferInline(admin.TabularInline):
    model = Offer
    fields = ["title", "category", "status", "valid_until"]
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(AccessLoggedAdmin):
    list_display = ["name", "kind", "district", "status", "last_contact"]
    list_filter = ["status", "kind", "district", "text_language"]
    search_fields = ["name", "description", "contact_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["languages"]
    readonly_fields = ["created", "updated", "submission_token"]
    inlines = [OfferInline]


@admin.register(Offer)
class OfferAdmin(AccessLoggedAdmin):
    list_display = ["title", "organisation", "category", "district", "status", "valid_until"]
    list_filter = ["status", "category", "district", "text_language"]
    search_fields = ["title", "description", "organisation__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["languages", "target_groups"]
    list_select_related = ["organisation", "district"]
    readonly_fields = ["created", "updated", "submission_token"]


@admin.register(VolunteerRegistration)
class VolunteerRegistrationAdmin(AccessLoggedAdmin):
    list_display = ["name", "email", "district", "status", "created"]
    list_filter = ["status", "district", "skills"]
    search_fields = ["name", "email"]
    filter_horizontal = ["languages", "skills"]
    readonly_fields = ["consent_at", "created", "updated", "submission_token"]


@admin.register(Suggestion)
class SuggestionAdmin(AccessLoggedAdmin):
    list_display = ["__str__", "status", "created"]
    list_filter = ["status"]
    search_fields = ["text", "topic"]
    readonly_fields = ["consent_at", "created", "updated", "submission_token"]
