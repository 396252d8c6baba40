from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Case tracker")
admin.site.site_title = _("Case tracker")
admin.site.index_title = _("Case records")

urlpatterns = [
    path("admin/", admin.site.urls),
]
