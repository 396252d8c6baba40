from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("case/<uuid:case_id>/", views.case_export, name="case_export"),
    path("jobs/<uuid:job_id>/", views.job_status, name="job_status"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job_download"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry, name="job_retry"),
]
