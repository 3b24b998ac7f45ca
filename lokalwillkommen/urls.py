from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import auth_views as portal_auth
from . import views

handler403 = "lokalwillkommen.views.permission_denied"
handler404 = "lokalwillkommen.views.page_not_found"
handler500 = "lokalwillkommen.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/hsds/", include("network.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("offices.urls")),
    path("network/", include("network.urls")),
    path("staff/", include("lokalwillkommen.staff_urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", portal_auth.otp_verify, name="otp-verify"),
    path("accounts/second-factor/set-up/", portal_auth.otp_setup, name="otp-setup"),
    path(
        "accounts/second-factor/recovery-codes/",
        portal_auth.otp_recovery_codes,
        name="otp-recovery-codes",
    ),
    path("accounts/second-factor/lost/", portal_auth.otp_lost, name="otp-lost"),
    path("accounts/security/", portal_auth.account_security, name="account-security"),
    path(
        "accounts/password/change/",
        portal_auth.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        portal_auth.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        portal_auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "imprint/",
        views.page,
        {"template": "pages/imprint.html"},
        name="imprint",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path(
        "accessibility/",
        views.page,
        {"template": "pages/accessibility.html"},
        name="accessibility",
    ),
    path("leichte-sprache/", views.easy_language, name="easy-language"),
)

if getattr(settings, "LW_BENCH_FLOOR", False):
    urlpatterns.append(path("bench/floor", views.bench_floor))
