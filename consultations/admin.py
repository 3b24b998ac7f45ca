from django.contrib import admin

from lokalwillkommen.admin import AccessLoggedAdmin

from .models import Consultation, ConsultationTopic, HomeVisit, Household, HouseholdNeed, Referral


class HouseholdNeedInline(admin.TabularInline):
    model = HouseholdNeed
    extra = 0


@admin.register(Household)
class HouseholdAdmin(AccessLoggedAdmin):
    list_display = ["reference", "district", "status", "team", "moved_in_on", "anonymised_at"]
    list_filter = ["status", "team", "district"]
    search_fields = ["reference"]
    readonly_fields = ["reference", "version", "anonymised_at", "closed_at"]
    inlines = [HouseholdNeedInline]
    raw_id_fields = ["responsible", "consent_recorded_by"]


@admin.register(HomeVisit)
class HomeVisitAdmin(AccessLoggedAdmin):
    list_display = ["household", "scheduled_at", "status", "kind", "staff"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["household", "staff"]

    def access_subject(self, obj):
        return obj.household


class ConsultationTopicInline(admin.TabularInline):
    model = ConsultationTopic
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(AccessLoggedAdmin):
    list_display = ["held_at", "office", "duration_minutes", "interpreter_needed"]
    list_filter = ["office"]
    raw_id_fields = ["household", "staff"]
    inlines = [ConsultationTopicInline]

    def access_subject(self, obj):
        return obj.household or obj


@admin.register(Referral)
class ReferralAdmin(AccessLoggedAdmin):
    list_display = ["category", "organisation", "offer", "status", "follow_up_on"]
    list_filter = ["status", "category"]
    raw_id_fields = ["household", "consultation", "visit", "organisation", "offer", "created_by"]

    def access_subject(self, obj):
        if obj.household_id:
            return obj.household
        if obj.consultation_id and obj.consultation.household_id:
            return obj.consultation.household
        return obj
