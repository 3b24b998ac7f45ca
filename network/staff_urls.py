from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("moderation/", views.moderation, name="network-staff-moderation"),
    path("offers/<int:pk>/publish/", views.offer_publish, name="network-staff-offer-publish"),
    path("offers/<int:pk>/reject/", views.offer_reject, name="network-staff-offer-reject"),
    path("offers/<int:pk>/review/", views.offer_review, name="network-staff-offer-review"),
    path(
        "changes/<int:pk>/publish/",
        views.offer_change_publish,
        name="network-staff-offer-change-publish",
    ),
    path(
        "changes/<int:pk>/reject/",
        views.offer_change_reject,
        name="network-staff-offer-change-reject",
    ),
    path(
        "organisations/<int:pk>/publish/",
        views.organisation_publish,
        name="network-staff-organisation-publish",
    ),
    path(
        "organisations/<int:pk>/reject/",
        views.organisation_reject,
        name="network-staff-organisation-reject",
    ),
    path(
        "organisations/<int:pk>/contacted/",
        views.organisation_contacted,
        name="network-staff-organisation-contacted",
    ),
    path("volunteers/", views.volunteers, name="network-staff-volunteers"),
    path("volunteers/export.csv", views.volunteers_export, name="network-staff-volunteers-export"),
    path("volunteers/<int:pk>/", views.volunteer_update, name="network-staff-volunteer-update"),
    path("suggestions/", views.suggestions, name="network-staff-suggestions"),
    path(
        "suggestions/<int:pk>/status/",
        views.suggestion_status,
        name="network-staff-suggestion-status",
    ),
    path("contacts/", views.stale_contacts, name="network-staff-stale"),
    path("translations/", views.missing_translations, name="network-staff-translations"),
]
