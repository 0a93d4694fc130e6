"""Measure URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("measures/", views.measure_list, name="measure-list"),
    path("measures/summary/", views.measure_summary, name="measure-summary"),
    path("measures/new/", views.measure_create, name="measure-create"),
    path("measures/upload/", views.measure_upload, name="measure-upload"),
    path("measures/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/values/", views.measure_values, name="measure-values"),
    path("measures/<int:pk>/upload/", views.measure_upload_one, name="measure-upload-one"),
    path("measures/<int:pk>/rebase/", views.measure_rebase, name="measure-rebase"),
    path("measures/<int:pk>/annotate/", views.measure_annotate, name="measure-annotate"),
    path("measures/<int:pk>/chart.png", views.measure_chart_png, name="measure-chart-png"),
    path("measures/<int:pk>/data.csv", views.measure_data_csv, name="measure-data-csv"),
    path("measures/<int:pk>/history/", views.measure_history, name="measure-history"),
    path("measures/rebases/<int:pk>/remove/", views.rebase_remove, name="measure-rebase-remove"),
    path("actions/<int:pk>/success-measure/", views.action_measure_link, name="action-measure-link"),
]
