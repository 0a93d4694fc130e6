"""Quality improvement URLs."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import views

urlpatterns = [
    path("improvement/export.xlsx", views.projects_export, name="qi-projects-export"),
    path("improvement/import/", views.projects_import, name="qi-projects-import"),
    *record_paths(
        "improvement/", views, "project", ("list", "create", "detail", "edit", "history"), name="qi-project"
    ),
    path("improvement/<int:pk>/drivers/new/", views.driver_add, name="qi-driver-add"),
    path("improvement/<int:pk>/measures/new/", views.measure_link, name="qi-measure-link"),
    path("improvement/<int:pk>/pdsa/new/", views.pdsa_create, name="qi-pdsa-create"),
    path("improvement/drivers/<int:pk>/ideas/new/", views.change_idea_add, name="qi-change-idea-add"),
    path("improvement/pdsa/<int:pk>/", views.pdsa_detail, name="qi-pdsa-detail"),
]
