"""The baseline of bench/scale.py: Django's admin with no customisation, over the same tables."""

from django.contrib import admin
from django.urls import include, path

from cases.models import Case, Person

plain_site = admin.AdminSite(name="plain_admin")
plain_site.register(Person, admin.ModelAdmin)
plain_site.register(Case, admin.ModelAdmin)
plain_site._registry[Person].search_fields = ["codename"]

urlpatterns = [
    path("plain-admin/", plain_site.urls),
    path("", include("config.urls")),
]
