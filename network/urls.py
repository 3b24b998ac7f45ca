from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory, name="network-directory"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="network-organisation"),
    path("offers/submit/", views.offer_submit, name="network-offer-submit"),
    path("offers/<slug:slug>/", views.offer_detail, name="network-offer"),
    path("offers/<slug:slug>/calendar.ics", views.offer_calendar, name="network-offer-calendar"),
    path("volunteer/", views.volunteer, name="network-volunteer"),
    path("suggestions/", views.suggestion, name="network-suggestion"),
    path("thanks/<slug:kind>/", views.thanks, name="network-thanks"),
    path("manage/<str:token>/", views.manage, name="network-manage"),
    path("manage/<str:token>/withdraw/", views.withdraw, name="network-withdraw"),
    path("manage/<str:token>/confirm/", views.confirm, name="network-confirm"),
]
