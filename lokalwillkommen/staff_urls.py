"""The staff area under /<lang>/staff/: each app adds its own staff pages here."""

from django.urls import include, path

urlpatterns = [
    path("", include("consultations.urls")),
    path("offices/", include("offices.staff_urls")),
    path("network/", include("network.staff_urls")),
]
