from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from lokalwillkommen.admin import AccessLoggedAdmin
from offices.models import Weekday

from . import search
from .models import (
    Offer,
    OfferTime,
    Organisation,
    SearchSynonym,
    Suggestion,
    VolunteerRegistration,
)


class OfferInline(admin.TabularInline):
    model = Offer
    fields = ["title_de", "category", "status", "valid_until"]
    extra = 0
    show_change_link = True


class IndexedAdmin(AccessLoggedAdmin, TranslationAdmin):
    """Staff enter and correct the translations here (one field per language); saving writes
    the record's search document anew, as the service functions do."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.index(form.instance)


@admin.register(Organisation)
class OrganisationAdmin(IndexedAdmin):
    list_display = ["name", "kind", "district", "status", "last_contact"]
    list_filter = ["status", "kind", "district", "text_language"]
    search_fields = ["name", "description_de", "description_en", "contact_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["languages"]
    readonly_fields = ["created", "updated", "submission_token"]
    inlines = [OfferInline]

    def index(self, organisation):
        search.organisation_index(organisation_ids=[organisation.pk])


class OfferTimeForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("weekdays"),
        choices=Weekday.choices,
        coerce=str,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OfferTime
        fields = ["weekdays", "week_of_month", "starts", "ends", "date_from", "date_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["weekdays"] = list(self.instance.weekdays)

    def clean_weekdays(self):
        return "".join(sorted(set(self.cleaned_data["weekdays"])))


class OfferTimeInline(admin.TabularInline):
    model = OfferTime
    form = OfferTimeForm
    extra = 0


@admin.register(Offer)
class OfferAdmin(IndexedAdmin):
    list_display = ["title", "organisation", "category", "district", "status", "valid_until"]
    list_filter = ["status", "category", "district", "text_language"]
    search_fields = ["title_de", "title_en", "title_ar", "title_uk", "organisation__name"]
    prepopulated_fields = {"slug": ["title_de"]}
    filter_horizontal = ["languages", "target_groups"]
    list_select_related = ["organisation", "district"]
    readonly_fields = ["created", "updated", "submission_token"]
    inlines = [OfferTimeInline]

    def index(self, offer):
        search.offer_index(offer_ids=[offer.pk])


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """The synonym table of the directory search. A change is written into every search
    document at once (``manage.py rebuild_search`` does the same)."""

    list_display = ["term", "language", "expansions"]
    list_filter = ["language"]
    search_fields = ["term", "expansions"]

    def _rebuild(self, request):
        organisations, offers = search.rebuild()
        self.message_user(
            request,
            _("Search documents written anew: %(organisations)s organisations, %(offers)s offers.")
            % {"organisations": organisations, "offers": offers},
            messages.INFO,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._rebuild(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._rebuild(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._rebuild(request)


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
