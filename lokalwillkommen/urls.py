from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

handler403 = "lokalwillkommen.views.permission_denied"
handler404 = "lokalwillkommen.views.page_not_found"
handler500 = "lokalwillkommen.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
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
    path(
        "imprint/",
        views.page,
        {"template": "pages/imprint.html"},
        name="imprint",
    ),
    path("privacy/", views.page, {"template": "pages/privacy.html"}, name="privacy"),
    path(
        "accessibility/",
        views.page,
        {"template": "pages/accessibility.html"},
        name="accessibility",
    ),
)

if getattr(settings, "LW_BENCH_FLOOR", False):
    urlpatterns.append(path("bench/floor", views.bench_floor))
