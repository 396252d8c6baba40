from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cases import twofactor
from cases.health import health

admin.site.site_header = _("Case tracker")
admin.site.site_title = _("Case tracker")
admin.site.index_title = _("Case records")

urlpatterns = [
    path("healthz", health, name="health"),
    # One login for everything, with the second factor after it: the admin's own form would skip it.
    path("admin/login/", twofactor.admin_login),
    path("admin/", admin.site.urls),
    path("accounts/2fa/", twofactor.verify, name="two_factor_verify"),
    path("accounts/2fa/setup/", twofactor.setup, name="two_factor_setup"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("exports/", include("exports.urls")),
    path("", include("cases.urls")),
]
