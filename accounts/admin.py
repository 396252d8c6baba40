"""Second-factor devices in the admin: seen and removed, never added or read.

Removing both of someone's devices (a lost or seized phone) has them enrol anew at their next sign-in, with
their password alone: tell them to do it at once. Superusers only, as django-otp's own pages were: the roles
grant nothing of this app.
"""

from django.contrib import admin

from accounts.models import AuthenticatorApp, RecoveryCodes


class DeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(AuthenticatorApp, DeviceAdmin)
admin.site.register(RecoveryCodes, DeviceAdmin)
