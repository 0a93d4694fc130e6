"""Measure URLs."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import views

urlpatterns = [
    path("measures/summary/", views.measure_summary, name="measure-summary"),
    path("measures/upload/", views.measure_upload, name="measure-upload"),
    path("measures/values.xlsx", views.measures_data_xlsx, name="measures-data-xlsx"),
    *record_paths(
        "measures/",
        views,
        "measure",
        ("list", "create", "detail", "edit", "values", "rebase", "annotate", "history"),
    ),
    path("measures/<int:pk>/upload/", views.measure_upload_one, name="measure-upload-one"),
    path("measures/<int:pk>/chart.png", views.measure_chart_png, name="measure-chart-png"),
    path("measures/<int:pk>/data.csv", views.measure_data_csv, name="measure-data-csv"),
    path("measures/<int:pk>/values.xlsx", views.measure_data_xlsx, name="measure-data-xlsx"),
    path("measures/<int:pk>/survey/", views.measure_survey, name="measure-survey"),
    path("measures/<int:pk>/survey/upload/", views.measure_survey_upload, name="measure-survey-upload"),
    path("measures/<int:pk>/survey.xlsx", views.measure_survey_xlsx, name="measure-survey-xlsx"),
    path("measures/rebases/<int:pk>/remove/", views.rebase_remove, name="measure-rebase-remove"),
    path("actions/<int:pk>/success-measure/", views.action_measure_link, name="action-measure-link"),
]
