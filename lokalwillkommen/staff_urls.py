"""The staff area under /<lang>/staff/: each app adds its own staff pages here."""

from django.urls import include, path

from . import auth_views

urlpatterns = [
    path("", include("consultations.urls")),
    path("accounts/", auth_views.staff_accounts, name="staff-accounts"),
    path(
        "accounts/<int:pk>/reset-second-factor/",
        auth_views.staff_account_reset_second_factor,
        name="staff-account-reset-second-factor",
    ),
    path("offices/", include("offices.staff_urls")),
    path("network/", include("network.staff_urls")),
]
