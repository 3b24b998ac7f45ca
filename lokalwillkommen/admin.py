from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import AccessLog, District, Language


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


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
            from .accounts import password_changed

            user = self.get_object(request, unquote(id))
            if user is not None:
                password_changed(user=user, how="admin", request=request)
        return response


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
