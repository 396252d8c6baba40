from django.urls import path

from front import figures, views

app_name = "front"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<uuid:case_id>/", views.case_timeline, name="case_timeline"),
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("figures/", figures.figures, name="figures"),
    path("figures/records/", figures.figure_records, name="figure_records"),
    path("figures/export/", figures.figures_export, name="figures_export"),
    path("sources/<uuid:source_id>/file/", views.source_file, name="source_file"),
    path("sources/<uuid:source_id>/original/", views.source_original, name="source_original"),
]
