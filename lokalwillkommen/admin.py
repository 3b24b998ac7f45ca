from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .accesslog import log_access, log_list, log_search
from .models import AccessLog, District, Language


class AccessLoggedAdmin(admin.ModelAdmin):
    """A model admin for records with personal data: as in the portal, every record opened
    is written to the access log (against its household where it has one), every change and
    deletion, every search (without its text) and every list shown."""

    def access_subject(self, obj):
        """The record the access log names for ``obj`` (its household, where it has one)."""
        return obj

    def _detail(self, obj, what: str) -> str:
        return f"admin: {what} {obj._meta.model_name} {obj.pk}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                log_access(
                    user=request.user,
                    action=AccessLog.Action.VIEW,
                    subject=self.access_subject(obj),
                    detail=self._detail(obj, "opened"),
                )
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method in ("GET", "HEAD") and getattr(response, "status_code", 0) == 200:
            where = f"admin list: {self.model._meta.model_name}"
            if request.GET.get("q", "").strip():
                log_search(
                    user=request.user,
                    subject_type=self.model._meta.model_name,
                    where=where,
                    fields=self.get_search_fields(request),
                )
            else:
                count = len(getattr(response, "context_data", {}).get("cl").result_list)
                log_list(
                    user=request.user,
                    subject_type=self.model._meta.model_name,
                    where=where,
                    count=count,
                )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_access(
            user=request.user,
            action=AccessLog.Action.CHANGE if change else AccessLog.Action.CREATE,
            subject=self.access_subject(obj),
            detail=self._detail(obj, "saved"),
        )

    def delete_model(self, request, obj):
        self._log_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._log_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def _log_deletion(self, request, obj) -> None:
        log_access(
            user=request.user,
            action=AccessLog.Action.CHANGE,
            subject=self.access_subject(obj),
            detail=self._detail(obj, "deleted"),
        )


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    filter_horizontal = ["neighbours"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "subject_type", "subject_label", "detail"]
    list_filter = ["action", "subject_type"]
    search_fields = ["username", "subject_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PortalUserAdmin(UserAdmin):
    """Django's user admin; a password set here is logged and e-mailed to the account holder
    like any other password change."""

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            from .account_changes import password_changed

            user = self.get_object(request, unquote(id))
            if user is not None:
                password_changed(user=user, how="admin", request=request)
        return response


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
