from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import twofactor
from config.health import health

handler400 = "config.errors.bad_request_or_unavailable"
handler500 = "config.errors.server_error_or_unavailable"

admin.site.site_header = _("Case tracker")
admin.site.site_title = _("Case tracker")
admin.site.index_title = _("Case records")

urlpatterns = [
    path("healthz", health, name="health"),
    # One login for everything, with the second factor after it: the admin's own form would skip it.
    path("admin/login/", twofactor.admin_login),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("exports/", include("exports.urls")),
    path("", include("reminders.urls")),
    path("", include("front.urls")),
]
