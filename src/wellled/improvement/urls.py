"""Quality improvement URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("improvement/", views.project_list, name="qi-project-list"),
    path("improvement/new/", views.project_create, name="qi-project-create"),
    path("improvement/<int:pk>/", views.project_detail, name="qi-project-detail"),
    path("improvement/<int:pk>/edit/", views.project_edit, name="qi-project-edit"),
    path("improvement/<int:pk>/drivers/new/", views.driver_add, name="qi-driver-add"),
    path("improvement/<int:pk>/measures/new/", views.measure_link, name="qi-measure-link"),
    path("improvement/<int:pk>/pdsa/new/", views.pdsa_create, name="qi-pdsa-create"),
    path("improvement/<int:pk>/history/", views.project_history, name="qi-project-history"),
    path("improvement/drivers/<int:pk>/ideas/new/", views.change_idea_add, name="qi-change-idea-add"),
    path("improvement/pdsa/<int:pk>/", views.pdsa_detail, name="qi-pdsa-detail"),
]
