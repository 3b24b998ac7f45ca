from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="staff-dashboard"),
    path("households/", views.household_list, name="consultations-household-list"),
    path("households/new/", views.household_create, name="consultations-household-create"),
    path("households/<int:pk>/", views.household_detail, name="consultations-household-detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="consultations-household-edit"),
    path(
        "households/<int:pk>/withdraw-consent/",
        views.household_withdraw_consent,
        name="consultations-household-withdraw-consent",
    ),
    path(
        "households/<int:pk>/visits/new/", views.visit_create, name="consultations-visit-create"
    ),
    path("visits/<int:pk>/edit/", views.visit_edit, name="consultations-visit-edit"),
    path("visits/<int:pk>/missed/", views.visit_missed, name="consultations-visit-missed"),
    path("visits/<int:pk>/sheet.pdf", views.visit_sheet, name="consultations-visit-sheet"),
    path("sheets/offices/<slug:slug>.pdf", views.office_sheet, name="consultations-office-sheet"),
    path(
        "households/<int:pk>/referrals/new/",
        views.referral_create,
        name="consultations-referral-create",
    ),
    path("referrals/<int:pk>/edit/", views.referral_edit, name="consultations-referral-edit"),
    path(
        "consultations/new/",
        views.consultation_create,
        name="consultations-consultation-create",
    ),
    path(
        "consultations/<int:pk>/edit/",
        views.consultation_edit,
        name="consultations-consultation-edit",
    ),
    path(
        "consultations/<int:pk>/delete/",
        views.consultation_delete,
        name="consultations-consultation-delete",
    ),
    path("volunteers/match/", views.volunteer_match, name="consultations-volunteer-match"),
    path("access-log/", views.access_log, name="consultations-access-log"),
    path(
        "households/<int:pk>/export/",
        views.household_export,
        name="consultations-household-export",
    ),
    path(
        "households/<int:pk>/export.json",
        views.household_export_json,
        name="consultations-household-export-json",
    ),
    path(
        "households/<int:pk>/erase/", views.household_erase, name="consultations-household-erase"
    ),
]

urlpatterns += [
    path("reports/", views.reports_page, name="consultations-reports"),
    path("reports/<slug:table>.csv", views.reports_csv, name="consultations-reports-csv"),
    path("reports/<slug:table>.xlsx", views.reports_xlsx, name="consultations-reports-xlsx"),
    path("reports/gaps/", views.gaps_page, name="consultations-gaps"),
    path("reports/gaps/export.csv", views.gaps_csv, name="consultations-gaps-csv"),
    path("reports/gaps/export.xlsx", views.gaps_xlsx, name="consultations-gaps-xlsx"),
    path(
        "reports/gaps/households/",
        views.gap_households,
        name="consultations-gap-households",
    ),
]
